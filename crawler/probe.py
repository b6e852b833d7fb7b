"""Check a portal before its first crawl: reachable, allowed, not walled, and how it lists.

Polite by construction: robots.txt is read first and obeyed, then one request per start URL
(redirects followed by hand, so each hop is seen and checked for scope), plus at most one column
page, the best candidate, to see how a list is built. Scrapy-free: it runs from the command line
in a second, with the crawl's User-Agent and timeout.
"""

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

from protego import Protego

from notice.encoding import decode_html
from notice.urls import in_scope

from .blocking import classify, visible_text
from .columns import column_rank
from .discovery import Link, looks_like_list
from .explore.needs import explore_reason
from .fingerprints import MECHANISM_NAMES, SEARCH_URL, cms_families
from .lists import Discovery, discover
from .lists import Page as ListPage
from .lists.search import find_form
from .roles import COLUMN, NOTICE_ROLES, PAGE
from .seeds import Portal

MAX_REDIRECTS = 5
MAX_BODY = 5 * 1024 * 1024
MAX_COLUMNS = 8
# Columns tried, best first, until one answers: the probe reads one list, not the site.
MAX_LIST_TRIES = 3
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


@dataclass
class Fetched:
    """One request's outcome: the final response, or why there was none."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    tls: str = "none"  # none (plain http) | ok | error


@dataclass
class Report:
    """What the probe found for one portal; every field is in the table and the JSON."""

    portal: str
    url: str
    reachable: bool = False
    status: int | None = None
    redirects: list[str] = field(default_factory=list)
    tls: str = "none"
    seconds: float = 0.0
    robots: str = "no robots.txt"
    blocked: str | None = None
    cms: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    columns: list[dict[str, str]] = field(default_factory=list)
    search: str | None = None
    needs_browser: bool = False
    explore: str | None = None  # why a list needs a visitor's browser (crawler.explore.needs)
    problems: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {**asdict(self), "usable": self.usable}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # each hop is followed by hand, so that it is seen and checked


class Prober:
    """Probes portals with the crawl's User-Agent and download timeout."""

    def __init__(self, user_agent: str, timeout: float, verify_tls: bool = True) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        context = ssl.create_default_context()
        if not verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self.opener = urllib.request.build_opener(
            _NoRedirect(), urllib.request.HTTPSHandler(context=context)
        )

    def fetch(self, url: str, domains: tuple[str, ...]) -> Fetched:
        """GET a URL, following in-scope redirects by hand."""
        result = Fetched(url)
        started = time.monotonic()
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            if urlsplit(current).scheme == "https":
                result.tls = "ok"
            request = urllib.request.Request(current, headers={"User-Agent": self.user_agent})
            try:
                response = self.opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as exc:  # a status: redirects come here too
                response = exc
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                result.error = _reason(exc)
                if _is_tls(exc):
                    result.tls = "error"
                break
            with response:
                status = response.status if hasattr(response, "status") else response.code
                # every Set-Cookie: a vendor's cookie names who answered (crawler.blocking)
                headers = {k: ", ".join(response.headers.get_all(k)) for k in response.headers}
                if status in REDIRECT_STATUSES and headers.get("Location"):
                    target = urljoin(current, headers["Location"])
                    result.redirects.append(f"{status} {target}")
                    if not in_scope(target, domains):
                        result.error = f"redirected out of the portal's domains to {target}"
                        break
                    current = target
                    continue
                try:
                    result.body = response.read(MAX_BODY)
                except (OSError, http.client.HTTPException) as exc:
                    result.error = _reason(exc)
                result.status, result.headers, result.url = status, headers, current
            break
        else:
            result.error = f"more than {MAX_REDIRECTS} redirects"
        result.seconds = round(time.monotonic() - started, 3)
        return result

    def robots(self, url: str, domains: tuple[str, ...]) -> tuple[str, Protego | None]:
        """The robots.txt verdict source: its text parsed, or why there is none."""
        parts = urlsplit(url)
        fetched = self.fetch(f"{parts.scheme}://{parts.netloc}/robots.txt", domains)
        if fetched.error:
            return f"unreadable ({fetched.error})", None
        if fetched.status != 200:
            return "no robots.txt", None
        text = decode_html(fetched.body, fetched.headers).text
        return "read", Protego.parse(text)

    def probe(self, portal: Portal) -> Report:
        """Everything the probe checks, for one portal."""
        report = Report(portal.id, portal.start_urls[0])
        rules = None
        if portal.robots:
            report.robots, rules = self.robots(report.url, portal.allowed_domains)
        else:
            report.robots = f"ignored by the seed ({portal.robots_reason})"
        page = self._start_pages(report, portal, rules)
        if page is None or page.status is None:
            return report
        html = decode_html(page.body, page.headers).text
        start = _list_page(page, html, portal)
        verdict = classify(page.status, html, visible_text(start.selector), page.headers)
        if verdict is not None:  # block pages come with 403, 412, 521 … as well as 200
            if verdict.kind == "blocked":  # its status is no failure: the page says who answered
                status = f"HTTP {page.status} at {page.url}"
                report.problems = [p for p in report.problems if p != status]
            report.blocked = verdict.describe()
            advice = verdict.advice()
            report.problems.append(
                f"{verdict.describe()} at {page.url}" + (f": {advice}" if advice else "")
            )
            return report
        if report.reachable:
            self._lists(report, portal, rules, page, html, start)
        return report

    def _start_pages(self, report: Report, portal: Portal, rules) -> Fetched | None:
        """Fetch the start URLs robots.txt allows; the first answer is the one reported."""
        page = None
        disallowed = False
        for url in portal.start_urls:
            if rules is not None and not rules.can_fetch(url, self.user_agent):
                report.problems.append(f"robots.txt disallows {url}")
                disallowed = True
                continue
            fetched = self.fetch(url, portal.allowed_domains)
            if page is None:
                page = fetched
                _record_fetch(report, fetched)
            elif fetched.error or (fetched.status or 0) >= 400:
                report.problems.append(f"{url}: {fetched.error or f'HTTP {fetched.status}'}")
        if rules is not None:
            report.robots = "disallowed" if disallowed else "allowed"
        return page

    def _lists(
        self, report: Report, portal: Portal, rules, page: Fetched, html: str, start: ListPage
    ) -> None:
        """How the start page lists (its CMS, mechanisms, search, columns), and, when it is
        no list itself, how the best columns it links do (one that answers)."""
        report.cms = cms_families(html, page.headers)
        found = discover(start)
        report.mechanisms, report.needs_browser = _mechanisms(start, found)
        report.explore = explore_reason(start, found)
        report.search = _search(start, html, portal)
        unique = {link.url: link for link in reversed(found.links) if link.role == COLUMN}
        columns = sorted(unique.values(), key=lambda link: -column_rank(link.label, link.url))
        report.columns = [{"label": c.label, "url": c.url} for c in columns[:MAX_COLUMNS]]
        if "list page" in report.mechanisms:
            return
        can = rules.can_fetch if rules is not None else (lambda _url, _agent: True)
        allowed = [c for c in columns if can(c.url, self.user_agent)]
        for column in allowed[:MAX_LIST_TRIES]:
            if self._read_one_list(report, portal, column):
                break

    def _read_one_list(self, report: Report, portal: Portal, column: Link) -> bool:
        """Fetch a candidate column, to see how its list is built; False if it did not answer
        or showed no list (an empty column tells nothing: the next one is read)."""
        fetched = self.fetch(column.url, portal.allowed_domains)
        if fetched.error or fetched.status != 200:
            return False
        html = decode_html(fetched.body, fetched.headers).text
        page = _list_page(fetched, html, portal)
        discovered = discover(page)
        found, browser = _mechanisms(page, discovered)
        report.mechanisms += [f"{m} (in {column.label})" for m in found]
        report.needs_browser = report.needs_browser or browser
        if report.explore is None and (why := explore_reason(page, discovered)):
            report.explore = f"{why} (in {column.label})"
        for family in cms_families(html, fetched.headers):
            if family not in report.cms:
                report.cms.append(family)
        return bool(found or browser)


