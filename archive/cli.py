"""`python -m archive`: a thin command line over the archive library."""

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import click

from . import browse, dates, events, feed, health, notify, reports
from . import copies as copies_
from . import diff as difflib_
from . import export as export_
from . import records as records_
from . import wacz as wacz_
from . import warc as warc_
from .check import check as check_archive
from .errors import ArchiveError, DamagedArchive, UnknownVersion, sqlite_failure
from .search import count as count_matches
from .search import search as search_
from .store import Archive

DEFAULT_DB = "data/archive.db"
RESPONSE_FORMATS = ("warc", "wacz")  # stored responses, not records


class _Group(click.Group):
    """Turns the library's errors into a one-line message and exit status 1, and usage errors
    (a bad option value) into a one-line message and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            ctx.exit(2)
        except ArchiveError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)
        except sqlite3.DatabaseError as exc:  # found while reading: locked, malformed …
            click.echo(f"Error: {sqlite_failure(ctx.obj['db'], exc)}", err=True)
            ctx.exit(1)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Every command also takes --db, so it works before or after the command's name."""
        cmd.params.append(db_after_command())
        super().add_command(cmd, name)


def db_after_command() -> click.Option:
    """`--db PATH` given after the command: it wins over the one before (and ARCHIVE_PATH)."""

    def remember(ctx: click.Context, _param, value) -> None:
        if value is not None:
            ctx.obj["db"] = value

    return click.Option(
        ["--db"],
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=remember,
        help="Archive file (as before the command).",
    )


class _Date(click.ParamType):
    """A date option, checked by the archive's rules: a crawl time, or a publication date."""

    name = "date"

    def __init__(self, check) -> None:
        self.check = check

    def convert(self, value, param, ctx):
        try:
            return self.check(value, param.opts[0] if param else "date")
        except ArchiveError as exc:
            raise click.UsageError(str(exc), ctx) from None


CRAWL_TIME = _Date(dates.crawl_time)
PUBLISHED = _Date(dates.publication_date)


def _archive(ctx: click.Context, *, write: bool = False) -> Archive:
    """The command's archive. A command that only reads opens it read-only: it never creates
    or changes a file (not an empty one, not an older archive: `migrate` upgrades those)."""
    if "archive" not in ctx.obj:
        archive = Archive(ctx.obj["db"], create=False, readonly=not write)
        ctx.obj["archive"] = ctx.with_resource(archive)
    return ctx.obj["archive"]


def _print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _emit(rows: list, as_json: bool, render, empty: str = "(none)") -> None:
    """Print records as JSON, or one rendered block each, or `empty` when there are none."""
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo(empty)
    for row in rows:
        click.echo(render(row))


def _columns(*names: str):
    """A renderer printing the named fields of a record, blank where missing."""
    return lambda row: "  ".join("" if row.get(c) is None else str(row.get(c)) for c in names)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def since_option(text: str, **kwargs):
    """A --since option: a crawl time, YYYY-MM-DD or an ISO 8601 time."""
    return click.option(
        "--since", type=CRAWL_TIME, help=f"{text} YYYY-MM-DD or ISO time (UTC).", **kwargs
    )


after_option = click.option(
    "--after",
    type=click.IntRange(min=0),
    metavar="ID",
    help="Only events after event ID (0: all). Store the largest event id you read and pass "
    "it next time: nothing is missed or repeated.",
)


def published_options(command):
    """--published-since / --published-until: bounds on the publication date (inclusive)."""
    command = click.option(
        "--published-until",
        type=PUBLISHED,
        help="Only notices published on or before DATE (YYYY-MM-DD, publication date).",
    )(command)
    return click.option(
        "--published-since",
        type=PUBLISHED,
        help="Only notices published on or after DATE (YYYY-MM-DD, publication date).",
    )(command)


output_option = click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Output file (default: stdout).",
)


