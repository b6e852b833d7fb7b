"""The offline demo: serve the bundled sample portals, crawl them, crawl a later snapshot of
them, and show what changed."""

import os
import subprocess
import tempfile
import time
from pathlib import Path

from archive import Archive, ArchiveError
from archive.models import utcnow
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


def after_last_fetch(archive: Path) -> str:
    """A crawl time later than every fetch archived so far. The archive writes whole seconds,
    so a time taken in the second of the first crawl's last fetch would put that fetch in the
    later snapshot's change feed: wait for the clock to pass it."""
    try:
        with Archive(archive, create=False) as db:
            last = db.db.execute("SELECT max(fetched_at) FROM fetches").fetchone()[0] or ""
    except ArchiveError:  # the first crawl archived nothing
        return utcnow()
    while (now := utcnow()) <= last:
        time.sleep(0.05)
    return now


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
        since = after_last_fetch(archive)
        print("\n2. Later snapshot of the same portals:")
        for line in later_snapshot(site):
            print(f"   {line}")
        # every known notice is asked for again (they are older than the revisit policy's
        # first month)
        status = subprocess.call([*command, "-a", "full=1"], cwd=PROJECT_ROOT, env=env) or status
        edited = site.url(EDITED)
    print(f"\nArchive: {archive}")
    print(f"Try:  python -m archive --db {archive} list --changed")
    print(f"      python -m archive --db {archive} history {edited}")
    print(f"      python -m archive --db {archive} diff {edited}")
    print(f"      python -m archive --db {archive} changes --since {since}")
    print(f"      python -m archive --db {archive} search 整改措施")
    print(f"      python -m archive --db {archive} export --notices")
    print(f"      python -m archive --db {archive} datasette      # browse it in Datasette;")
    print("        the canned query 'Notices changed after first publication' shows the edit")
    return status
