"""`python -m crawler`: extraction of a saved page, re-extraction, a portal's template model,
seeds, the probe. (The offline demo runs from the checkout: `python -m demo`.)"""

import json
import os
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path

import click

from archive import Archive, ArchiveError
from archive.errors import sqlite_failure
from notice.errors import NoticeError

from .exceptions import CrawlerError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            ctx.exit(2)
        except (ArchiveError, CrawlerError, NoticeError) as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except sqlite3.DatabaseError as exc:  # an archive found damaged while used
            click.echo(
                f"Error: {sqlite_failure(ctx.obj.get('db') or 'the archive', exc)}", err=True
            )
            ctx.exit(1)


def _db(ctx: click.Context, given: Path | None, default: Path) -> Path:
    """--db after the command, else --db before it, else the environment (ARCHIVE_PATH, for
    the commands that read it), else the command's default."""
    from_env = ctx.get_parameter_source("db") == click.core.ParameterSource.ENVIRONMENT
    if given and not from_env:
        return given
    return ctx.obj.get("db") or given or default


@click.group(cls=_Group)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive file of the command (before or after the command's name).",
)
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Crawler tools. The crawl itself is `python -m scrapy crawl notices`."""
    ctx.obj = {"db": db}


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def archive_option(help: str):
    """The --db option of a command that reads an existing archive (or ARCHIVE_PATH)."""
    return click.option(
        "--db", envvar="ARCHIVE_PATH", type=click.Path(dir_okay=False, path_type=Path), help=help
    )


def _scrapy_settings():
    """Scrapy's project settings: SCRAPY_SETTINGS_MODULE's or the nearest scrapy.cfg's (in the
    checkout), else this package's own (installed, run from any directory)."""
    from scrapy.utils.project import ENVVAR, get_project_settings

    settings = get_project_settings()
    if not os.environ.get(ENVVAR):
        settings.setmodule("crawler.settings", priority="project")
    return settings


@cli.command()
@archive_option("Archive file (also ARCHIVE_PATH; default data/archive.db).")
@click.option("--portal", help="Only this portal id.")
@json_option
@click.pass_context
def reextract(ctx: click.Context, db: Path | None, portal: str | None, as_json: bool) -> None:
    """Re-run the current extractor over the stored raw HTML of live pages (no recrawl)."""
    from .reextract import reextract as run

    failures: list[dict] = []
    with Archive(_db(ctx, db, Path("data/archive.db")), create=False) as archive:
        counts = run(archive, portal, failures)
    if as_json:
        click.echo(json.dumps({**counts, "failures": failures}, ensure_ascii=False))
        return
    for failure in failures:
        click.echo(f"failed: {failure['url']}: {failure['error']}", err=True)
    click.echo(
        f"{counts['checked']} pages re-extracted, {counts['changed']} with a new version"
        f" (extractor or template model change), {counts['failed']} failed"
    )


@cli.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default="", help="The page's URL (dates in URLs are used).")
@click.option("--content-type", help="The Content-Type header it was served with.")
@click.option("--portal", help="Extract with this portal's template model (from --db).")
@archive_option("Archive file of --portal's model (also ARCHIVE_PATH; default data/archive.db).")
@click.pass_context
def extract_file(
    ctx: click.Context,
    file: Path,
    url: str,
    content_type: str | None,
    portal: str | None,
    db: Path | None,
) -> None:
    """Show what extraction makes of a saved page, as JSON (with --portal: as the crawl
    would, with the portal's template model)."""
    from notice.extract import extract
    from notice.judge import is_notice_title

    model = None
    if portal:
        with _read_archive(ctx, db) as archive:
            archive.require_portal(portal)
            model = archive.template_model(portal).snapshot()
    headers = {"Content-Type": content_type} if content_type else {}
    result = extract(file.read_bytes(), url or file.as_uri(), headers, model)
    fields = {k: v for k, v in result.__dict__.items() if k != "reading"}
    data = {"notice": is_notice_title(result.title), **fields}
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _read_archive(ctx: click.Context, db: Path | None) -> Archive:
    """The command's archive, opened to read only (never created or changed)."""
    return Archive(_db(ctx, db, Path("data/archive.db")), create=False, readonly=True)


