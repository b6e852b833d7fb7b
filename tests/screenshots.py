"""Screenshots of the web view, made from a real archive of the sample portals.

The archive is made as a user's would be: a crawl, an edit of one notice on the site, a
recrawl, a second edit of it with one notice removed and one moved, a third crawl. `tests/test_web.py` builds it, serves it with `python -m archive datasette` and drives
Chromium through Playwright; this module is what both use, so the README's pictures are made
again with:

    python -m tests.screenshots docs/screenshots
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from crawler.browser import LAUNCH_ARGS, find_browser
from demo.crawl import PROJECT_ROOT, crawl_command
from demo.server import serve

SM = "/sm/art/2025/12/25/art_1234_5678.html"  # a notice
HW = "/hw/art/2025/12/25/art_5678_100.html"  # the same notice republished, two figures changed
EDITED = "/xm/zwgk/tzgg/202109/t20210930_1870.htm"  # edited between the two crawls
GONE = "/ta/xxgk/content/2023-11/03/content_88.htm"  # answers 404 to the second crawl
MOVED = "/xm/zwgk/tzgg/202202/t20220222_2061.htm"  # redirects to MOVED_TO in the second crawl
MOVED_TO = "/xm/zwgk/tzgg/202202/t20220222_2061_new.htm"
HOSTILE = '<script>alert(1)</script>" onmouseover="alert(2)'
# the second edit of EDITED: three figures (its version 3)
SECOND_EDIT = (
    ("已完成整改措施88条，其余8条持续推进", "已完成整改措施95条，其余3条持续推进"),
    ("重新制定整改措施14条", "重新制定整改措施16条"),
)
PATHS = {"SM": SM, "HW": HW, "EDITED": EDITED, "GONE": GONE, "MOVED": MOVED, "MOVED_TO": MOVED_TO}
VIEWPORT = {"width": 1000, "height": 680}


@dataclass
class WebArchive:
    path: Path
    url: dict[str, str]  # SM, HW, EDITED → the archived URL


def _crawl(seeds: Path, archive: Path, *extra: str) -> None:
    command = crawl_command(seeds, archive, "-s", "BROWSER_ENABLED=False", *extra)
    env = {k: v for k, v in os.environ.items() if k != "ARCHIVE_PATH"}
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])


def outside_resources(other: str) -> tuple[str, str]:
    """Markup for a page's head and body that loads from another host (`other`, a base URL)
    in every way a page can, and runs script in some: what the page as captured must never
    load or run."""
    head = (
        f'<link rel="stylesheet" href="{other}/css/site.css">'
        f'<link rel="preload" as="image" href="{other}/img/preload.png">'
        f'<script src="{other}/js/stat.js"></script>'
        f'<style>@import "{other}/css/more.css"; .bt{{background:url({other}/img/bg.png)}}</style>'
    )
    body = (
        f'<img src="{other}/img/logo.png" srcset="{other}/img/logo2.png 2x" onerror="alert(3)">'
        f'<iframe src="{other}/frame.html"></iframe>'
        f'<div style="background-image:url({other}/img/div.png)">&nbsp;</div>'
        f'<form action="{other}/search"><input type="image" src="{other}/img/go.png"></form>'
        f'<svg width="10" height="10"><image href="{other}/img/svg.png"/></svg>'
        f'<video poster="{other}/img/poster.png" src="{other}/v.mp4"></video>'
    )
    return head, body


def build_archive(directory: Path) -> WebArchive:
    """Crawl the sample portals into directory/notices.db (one notice republished with two
    figures changed; one, GONE, loading resources from another host), edit a notice on the
    site (a figure, and text with markup in it), crawl again; edit it again (three figures),
    remove one notice and move another, crawl a third time."""
    path = directory / "notices.db"
    with serve() as site:
        seeds = directory / "seeds.toml"
        seeds.write_text(site.seeds_toml(site.http_portals), "utf-8")
        site.edit_text(HW, "制定212条整改措施", "制定215条整改措施")
        site.edit_text(HW, "“三合一”场所排查整改率99.8%", "“三合一”场所排查整改率99.5%")
        head, body = outside_resources(site.offsite_url.rsplit("/", 2)[0])
        site.edit_raw(GONE, "</head>", head + "</head>")
        site.edit_raw(GONE, "<body>", "<body>" + body)
        _crawl(seeds, path)
        site.edit_text(EDITED, "明确整改措施96条", "明确整改措施98条" + HOSTILE)
        _crawl(seeds, path, "-a", "full=1")
        for old, new in SECOND_EDIT:
            site.edit_text(EDITED, old, new)
        site.remove(GONE)  # still on its list: the recrawl sees the 404
        site.move(MOVED, MOVED_TO)
        _crawl(seeds, path, "-a", "full=1")
        return WebArchive(path, {name: site.url(p) for name, p in PATHS.items()})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(
    command: list[str], log: Path, cwd: Path = PROJECT_ROOT, env: dict | None = None
) -> Iterator[str]:
    """A Datasette command line (without its host and port) run on 127.0.0.1 until the block
    ends (in the checkout, or in `cwd`); yields its base URL once it answers."""
    port = _free_port()
    command = [*command, "-h", "127.0.0.1", "-p", str(port)]
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.2)  # polling a starting server: there is no event to wait for
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def datasette(archive: Path, log: Path):
    """`python -m archive --db ARCHIVE datasette` on 127.0.0.1; yields its base URL."""
    return served([sys.executable, "-m", "archive", "--db", str(archive), "datasette"], log)


def notice_path(url: str) -> str:
    return "/-/notice?" + urlencode({"url": url})


def copies_path(url: str) -> str:
    return "/-/copies?" + urlencode({"url": url})


def capture_path(url: str, **params: object) -> str:
    return "/-/capture?" + urlencode({"url": url, **params})


# a screenshot of one of these pages starts at that element (Datasette's table page: its rows)
SCROLL_TO = {"notices-table.png": "h3"}


def pages(archive: WebArchive) -> dict[str, str]:
    """The screenshots: file name → path on the server."""
    edited = notice_path(archive.url["EDITED"])
    table = "/notices/notices?_nofacet=1&_nosuggest=1&_sort=state&_search=" + quote("巡视")
    return {
        "home.png": "/",
        "notices-table.png": table,
        "notice.png": edited + "&from=1&to=3",
        "notice-side-by-side.png": edited + "&from=1&to=3&view=side#compare",
        "version.png": edited + "&v=1#text",
        "capture.png": capture_path(archive.url["GONE"], v=1),
        "changes.png": "/-/changes?since=2000-01-01",
        "copies.png": copies_path(archive.url["HW"]),
    }


def launch(playwright):
    """Debian's Chromium (the crawler's browser), headless."""
    return playwright.chromium.launch(executable_path=find_browser(), args=LAUNCH_ARGS)


def shoot(browser, base: str, archive: WebArchive, out: Path) -> list[Path]:
    """Screenshot each page (its first screen) into out/; returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=VIEWPORT)
    made = []
    for name, path in pages(archive).items():
        page.goto(base + path)
        page.wait_for_load_state("load")
        if name in SCROLL_TO:
            page.locator(SCROLL_TO[name]).first.evaluate("e => e.scrollIntoView()")
        page.screenshot(path=str(out / name), type="png")
        made.append(out / name)
    page.close()
    return made


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        archive = build_archive(Path(tmp))
        with datasette(archive.path, Path(tmp) / "datasette.log") as base, sync_playwright() as p:
            browser = launch(p)
            for made in shoot(browser, base, archive, out):
                print(made)
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
