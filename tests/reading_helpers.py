"""Page reading in-process: build a page, call the reading function with a frontier, and
look at what it returns."""

from collections.abc import Callable
from dataclasses import replace

from crawler.frontier import Frontier
from crawler.reading import ExtractionFailed, Fetched, Reached, Reading, read_page
from crawler.seeds import Portal
from crawler.work import extract_notice
from notice.errors import ExtractionError

BASE = "http://www.x.gov.cn"
PORTAL = Portal("p", "某县", (BASE + "/",), ("x.gov.cn",))
HTML = {"Content-Type": "text/html; charset=utf-8"}


def frontier(browser: bool = False, **portal: object) -> Frontier:
    """A crawl policy for one portal "p" (its Portal fields changed by `portal`); counts go
    to frontier.counts."""
    return Frontier({"p": replace(PORTAL, **portal)}, browser=browser)


def read_a_list(policy: Frontier, path: str = "/list/") -> Frontier:
    """The crawl read a list page of portal "p" (a portal that read none is incomplete)."""
    policy.coverage.record("p", BASE + path, page=BASE + path)
    return policy


def page(
    path: str,
    html: str | bytes = b"",
    role: str = "candidate",
    *,
    status: int = 200,
    headers: dict | None = None,
    depth: int = 1,
    **reached: object,
) -> Fetched:
    """A fetched page of portal "p" (a path, or a whole URL), reached in `role`."""
    url = path if path.startswith("http") else BASE + path
    body = html.encode() if isinstance(html, str) else html
    how = Reached("p", role, depth, **reached)
    return Fetched(url, status, dict(HTML if headers is None else headers), body, how)


def read(fetched: Fetched, policy: Frontier, reader: Callable[..., Reading] = read_page) -> Reading:
    """Read a page as the spider does: extracting it (in this process) when the reading asks,
    then reading again. One Reading with everything the readings returned."""
    whole = Reading(fetched.portal)
    while True:
        answer = reader(fetched, policy)
        whole.outputs += answer.outputs
        whole.counts.update(answer.counts)
        whole.values.update(answer.values)
        whole.logs += answer.logs
        whole.failures += answer.failures
        whole.close = whole.close or answer.close
        if answer.extract is None:
            return whole
        spec = answer.extract
        try:
            fetched.extraction = extract_notice(
                spec.body, spec.url, spec.headers, spec.status, list(spec.domains), spec.parts
            )
        except ExtractionError as exc:
            fetched.extraction = ExtractionFailed(str(exc))


def requests(reading: Reading) -> dict[str, str]:
    """The requested URLs (without the portal's base) and their roles."""
    return {r.url.removeprefix(BASE): r.role for r in reading.requests}


def notice_html(
    title: str = "中共某县委关于县委第一轮巡察整改进展情况的通报", extra: str = ""
) -> str:
    """An article page of a rectification notice."""
    body = "<p>根据县委统一部署，县委第一巡察组对我单位开展了巡察，现将整改情况通报如下。</p>" * 12
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<h1>{title}</h1><div class="TRS_Editor">{body}{extra}</div></body></html>'
    )
