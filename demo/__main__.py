"""`python -m demo [--db PATH]`: serve the sample portals on 127.0.0.1, crawl them into a fresh
archive, then crawl a later snapshot of them (edits, a removal, a delisting) into the same
archive. Exit status: the crawls'."""

import sys
from pathlib import Path

import click

from .run import run_demo

DEMO_DB = "data/demo.db"


@click.command()
@click.option(
    "--db",
    default=DEMO_DB,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive file to create (replaced if it exists).",
)
def main(db: Path) -> None:
    """Serve the sample portals on 127.0.0.1, crawl them into a fresh archive, then crawl a
    later snapshot of them (edits, a removal, a delisting) into the same archive."""
    sys.exit(run_demo(db))


main(prog_name="python -m demo")