@cli.command()
@click.argument("portal")
@archive_option("Archive file (also ARCHIVE_PATH; default data/archive.db).")
@json_option
@click.pass_context
def template(ctx: click.Context, portal: str, db: Path | None, as_json: bool) -> None:
    """Print what the crawler considers chrome on a portal: per template learned from its
    pages, the lines, labelled fields and slots they all repeat (removed from every notice)."""
    with _read_archive(ctx, db) as archive:
        report = archive.template_report(portal)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"portal {portal}: {len(report['templates'])} template(s) learned")
    for t in report["templates"]:
        state = t["state"] + (f" by template {t['replaced_by']}" if t["replaced_by"] else "")
        click.echo(
            f"template {t['template']}: {t['pages']} page(s), {state}, "
            f"seen {t['first_seen'] or '-'} to {t['last_seen'] or '-'}"
        )
        if t["title_parts"]:
            click.echo(f"  <title> parts it shares: {', '.join(t['title_parts'])}")
        click.echo(f"  chrome ({len(t['chrome'])}):")
        for entry in t["chrome"]:
            click.echo(f"  {entry['pages']:>6} pages  {entry['kind']:<5}  {entry['text']}")


@cli.command("check-seeds")
@click.argument("path", default="seeds", type=click.Path(path_type=Path))
@json_option
def check_seeds(path: Path, as_json: bool) -> None:
    """Validate a seeds file or folder and list its portals (one with none is refused). Every
    problem of every file is reported, one line each (exit status 1)."""
    from .exceptions import SeedError, SeedErrors
    from .seeds import load_seeds

    try:
        portals = load_seeds(path)
    except SeedErrors as exc:
        for problem in exc.problems:
            click.echo(f"Error: {problem}", err=True)
        sys.exit(1)
    if not portals:
        raise SeedError(f"{path}: no [[portal]] defined; a seeds file needs at least one")
    if as_json:
        records = [asdict(p) for p in portals]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return
    for portal in portals:
        click.echo(f"{portal.id:24} {portal.level or '-':10} {portal.render:8} {portal.name}")


@cli.command()
@click.argument("path", default="seeds", type=click.Path(path_type=Path))
@click.option("--portal", help="Only this portal id.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def probe(path: Path, portal: str | None, as_json: bool) -> None:
    """Check portals before their first crawl: reachable, robots, WAF, CMS, lists, search.

    Exit status 0 when every portal is usable, 1 when any is not.
    """
    from .probe import Prober, format_table
    from .seeds import load_seeds, select

    settings = _scrapy_settings()
    prober = Prober(
        settings.get("USER_AGENT"),
        settings.getfloat("DOWNLOAD_TIMEOUT"),
        verify_tls=not settings.getbool("TLS_ALLOW_INVALID"),
    )
    reports = [prober.probe(p) for p in select(load_seeds(path), portal)]
    reports.sort(key=lambda r: r.usable)  # portals with problems first
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(reports))
    sys.exit(0 if all(r.usable for r in reports) else 1)


@cli.command()
@click.argument("url")
@archive_option("Archive file the writer owns (also ARCHIVE_PATH; default data/archive.db).")
@click.option(
    "--until-idle",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Exit once no message came for SECONDS (default: run until stopped).",
)
@json_option
@click.pass_context
def ingest(
    ctx: click.Context, url: str, db: Path | None, until_idle: float | None, as_json: bool
) -> None:
    """Write the items of distributed crawl workers, queued in Redis at URL, into the archive."""
    from .alerts import Alerts
    from .ingest import ingest as ingest_

    alerts = Alerts.from_settings(_scrapy_settings())  # NOTIFY_URLS, WEB_BASE_URL …
    summary = ingest_(
        _db(ctx, db, Path("data/archive.db")), url, until_idle=until_idle, alerts=alerts
    )
    if as_json:
        click.echo(json.dumps(asdict(summary), ensure_ascii=False))
        return
    runs = ", ".join(f"#{r}" for r in summary.runs_finished) or "none"
    click.echo(
        f"{summary.applied} message(s) applied, {summary.skipped} already applied, "
        f"{summary.rejected} rejected; runs finished: {runs}"
    )
    for change in summary.health_changes:
        click.echo(
            f"health (run #{change['run']}): {change['portal']} {change['before'] or 'new'} -> "
            f"{change['state']}" + (f" ({change['reason']})" if change["reason"] else "")
        )
    for notified in summary.notified:
        for destination, why in notified["failed"].items():
            click.echo(f"alerts (run #{notified['run']}): NOT delivered to {destination} ({why})")


def main() -> None:
    cli(prog_name="python -m crawler")