def _record_fetch(report: Report, fetched: Fetched) -> None:
    report.url = fetched.url
    report.status = fetched.status
    report.redirects = fetched.redirects
    report.tls = fetched.tls
    report.seconds = fetched.seconds
    if fetched.error:
        report.problems.append(f"unreachable: {fetched.error}")
    elif fetched.status != 200:
        report.problems.append(f"HTTP {fetched.status} at {fetched.url}")
    report.reachable = fetched.status is not None and fetched.status < 400


def _list_page(fetched: Fetched, html: str, portal: Portal) -> ListPage:
    return ListPage(
        fetched.url,
        html,
        portal.allowed_domains,
        list_selector=portal.list_selector,
        detail_pattern=portal.detail_pattern,
    )


def _mechanisms(page: ListPage, found: Discovery) -> tuple[list[str], bool]:
    """The list mechanisms a page shows (by the crawler's own plug-ins), and whether its list
    exists only in a browser."""
    used = {found.via[link.url] for link in found.links if link.role not in (COLUMN, PAGE)}
    pagers = {found.via[link.url] for link in found.links if link.role == PAGE}
    names = [MECHANISM_NAMES.get(name, name) for name in sorted(used)]
    if pagers and "trs" not in used | pagers:
        names.append("pagination links")
    elif pagers:
        names.append(MECHANISM_NAMES["trs"])
    names += [f"{api.kind} list API ({api.source})" for api in found.apis]
    if looks_like_list(page.selector, found.links):
        names.insert(0, "list page")
    items = any(link.role in (*NOTICE_ROLES, PAGE) for link in found.links)
    return names, bool(found.needs_browser) and not items and not found.apis


