"""The offline demo: serve the bundled sample portals, crawl them, crawl a later snapshot of
them, and show what changed."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from archive import Archive, ArchiveError, events
from crawler import settings
from crawler.browser import find_browser
from crawler.exceptions import BrowserUnavailable

from .crawl import PROJECT_ROOT, crawl_command
from .server import serve


def demo_portals(site) -> list[str]:
    """All sample portals, less those that need a browser when none is installed."""
    try:
        browser = find_browser(settings.BROWSER_EXECUTABLE or None)
    except BrowserUnavailable:
        browser = None
    return [p["id"] for p in site.portals if browser or p.get("render") != "browser"]


# The later snapshot of the sample portals, crawled after the first one: what the archive is for.
EDITED = "/sm/art/2025/12/25/art_1234_5678.html"
EDITS = (("制定212条整改措施", "制定215条整改措施"), ("整改率99.8%", "整改率99.5%"))
CHROME_ONLY = (
    "/hw/art/2023/11/3/art_5678_88.html",
    "技术支持：大汉网络",
    "技术支持：大汉网络（新版）",
)
REMOVED = "/ta/xxgk/content/2023-11/03/content_88.htm"
DELISTED = "/sm/art/2024/8/16/art_1234_4990.html"


def later_snapshot(site) -> list[str]:
    """Change the served sample portals as time would: a notice edited (its figures changed),
    a page whose chrome alone changed, a notice removed, one taken off its list. Returns what
    was done, one line each."""
    for old, new in EDITS:
        site.edit_text(EDITED, old, new)
    path, old, new = CHROME_ONLY
    site.edit_raw(path, old, new)
    site.remove(REMOVED)
    site.unlist(DELISTED)
    figures = ", ".join(f"{old} → {new}" for old, new in EDITS)
    return [
        f"edited:       {site.url(EDITED)}  ({figures})",
        f"chrome only:  {site.url(path)}  (footer)",
        f"removed:      {site.url(REMOVED)}  (now 404)",
        f"delisted:     {site.url(DELISTED)}  (still online, off its list)",
    ]


def last_event(archive: Path) -> int:
    """The id of the archive's last event (0 when it has none): the changes after it are the
    later snapshot's."""
    try:
        with Archive(archive, readonly=True) as db:
            return events.last_id(db.db)
    except ArchiveError:  # the first crawl archived nothing
        return 0


def shell_command(module: str, archive: Path) -> str:
    """`python -m MODULE --db ARCHIVE` as it runs when pasted into a fresh shell, wherever it
    starts: from the project's folder (the project is imported from there), with this
    interpreter by its path (a virtual environment need not be active)."""
    python = Path(sys.executable)
    if python.is_relative_to(PROJECT_ROOT):
        python = python.relative_to(PROJECT_ROOT)
    return f"cd {PROJECT_ROOT} && {python} -m {module} --db {archive.resolve()}"


def run_demo(archive: Path) -> int:
    """Crawl the sample portals into a fresh archive, then a later snapshot of them into the
    same archive; print the commands that show the history. Returns the crawls' exit status."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive}{suffix}").unlink(missing_ok=True)
    with serve() as site, tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "sample.toml"
        ids = demo_portals(site)
        seeds.write_text(site.seeds_toml(ids), "utf-8")
        print(f"Sample portal serving at {site.base_url} ({len(ids)} portals, offline)")
        print(f"Portals: {', '.join(ids)}")
        skipped = sorted(set(p["id"] for p in site.portals) - set(ids))
        if skipped:
            print(f"Skipping {', '.join(skipped)}: it needs Chromium, which was not found")
        env = dict(os.environ, LOG_LEVEL="WARNING")
        command = crawl_command(seeds, archive.resolve())
        print("\n1. First crawl")
        status = subprocess.call(command, cwd=PROJECT_ROOT, env=env)
        after = last_event(archive)
        print("\n2. Later snapshot of the same portals:")
        for line in later_snapshot(site):
            print(f"   {line}")
        # every known notice is asked for again (they are older than the revisit policy's
        # first month)
        status = subprocess.call([*command, "-a", "full=1"], cwd=PROJECT_ROOT, env=env) or status
        edited = site.url(EDITED)
    run = shell_command("archive", archive)
    print(f"\nArchive: {archive}")
    print(f"Try:  {run} list --changed")
    print(f"      {run} history {edited}")
    print(f"      {run} diff {edited}")
    print(f"      {run} changes --after {after}      # the later snapshot's changes")
    print(f"      {run} search 整改措施")
    print(f"      {run} export --notices")
    print(f"      {run} datasette      # browse it in Datasette;")
    print("        the canned query 'Notices changed after first publication' shows the edit")
    return status