@click.group(cls=_Group)
@click.option(
    "--db",
    default=DEFAULT_DB,
    envvar="ARCHIVE_PATH",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive file (also ARCHIVE_PATH).",
)
@click.pass_context
def cli(ctx: click.Context, db: Path) -> None:
    """Browse, diff, search and export the notice archive."""
    ctx.obj = {"db": db}


@cli.command()
@json_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Pages, versions, portals, runs, last run, size on disk."""
    data = _archive(ctx).stats()
    if as_json:
        _print_json(data)
        return
    for key, value in data.items():
        if key == "last_run" and value:
            value = (
                f"#{value['id']} {value['started_at']} → {value['finished_at']} {value['status']}"
            )
        click.echo(f"{key:12} {value}")


@cli.command("list")
@click.option("--portal", help="Only this portal id.")
@since_option("Only pages crawled (seen) on or after DATE (crawl time).")
@published_options
@click.option("--changed", is_flag=True, help="Only pages with more than one version.")
@click.option("--gone", is_flag=True, help="Only pages that are gone.")
@json_option
@click.pass_context
def list_(ctx, portal, since, published_since, published_until, changed, gone, as_json) -> None:
    """List archived pages with their current title."""
    rows = _archive(ctx).list_pages(
        portal=portal,
        since=since,
        changed=changed,
        gone=gone,
        published_since=published_since,
        published_until=published_until,
    )
    _emit(rows, as_json, _columns("published", "portal", "versions", "state", "title", "url"))


@cli.command()
@click.argument("url")
@click.option("--version", "number", type=int, help="Version number (default: current).")
@click.option("--html", "raw", is_flag=True, help="Print the stored raw HTML (or file) instead.")
@click.option("--fields", "structured", is_flag=True, help="Print what the notice states instead.")
@json_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="With --html: write the stored bytes to this file (a PDF or Word file needs one).",
)
@click.pass_context
def show(ctx, url, number, raw, structured, as_json, output) -> None:
    """Show the clean text (or raw HTML, or fields and items) of a version of a page."""
    archive = _archive(ctx)
    if raw and (as_json or structured):
        raise click.UsageError(
            "--html prints the stored bytes as they are: not with --json/--fields"
        )
    if output is not None and not raw:
        raise click.UsageError("-o writes the stored bytes: use it with --html")
    if raw:
        _write_raw(archive, url, number, output)
        return
    if structured:
        found = archive.structure(url, number)
        if as_json:
            _print_json(found)
            return
        for key, value in found["fields"].items():
            click.echo(f"{key:18} {'' if value is None else value}")
        for count in found["counts"]:
            click.echo(f"{'count':18} {count['measure']} {count['number']:g} {count['unit']}")
        for item in found["items"]:
            path = "/".join(p for p in (item["section_path"], item["marker"]) if p)
            first_line = item["text"].partition("\n")[0]
            click.echo(f"{path:24} {first_line[:60]}")
        return
    row = archive.version(url, number)
    row["attachments"] = archive.attachments(url)
    if as_json:
        _print_json(row)
        return
    click.echo(f"{row['title']}\n{row['published'] or ''} {row['source'] or ''}".rstrip())
    click.echo(f"version {row['number']} ({row['kind']}) fetched {row['fetched_at']}\n")
    click.echo(row["text"])
    for attachment in row["attachments"]:
        click.echo(f"\nattachment ({attachment['content_kind']}): {attachment['label'] or ''}")
        click.echo(f"  {attachment['url']}")


def _write_raw(archive: Archive, url: str, number: int | None, output: Path | None) -> None:
    """The stored body of a version to a file or stdout; a binary file never to a terminal."""
    body = archive.raw_html(url, number)
    if output is not None and str(output) != "-":
        output.write_bytes(body)
        click.echo(f"{len(body)} bytes written to {output}", err=True)
        return
    stdout = sys.stdout.buffer
    binary = archive.page(url)["content_kind"] != "html" or b"\0" in body[:8192]
    if binary and output is None and stdout.isatty():
        kind = archive.page(url)["content_kind"]
        raise click.UsageError(
            f"{url.strip()} is a {kind} file: not written to a terminal; use -o FILE (or -o -)"
        )
    stdout.write(body)
    stdout.flush()


@cli.command()
@click.argument("url")
@json_option
@click.pass_context
def history(ctx, url, as_json) -> None:
    """Every version and every fetch outcome of a page over time."""
    archive = _archive(ctx)
    page = archive.page(url)
    versions, fetches = archive.versions(url), archive.fetches(url)
    if as_json:
        _print_json({"page": page, "versions": versions, "fetches": fetches})
        return
    click.echo(f"{page['url']}\nstate: {page['state']} since {page['state_since']}")
    if page["redirect_to"]:
        click.echo(f"redirects to: {page['redirect_to']}")
    click.echo("\nversions:")
    for v in versions:
        extra = f" (reverts to {v['reverts_to']})" if v["reverts_to"] else ""
        click.echo(f"  {v['number']:>3}  {v['fetched_at']}  {v['kind']}{extra}  {v['title']}")
    click.echo("\nfetches:")
    for f in fetches:
        version = f" → v{f['version']}" if f["version"] else ""
        detail = f"  ({f['detail']})" if f["detail"] else ""
        click.echo(f"  {f['fetched_at']}  {f['status'] or '-'}  {f['outcome']}{version}{detail}")


def _json_format(fmt: str, as_json: bool) -> str:
    """--json is --format json; refused beside another --format."""
    if as_json and fmt not in ("text", "json"):
        raise click.UsageError(f"--json and --format {fmt} ask for two formats: give one")
    return "json" if as_json else fmt


def _split_ref(ref: str) -> tuple[str, int | None]:
    ref = ref.strip()
    url, sep, number = ref.rpartition("@")
    if sep and number.isdigit():
        return url, int(number)
    return ref, None


@cli.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--from", "from_", type=int, help="Old version number (one-page form).")
@click.option("--to", type=int, help="New version number (one-page form).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
)
@json_option
@click.option("--color/--no-color", default=None, help="Colour the text diff (default: on a tty).")
@click.option("--cluster", is_flag=True, help="Diff every copy of URL against the first published.")
@click.pass_context
def diff(ctx, refs, from_, to, fmt, as_json, color, cluster) -> None:
    """Diff two versions: `diff URL [--from N] [--to M]` or `diff A B` (URL or URL@N);
    `diff --cluster URL` compares each copy of a notice with its first published copy."""
    fmt = _json_format(fmt, as_json)
    archive = _archive(ctx)
    if cluster:
        _diff_cluster(archive, refs, fmt, color)
        return
    if len(refs) == 1:
        url = refs[0]
        current = archive.page(url)["current_version"] or 0
        new = archive.version(url, current if to is None else to)
        old_n = new["number"] - 1 if from_ is None else from_
        if old_n < 1:
            raise UnknownVersion(f"{new['url']} has only {current} version(s); nothing to diff")
        old = archive.version(url, old_n)
    elif len(refs) == 2:
        if from_ is not None or to is not None:
            raise click.UsageError("--from and --to are for `diff URL`; write A@N B@M instead")
        old, new = (archive.version(*_split_ref(ref)) for ref in refs)
    else:
        raise click.UsageError("diff takes one URL or two references A B")
    old_label = f"{old['url']}@{old['number']} ({old['fetched_at']})"
    new_label = f"{new['url']}@{new['number']} ({new['fetched_at']})"
    blocks = difflib_.diff_texts(old["text"], new["text"])
    if fmt == "json":
        _print_json(difflib_.to_json(blocks, old_label, new_label))
    elif fmt == "html":
        click.echo(difflib_.to_html(blocks, old_label, new_label, title=new["title"] or "diff"))
    else:
        use_color = sys.stdout.isatty() if color is None else color
        click.echo(difflib_.to_text(blocks, old_label, new_label, color=use_color), nl=False)


def _diff_cluster(archive: Archive, refs: tuple[str, ...], fmt: str, color: bool | None) -> None:
    if len(refs) != 1:
        raise click.UsageError("diff --cluster takes one URL")
    members = copies_.copies(archive.db, archive.page(refs[0])["id"])
    first = archive.version(members[0]["url"])
    first_label = f"{first['url']}@{first['number']} ({first['published'] or first['fetched_at']})"
    sections = []
    for member in members[1:]:
        later = archive.version(member["url"])
        label = f"{later['url']}@{later['number']} ({later['published'] or later['fetched_at']})"
        # similarity to the first published copy, the one it is compared with
        alike = copies_.similarity(archive.db, members[0]["page_id"], member["page_id"])
        heading = f"{member['portal'] or ''} · similarity {alike:.3f}"
        sections.append(
            (heading, difflib_.diff_texts(first["text"], later["text"]), first_label, label)
        )
    if fmt == "html":
        title = f"Copies of {first['title'] or first['url']}"
        click.echo(difflib_.to_html_many(sections, title=title), nl=False)
    elif fmt == "json":
        _print_json([difflib_.to_json(blocks, old, new) for _, blocks, old, new in sections])
    else:
        use_color = sys.stdout.isatty() if color is None else color
        for heading, blocks, old, new in sections:
            click.echo(f"=== {heading}")
            click.echo(difflib_.to_text(blocks, old, new, color=use_color), nl=False)
        if not sections:
            click.echo("(no other copies)")


@cli.command("copies")
@click.argument("url")
@json_option
@click.pass_context
def copies_cmd(ctx, url, as_json) -> None:
    """Every copy of a notice: portal, URL, dates, similarity to this one, and why it is the
    same notice (issuer and round, or title)."""
    archive = _archive(ctx)
    page = archive.page(url)
    rows = copies_.copies(archive.db, page["id"])

    def render(row: dict) -> str:
        similarity = "this page" if row["page_id"] == page["id"] else f"{row['similarity']:.3f}"
        return (
            f"{row['published'] or '':10}  {row['portal'] or '-':16} {similarity:>9}  "
            f"{row['url']}\n{_why(row)}"
        )

    _emit(rows, as_json, render)


def _why(row: dict) -> str:
    """Why a copy is one notice with the page it is compared with: its issuer and round, and
    which of them (or the title) agree."""
    stated = " · ".join(
        f"{name} {row[key]}" for name, key in (("issuer", "issuer"), ("round", "round")) if row[key]
    )
    same = "" if row["same_notice"] == "this page" else f"  (same {row['same_notice']})"
    return f"{'':12}{stated or 'no issuer or round stated'}{same}"


@cli.command()
@since_option("Only clusters with a copy first seen on or after DATE (crawl time).")
@json_option
@click.pass_context
def republished(ctx, since, as_json) -> None:
    """Notices found at more than one URL (clusters of copies), each copy with its similarity to
    the first published one and why it is the same notice (issuer and round, or title)."""
    clusters = copies_.republished(_archive(ctx).db, since)

    def render(cluster: dict) -> str:
        lines = [f"{cluster['copies'][0]['title']}  ({len(cluster['copies'])} copies)"]
        for row in cluster["copies"]:
            similarity = (
                "first" if row["same_notice"] == "this page" else f"{row['similarity']:.3f}"
            )
            lines.append(
                f"  {row['published'] or '':10}  {row['portal'] or '-':16} {similarity:>6}  "
                f"{row['url']}\n{_why(row)}"
            )
        return "\n".join(lines)

    _emit(clusters, as_json, render, "(no republished notices)")


@cli.command("index-copies")
@click.option("--rebuild", is_flag=True, help="Forget all matches and match every page again.")
@click.option(
    "--threshold",
    type=click.FloatRange(0.5, 1.0),
    default=copies_.DEFAULT_THRESHOLD,
    show_default=True,
    help="Similarity (Jaccard of shingles) that makes two copies.",
)
@click.pass_context
def index_copies(ctx, rebuild, threshold) -> None:
    """Match pages archived before copy matching, or all pages again with --rebuild."""
    archive = _archive(ctx, write=True)
    archive.copy_threshold = threshold
    count = archive.index_copies(rebuild=rebuild)
    click.echo(f"{count} page(s) matched")


@cli.command()
@click.argument("query")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Show at most this many results (the newest); the output says how many more match.",
)
@json_option
@click.pass_context
def search(ctx, query, limit, as_json) -> None:
    """Full-text search of current versions (Chinese: any substring; several words: pages with
    all of them), newest first. At most --limit results are shown (20 unless given); when more
    match, the output says how many more (on stderr with --json)."""
    db = _archive(ctx).db
    rows = search_(db, query, limit)
    more = count_matches(db, query) - len(rows) if len(rows) == limit else 0
    _emit(
        rows,
        as_json,
        lambda r: f"{r['published'] or '':10}  {r['title']}\n  {r['url']}\n  {r['snippet']}",
        "(no matches)",
    )
    if more:
        click.echo(f"… and {more} more result(s): --limit {limit + more} shows all", err=as_json)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*export_.FORMATS, *RESPONSE_FORMATS]),
    default="jsonl",
    show_default=True,
    help="warc: every stored response, with a CDXJ index beside the file. wacz: the same, with "
    "a pages list of the notices, in one file ReplayWeb.page opens.",
)
@click.option("--notices", "record_type", flag_value="notices", help="Notice records (fields).")
@click.option("--items", "record_type", flag_value="items", help="One record per numbered item.")
@after_option
@since_option(
    "Only events on or after DATE (crawl time, inclusive): one record per event, as --after."
)
@published_options
@click.option("--all-versions", is_flag=True, help="One record per version, not per page.")
@click.option(
    "--bom",
    "--excel",
    "bom",
    is_flag=True,
    help="CSV: start with a UTF-8 byte order mark, so Excel opens Chinese text right.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Output file (default: stdout; parquet and warc need a file). It is written whole or "
    "not at all.",
)
@click.pass_context
def export(
    ctx, fmt, record_type, after, since, published_since, published_until, all_versions, bom, output
):
    """Export pages, versions, notices or items (JSONL, CSV, Parquet), or responses as WARC.
    With --after ID (or --since DATE): one record per event of the log after it (new and changed
    versions, notices gone, delisted …), each naming its event."""
    archive = _archive(ctx)
    to_stdout = str(output) == "-"
    if fmt in ("parquet", *RESPONSE_FORMATS) and to_stdout:
        raise click.UsageError(f"--format {fmt} writes a file: give one with -o FILE")
    if bom and fmt != "csv":
        raise click.UsageError("--bom is for --format csv")
    if fmt in RESPONSE_FORMATS and (published_since or published_until):
        raise click.UsageError(f"--format {fmt} exports responses: --published-* do not apply")
    if fmt == "warc":
        count, index = warc_.export_warc(archive.db, output, since=since, after=after)
        click.echo(f"{count} records written to {output}, index {index}", err=True)
        return
    if fmt == "wacz":
        count, pages = wacz_.export_wacz(archive.db, output, since=since, after=after)
        click.echo(f"{count} records and {pages} notice pages written to {output}", err=True)
        return
    record_type = record_type or "versions"
    with records_.snapshot(archive.db):  # the records and the last event id agree
        last = events.last_id(archive.db)
        rows = export_.records(
            archive.db,
            record_type=record_type,
            since=since,
            all_versions=all_versions,
            published_since=published_since,
            published_until=published_until,
            after=after,
        )
        if to_stdout:
            with click.open_file("-", "w", encoding="utf-8") as out:
                _write_records(rows, fmt, out, record_type, bom)
            return
        with export_.replacing(output) as partial:
            if fmt == "parquet":
                count = export_.write_parquet(rows, partial, record_type)
            else:
                with partial.open("w", encoding="utf-8", newline="") as out:
                    count = _write_records(rows, fmt, out, record_type, bom)
    click.echo(
        f"{count} {record_type} records written to {output}; the event log ends at event "
        f"{last} (export --after {last} next time)",
        err=True,
    )


def _write_records(rows, fmt: str, out, record_type: str, bom: bool) -> int:
    if bom:
        out.write("\ufeff")
    writer = export_.write_jsonl if fmt == "jsonl" else export_.write_csv
    return writer(rows, out, record_type)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def datasette(ctx, datasette_args) -> None:
    """Browse the archive in Datasette with the bundled metadata (extra arguments go to
    `datasette serve`, e.g. -p 8001)."""
    db = _archive(ctx).path  # refuses a missing or foreign file first
    ctx.exit(browse.serve(db, datasette_args))


@cli.command()
@click.option("--all", "every", is_flag=True, help="Parse every version again.")
@click.pass_context
def reparse(ctx, every) -> None:
    """Parse fields and items of versions not parsed by this version of the parser."""
    count = _archive(ctx, write=True).reparse(every=every)
    click.echo(f"{count} versions parsed")


@cli.command()
@click.pass_context
def migrate(ctx) -> None:
    """Upgrade an archive written by an older version of this program to its schema (a crawl
    does too; commands that only read never change a file)."""
    archive = _archive(ctx, write=True)
    version = archive.db.execute("PRAGMA user_version").fetchone()[0]
    click.echo(f"{archive.path}: schema version {version}")


@cli.command("check")
@json_option
@click.pass_context
def check_(ctx, as_json) -> None:
    """Check the archive is whole: SQLite's integrity check, then every stored body must
    decompress and match its hash. Exit status 1 naming what is damaged."""
    archive = _archive(ctx)
    report = check_archive(archive.db)
    if as_json:
        _print_json({"ok": report.ok, "bodies": report.bodies, "problems": report.problems})
    else:
        for problem in report.problems:
            click.echo(f"damaged: {problem}")
    if not report.ok:
        raise DamagedArchive(
            f"{archive.path} is damaged: {len(report.problems)} problem(s) (listed above); "
            "restore it from a backup, or recover it with `sqlite3 FILE .recover`"
        )
    if not as_json:
        click.echo(
            f"ok: {archive.path} passed SQLite's integrity check; {report.bodies} stored "
            "bodies decompress and match their hashes"
        )


@cli.command("runs")
@click.option("--limit", default=20, show_default=True, help="At most this many runs.")
@json_option
@click.pass_context
def runs_(ctx, limit, as_json) -> None:
    """List crawl runs, newest first, with their outcome counts."""
    rows = reports.runs(_archive(ctx).db, limit)

    def render(row: dict) -> str:
        counts = " ".join(f"{k}={v}" for k, v in sorted(row["counts"].items()))
        return (
            f"#{row['id']:<4} {row['started_at']}  {row['status']:12} "
            f"{len(row['portals'])} portal(s)  {counts}"
        )

    _emit(rows, as_json, render, "(no runs)")


@cli.command("run")
@click.argument("run_id", type=int)
@json_option
@click.pass_context
def run_(ctx, run_id, as_json) -> None:
    """One run: per-portal counts and its errors."""
    report = reports.run(_archive(ctx).db, run_id)
    if as_json:
        _print_json(report)
        return
    click.echo(
        f"run #{report['id']}  {report['status']}  {report['started_at']} → "
        f"{report['finished_at'] or '…'}"
    )
    width = max([len(p) for p in report["portals"]] + [6])
    click.echo("portal".ljust(width) + "".join(f"{c:>13}" for c in reports.COLUMNS))
    for pid, counts in report["portals"].items():
        line = pid.ljust(width) + "".join(f"{counts[c]:>13}" for c in reports.COLUMNS)
        click.echo(line + ("  UNREACHABLE" if counts["unreachable"] else ""))
    if report["errors"]:
        click.echo("\nerrors:")
        for error in report["errors"]:
            click.echo(f"  {error.get('portal') or '-'}  {error['url']}  {error['detail']}")
    found = _archive(ctx).coverage(run_id)
    if found["portals"]:
        click.echo(f"\ncoverage (`python -m archive coverage {run_id}` for every list):")
        for portal in found["portals"]:
            click.echo("  " + _portal_coverage(portal))


@cli.command("coverage")
@click.argument("run_id", type=int, required=False)
@click.option("--portal", help="Only this portal.")
@click.option("--incomplete", is_flag=True, help="Only the lists that were not read whole.")
@json_option
@click.pass_context
def coverage_(ctx, run_id, portal, incomplete, as_json) -> None:
    """Which lists of which portals a run read whole (default: the latest run): what each
    list states it holds (items, pages), what was read, and why a list is incomplete."""
    found = _archive(ctx).coverage(run_id, portal)
    if incomplete:
        for entry in found["portals"]:
            entry["lists"] = [e for e in entry["lists"] if not e["complete"]]
    if as_json:
        _print_json(found)
        return
    click.echo(f"run #{found['run']}")
    if not found["portals"]:
        click.echo("(no coverage recorded)")
    for entry in found["portals"]:
        click.echo(_portal_coverage(entry))
        for row in entry["lists"]:
            click.echo("  " + _list_coverage(row))


def _portal_coverage(entry: dict) -> str:
    verdict = "complete" if entry["complete"] else f"INCOMPLETE ({entry['reason'] or '?'})"
    return (
        f"{entry['portal']}  {verdict}  {entry['list_count']} list(s), "
        f"{entry['incomplete_count']} incomplete"
    )


def _list_coverage(row: dict) -> str:
    def pair(read, stated) -> str:
        return f"{'-' if read is None else read}/{'-' if stated is None else stated}"

    state = "complete" if row["complete"] else f"INCOMPLETE: {row['reason']}"
    return (
        f"{row['kind']:<13} items {pair(row['read_items'], row['stated_items']):>11}  "
        f"pages {pair(row['read_pages'], row['stated_pages']):>9}  {state}  {row['list_url']}"
    )


@cli.command()
@after_option
@since_option("Only events on or after DATE (crawl time, inclusive).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "atom"]),
    default="text",
    show_default=True,
)
@json_option
@output_option
@click.pass_context
def changes(ctx, after, since, fmt, as_json, output) -> None:
    """What is new, changed, gone, delisted … (the archive's event log), after an event id or
    since a date, newest first: text, JSON or an Atom feed. Every record carries its event id."""
    fmt = _json_format(fmt, as_json)
    if after is None and since is None:
        raise click.UsageError("give --after ID (0: every event) or --since DATE")
    archive = _archive(ctx)
    rows = feed.changes(archive.db, since, after=after)
    if fmt == "atom":
        output.write(feed.to_atom(rows, archive=events.archive_id(archive.db)))
    elif fmt == "json":
        output.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        if not rows:
            output.write("(no changes)\n")
        for row in rows:
            output.write(
                f"#{row['event']}  {row['at']}  {row['kind']:12} {row['title'] or ''}\n"
                f"  {row['url']}\n"
            )
            for attachment in row["attachments"]:
                output.write(f"  file: {attachment['label'] or ''} {attachment['url']}\n")
            if row["kind"].removeprefix("file-") in feed.DIFFED:
                output.write("".join(f"    {line}\n" for line in row["summary"].splitlines()))


silent_runs_option = click.option(
    "--silent-runs",
    type=click.IntRange(min=1),
    default=health.SILENT_RUNS,
    envvar="HEALTH_SILENT_RUNS",
    show_default=True,
    metavar="N",
    help="A portal whose lists linked no notice for N runs, after linking some, is silent "
    "(also HEALTH_SILENT_RUNS).",
)


@cli.command("health")
@click.option("--portal", help="Only this portal, with the ledger row of each of its runs.")
@silent_runs_option
@json_option
@click.pass_context
def health_(ctx, portal, silent_runs, as_json) -> None:
    """Each portal's health: ok, silent, degraded, blocked or down, since which run, and its
    last good run (from the ledger every run writes; docs/health.md)."""
    db = _archive(ctx).db
    found = [h.as_dict() for h in health.states(db, portal, silent_runs)]
    if portal is not None and not found:
        raise click.UsageError(f"no run of portal {portal!r} in the ledger")
    rows = health.history(db, portal, silent_runs) if portal else []
    if as_json:
        _print_json({"portal": found[0], "runs": rows} if portal else found)
        return
    if not found:
        click.echo("(no finished run in the ledger)")
    for h in found:
        good = f"#{h['last_good_run']} {h['last_good']}" if h["last_good_run"] else "never"
        click.echo(
            f"{h['portal']}  {h['state'].upper()}  since run #{h['since_run']} ({h['since']})  "
            f"last good: {good}" + (f"  {h['reason']}" if h["reason"] else "")
        )
    for row in rows:
        click.echo(
            f"  #{row['run_id']:<4} {row['at']}  {row['state'] or '-':9} pages={row['pages']} "
            f"listed={row['listed']} new={row['new']} changed={row['changed']} "
            f"gone={row['gone']} delisted={row['delisted']} errors={row['errors']}"
            + (f" blocked_by={row['blocked_by']}" if row["blocked_by"] else "")
            + (f" incomplete={row['incomplete_why']}" if row["incomplete_why"] else "")
        )


@cli.command("notify")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option(
    "--after",
    type=click.IntRange(min=0),
    metavar="EVENT_ID",
    help="Send what came after this event (0: everything); default: after what each URL was "
    "last sent.",
)
@click.option(
    "--web-base-url",
    envvar="WEB_BASE_URL",
    metavar="URL",
    help="The web view's address, which messages link notices to (also WEB_BASE_URL).",
)
@silent_runs_option
@json_option
@click.pass_context
def notify_(ctx, urls, after, web_base_url, silent_runs, as_json) -> None:
    """Send each Apprise URL (default: NOTIFY_URLS, separated by spaces) one message per run:
    its new, changed, gone and delisted notices and the portals whose health changed. What was
    delivered is recorded in the archive; a failed delivery is sent again next time."""
    urls = urls or tuple(os.environ.get("NOTIFY_URLS", "").split())
    if not urls:
        raise click.UsageError("give the Apprise URLs to send to (or set NOTIFY_URLS)")
    archive = _archive(ctx, write=True)
    deliveries = notify.notify(
        archive.db, urls, after=after, base=web_base_url, silent_runs=silent_runs
    )
    if as_json:  # each destination: the runs sent, and why the next one was not
        _print_json([dataclasses.asdict(done) for done in deliveries])
    for done in deliveries if not as_json else ():
        runs = ", ".join(f"#{r}" if r is not None else "outside a crawl" for r in done.sent)
        click.echo(
            f"{done.destination}: {len(done.sent)} message(s) sent" + (f" ({runs})" if runs else "")
        )
        if done.error:
            click.echo(f"Error: {done.destination}: not delivered: {done.error}", err=True)
    if any(done.error for done in deliveries):
        ctx.exit(1)


@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
    hidden=True,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def ingest(ctx, args) -> None:
    """Alias of `python -m crawler ingest`, where the distributed writer now lives (the alias
    goes in the next release)."""
    click.echo(
        "note: the writer is now `python -m crawler ingest`; this alias goes in the next release",
        err=True,
    )
    command = [sys.executable, "-m", "crawler", "--db", str(ctx.obj["db"]), "ingest", *args]
    ctx.exit(subprocess.run(command, check=False).returncode)


def main() -> None:
    cli(prog_name="python -m archive")
