"""`python -m crawler`: the offline demo, extraction of a saved page, re-extraction, seeds."""

import json
import sys
from pathlib import Path

import click

from archive import Archive, ArchiveError

from .exceptions import CrawlerError


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (ArchiveError, CrawlerError) as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
def cli() -> None:
    """Crawler tools. The crawl itself is `python -m scrapy crawl notices`."""


@cli.command()
@click.option(
    "--db",
    default="data/demo.db",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Archive file to create (replaced if it exists).",
)
def demo(db: Path) -> None:
    """Serve the bundled sample portal on 127.0.0.1 and crawl it into a fresh archive."""
    from .demo import run_demo

    sys.exit(run_demo(db))


@cli.command()
@click.option(
    "--db",
    default="data/archive.db",
    envvar="ARCHIVE_PATH",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Archive file (also ARCHIVE_PATH).",
)
@click.option("--portal", help="Only this portal id.")
def reextract(db: Path, portal: str | None) -> None:
    """Re-run the current extractor over stored raw HTML (no recrawl)."""
    from .reextract import reextract as run

    with Archive(db, create=False) as archive:
        counts = run(archive, portal)
    click.echo(
        f"{counts['checked']} pages re-extracted, {counts['changed']} with a new version"
        f" (extractor change), {counts['failed']} failed"
    )


@cli.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default="", help="The page's URL (dates in URLs are used).")
@click.option("--content-type", help="The Content-Type header it was served with.")
def extract_file(file: Path, url: str, content_type: str | None) -> None:
    """Show what extraction makes of a saved page, as JSON."""
    from .extract import extract
    from .patterns import is_notice_title

    headers = {"Content-Type": content_type} if content_type else {}
    result = extract(file.read_bytes(), url or file.as_uri(), headers)
    data = {"notice": is_notice_title(result.title), **result.__dict__}
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command("check-seeds")
@click.argument("path", default="seeds", type=click.Path(path_type=Path))
def check_seeds(path: Path) -> None:
    """Validate a seeds file or folder and list its portals."""
    from .seeds import load_seeds

    for portal in load_seeds(path):
        click.echo(f"{portal.id:24} {portal.level or '-':10} {portal.render:8} {portal.name}")


@cli.command()
@click.argument("path", default="seeds", type=click.Path(path_type=Path))
@click.option("--portal", help="Only this portal id.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def probe(path: Path, portal: str | None, as_json: bool) -> None:
    """Check portals before their first crawl: reachable, robots, WAF, CMS, lists, search.

    Exit status 0 when every portal is usable, 1 when any is not.
    """
    from scrapy.utils.project import get_project_settings

    from .probe import Prober, format_table
    from .seeds import load_seeds, select

    settings = get_project_settings()
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


def main() -> None:
    cli(prog_name="python -m crawler")
