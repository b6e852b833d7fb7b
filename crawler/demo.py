"""The offline demo: serve the bundled sample portal, crawl it, show the result."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import settings
from .browser import find_browser
from .demo_site import serve
from .exceptions import BrowserUnavailable

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Settings for a crawl of a local server: no need to be gentle with ourselves.
LOCAL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_BACKOFF_BASE": "0.1",
}


def crawl_command(seeds: Path, archive: Path, *extra: str) -> list[str]:
    """The `python -m scrapy crawl notices` command line for a seeds file and an archive."""
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "notices",
        "-a",
        f"seeds={seeds}",
        "-s",
        f"ARCHIVE_PATH={archive}",
    ]
    for key, value in LOCAL_SETTINGS.items():
        command += ["-s", f"{key}={value}"]
    return command + list(extra)


def demo_portals(site) -> list[str]:
    """All sample portals, less those that need a browser when none is installed."""
    try:
        browser = find_browser(settings.BROWSER_EXECUTABLE or None)
    except BrowserUnavailable:
        browser = None
    return [p["id"] for p in site.portals if browser or p.get("render", "http") == "http"]


def run_demo(archive: Path) -> int:
    """Crawl the sample portal into a fresh archive; return the crawl's exit status."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive}{suffix}").unlink(missing_ok=True)
    with serve() as site, tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "sample.toml"
        ids = demo_portals(site)
        seeds.write_text(site.seeds_toml(ids), "utf-8")
        print(f"Sample portal serving at {site.base_url} ({len(ids)} portals, offline)")
        skipped = sorted(set(p["id"] for p in site.portals) - set(ids))
        if skipped:
            print(f"Skipping {', '.join(skipped)}: it needs Chromium, which was not found")
        env = dict(os.environ, LOG_LEVEL="WARNING")
        status = subprocess.call(crawl_command(seeds, archive.resolve()), cwd=PROJECT_ROOT, env=env)
    print(f"\nArchive: {archive}")
    print(f"Try:  python -m archive --db {archive} list")
    print(f"      python -m archive --db {archive} search 整改措施")
    print(f"      python -m archive --db {archive} export --notices")
    print(f"      python -m archive --db {archive} datasette      # browse it in Datasette")
    return status
