"""Links that are not hrefs: `href="javascript:void(0)" onclick="window.open('showinfo.jsp?id=1')"`,
`location.href='…'`, handlers whose argument is the target URL, and calls of the page's own
opener functions (`onclick="openDetail('901')"` with `function openDetail(id) {
window.open('/detail.jsp?id=' + id) }`)."""

import re
from urllib.parse import urljoin

from notice.urls import canonical_url, in_scope

from .. import list_patterns
from ..discovery import Link, label_of, link_role
from . import Found, Page

NAME = "onclick"
_HANDLERS = "//*[@onclick] | //a[starts-with(normalize-space(@href), 'javascript:')]"
# function openDetail(id) { … window.open('/detail.jsp?id=' + id …) }  (or var f = function(id))
_FUNCTION = re.compile(
    r"(?:function\s+([\w$]+)|([\w$]+)\s*=\s*function)\s*\(\s*([\w$]+)[^)]*\)\s*\{(.{0,600}?)\}",
    re.S,
)
_OPENS = re.compile(r"window\.open|location(?:\.href)?\s*=|location\.(?:assign|replace)")
_CALL = re.compile(r"([\w$]+)\s*\(\s*(?:'([^']*)'|\"([^\"]*)\"|(\d+))")


def openers(scripts: str) -> dict[str, tuple[str, str]]:
    """The page's functions that open a URL built from their first argument: name ->
    (prefix, suffix)."""
    found = {}
    for match in _FUNCTION.finditer(scripts):
        name, param, body = match.group(1) or match.group(2), match.group(3), match.group(4)
        if not _OPENS.search(body):
            continue
        built = re.search(
            rf"""(['"])([^'"]*)\1\s*\+\s*{re.escape(param)}\b(?:\s*\+\s*(['"])([^'"]*)\3)?""",
            body,
        )
        if built and list_patterns.HANDLER_TARGET.match(
            built.group(2) + "1" + (built.group(4) or "")
        ):
            found[name] = (built.group(2), built.group(4) or "")
    return found


def targets(handler: str) -> list[str]:
    """The URLs a click handler opens."""
    return [
        url
        for url in list_patterns.HANDLER_URL.findall(handler)
        if list_patterns.HANDLER_TARGET.match(url) and not url.startswith("javascript:")
    ]


def _called(handler: str, functions: dict[str, tuple[str, str]]) -> list[str]:
    """The URLs of the page's opener functions a handler calls."""
    urls = []
    for match in _CALL.finditer(handler):
        if match.group(1) in functions:
            prefix, suffix = functions[match.group(1)]
            argument = next(g for g in match.group(2, 3, 4) if g is not None)
            urls.append(prefix + argument + suffix)
    return urls


def detect(page: Page) -> Found:
    found = Found()
    functions = openers(page.scripts())
    for element in page.selector.xpath(_HANDLERS)[: page.max_links]:
        handler = element.attrib.get("onclick", "") + " " + element.attrib.get("href", "")
        for target in targets(handler) + _called(handler, functions):
            url = canonical_url(urljoin(page.url, target))
            if not in_scope(url, page.domains):
                found.offsite += 1
                continue
            label = label_of(element)
            role = link_role(re.sub(r"\s+", "", label), url, page.url)
            if role:
                found.links.append(Link(url, label, role))
    return found
