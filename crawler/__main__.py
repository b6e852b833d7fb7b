"""`python -m crawler`: the offline demo, re-extraction and seed checking."""

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


@cli.command("check-seeds")
@click.argument("path", default="seeds", type=click.Path(path_type=Path))
def check_seeds(path: Path) -> None:
    """Validate a seeds file or folder and list its portals."""
    from .seeds import load_seeds

    for portal in load_seeds(path):
        click.echo(f"{portal.id:24} {portal.level or '-':10} {portal.render:8} {portal.name}")


cli(prog_name="python -m crawler")