def _search(page: ListPage, html: str, portal: Portal) -> str | None:
    """The portal's own search: the seed's, a GET form, or an endpoint its scripts name."""
    if portal.search:
        return f"{portal.search} (seed)"
    form = find_form(page)
    if form is not None:
        return form.template
    match = SEARCH_URL.search(html)
    return urljoin(page.url, match.group(1)) if match else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not valid ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    return f"{type(exc).__name__}: {exc}"


def _is_tls(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    return isinstance(reason, ssl.SSLError) or isinstance(exc, ssl.SSLError)


def _browser(report: Report) -> str:
    """Whether the portal's lists need the browser, and why."""
    if report.explore:
        return f'needed to explore a list ({report.explore}): render = "auto" does, with Chromium'
    if report.needs_browser:
        return 'needed: render = "auto" (or "browser") with Chromium'
    return "not needed"


def format_table(reports: list[Report]) -> str:
    """One block per portal: a headline, then each finding on its own line."""
    lines = []
    for r in reports:
        verdict = "ok" if r.usable else "NOT USABLE"
        lines.append(
            f"{r.portal}: {verdict}  HTTP {r.status or '-'}  {r.seconds:.2f}s  TLS {r.tls}"
            f"  robots {r.robots}"
        )
        rows = [
            ("url", r.url),
            ("redirects", ", ".join(r.redirects) or "none"),
            ("blocked", r.blocked or "no"),
            ("cms", ", ".join(r.cms) or "unknown"),
            ("mechanisms", ", ".join(r.mechanisms) or "none found"),
            ("columns", ", ".join(f"{c['label']} {c['url']}" for c in r.columns) or "none found"),
            ("search", r.search or "none found"),
            ("browser", _browser(r)),
        ]
        rows += [("problem", p) for p in r.problems]
        lines += [f"  {name:11} {value}" for name, value in rows]
    return "\n".join(lines)
