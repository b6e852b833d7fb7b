"""A `scrapy crawl notices` of local servers from the checkout: the demo's, the bench's and the
tests' crawls."""

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Settings for a crawl of a local server: no need to be gentle with ourselves.
LOCAL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_BACKOFF_BASE": "0.1",
}


def crawl_command(seeds: Path, archive: Path, *extra: str) -> list[str]:
    """The `python -m scrapy crawl notices` command line for a seeds file and an archive (run
    it with the checkout, PROJECT_ROOT, as its working directory)."""
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
