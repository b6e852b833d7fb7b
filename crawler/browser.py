"""The system Chromium for scrapy-playwright: finding it, launching it safely, keeping it in scope.

No browser is ever downloaded at run time. Detail pages still use the plain HTTP handler.
"""

import glob
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from notice.urls import host_in_domains

from .exceptions import BrowserUnavailable

# Where browsers live: Debian's chromium first, then other distributions, then Playwright's own
# download (`playwright install chromium`, for machines with internet).
CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/lib/chromium-browser/chromium-browser",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
PLAYWRIGHT_CACHE = "~/.cache/ms-playwright/chromium-*/chrome-linux*/chrome"
INSTALL_HINT = (
    "install Chromium with `apt-get install -y chromium fonts-wqy-microhei` "
    "(or `playwright install chromium` on a machine with internet), "
    "or point the BROWSER_EXECUTABLE setting (or environment variable) at a Chromium binary"
)
# Flags for a headless browser on a server with no network but the portals: no sandbox (root in
# containers), no GPU, no background traffic to Google, no QUIC.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Resource types a list page does not need.
ABORTED_RESOURCES = {"image", "media", "font", "stylesheet"}


def _runnable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser(configured: str | None = None) -> str | None:
    """The Chromium to use: the configured path (which must exist), else the first one found."""
    if configured:
        if not _runnable(configured):
            raise BrowserUnavailable(
                f"BROWSER_EXECUTABLE is {configured!r}, which is not an executable file; "
                + INSTALL_HINT
            )
        return configured
    for path in CANDIDATES:
        if _runnable(path):
            return path
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    cached = sorted(glob.glob(str(Path(PLAYWRIGHT_CACHE).expanduser())))
    return cached[-1] if cached else None


def launch_options(executable: str, timeout_ms: int) -> dict:
    """PLAYWRIGHT_LAUNCH_OPTIONS for the system browser."""
    return {
        "executable_path": executable,
        "headless": True,
        "args": LAUNCH_ARGS,
        "timeout": timeout_ms,
    }


class ScopeGuard:
    """PLAYWRIGHT_ABORT_REQUEST: the browser may only load http(s) resources of the allowed
    domains (navigations included), and never images, media, fonts or stylesheets."""

    def __init__(self, domains: Iterable[str]) -> None:
        self.domains = tuple(sorted(set(domains)))
        self.aborted = 0

    def __call__(self, request) -> bool:
        parts = urlsplit(request.url)
        if parts.scheme == "data":
            return False
        abort = (
            parts.scheme not in ("http", "https")
            or not host_in_domains(parts.hostname, self.domains)
            or request.resource_type in ABORTED_RESOURCES
        )
        self.aborted += abort
        return abort


HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
# Browser contexts are made on the first rendered page (no startup context, so a crawl that
# renders nothing launches no browser), with downloads refused.
CONTEXT_KWARGS = {"accept_downloads": False, "java_script_enabled": True}


def render_meta(clicks: int = 0) -> dict:
    """Request meta that renders a page in the browser and waits for its scripts' requests;
    with `clicks`, then clicks through its script pager at most that many times."""
    from scrapy_playwright.page import PageMethod

    from .lists.clicks import click_through
    from .lists.observed import ObservedResponses

    methods = [PageMethod("wait_for_load_state", "networkidle")]
    if clicks:
        methods.append(PageMethod(click_through, clicks))
    return {
        "playwright": True,
        "playwright_context_kwargs": dict(CONTEXT_KWARGS),
        "playwright_page_methods": methods,
        # the data the page's scripts fetch: list APIs to page through over plain HTTP
        "playwright_page_event_handlers": {"response": ObservedResponses()},
    }


def explore_meta(max_actions: int, seconds: float) -> dict:
    """Request meta that explores a list page as a visitor (crawler.explore.driver): its
    recorder is set up before the page loads, the exploration runs once it has."""
    from scrapy_playwright.page import PageMethod

    from .explore.driver import Recorder, explore

    recorder = Recorder()
    return {
        "playwright": True,
        "playwright_context_kwargs": dict(CONTEXT_KWARGS),
        "playwright_page_init_callback": recorder.attach,
        "playwright_page_methods": [PageMethod(explore, recorder, max_actions, seconds)],
    }


async def scrapy_headers_for_navigations(
    *, browser_type_name: str, playwright_request, scrapy_request_data: dict
) -> dict | None:
    """PLAYWRIGHT_PROCESS_REQUEST_HEADERS: a page's own navigation goes with the crawl's
    headers (its User-Agent, validators); the requests its scripts make go as the browser
    sends them (None: unchanged), with their Authorization and Content-Type (rewriting them
    loses headers a script set: a token API answers 401)."""
    if not playwright_request.is_navigation_request():
        return None
    headers = scrapy_request_data["headers"].to_unicode_dict()
    browser = await playwright_request.all_headers()
    headers.setdefault("user-agent", browser.get("user-agent"))
    if browser.get("referer"):
        headers.setdefault("referer", browser["referer"])
    return headers


def configure(settings, portals) -> str | None:
    """Set up scrapy-playwright on the crawler's settings if a browser is available.

    Returns the browser's path, or None when pages cannot be rendered. Raises
    BrowserUnavailable when a portal needs a browser (render = "browser") and none can be used.
    Portals fetched over plain HTTP never need one.
    """
    needing = [p.id for p in portals if p.render == "browser"]
    if not settings.getbool("BROWSER_ENABLED"):
        if needing:
            raise BrowserUnavailable(
                f'portal(s) {", ".join(needing)} have render = "browser" but BROWSER_ENABLED is off'
            )
        return None
    try:
        executable = find_browser(settings.get("BROWSER_EXECUTABLE") or None)
    except BrowserUnavailable:
        if needing:
            raise
        executable = None
    if executable is None:
        if needing:
            raise BrowserUnavailable(
                f'portal(s) {", ".join(needing)} need a browser (render = "browser") and no '
                f"Chromium was found; {INSTALL_HINT}"
            )
        return None
    timeout_ms = settings.getint("BROWSER_TIMEOUT") * 1000
    settings.set("DOWNLOAD_HANDLERS", {"http": HANDLER, "https": HANDLER}, priority="spider")
    settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="spider")
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch_options(executable, timeout_ms), "spider")
    settings.set("PLAYWRIGHT_MAX_CONTEXTS", 1, priority="spider")
    settings.set("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", settings.getint("BROWSER_MAX_PAGES"), "spider")
    settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", timeout_ms, priority="spider")
    domains = [d for p in portals for d in p.allowed_domains]
    settings.set("PLAYWRIGHT_ABORT_REQUEST", ScopeGuard(domains), priority="spider")
    settings.set(
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS", scrapy_headers_for_navigations, priority="spider"
    )
    return executable
