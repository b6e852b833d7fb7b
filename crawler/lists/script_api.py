"""List APIs named in the page's own script: URL templates with a page placeholder
(`page_{p}.json`, `'…?pageNo=' + page`) or a page parameter (`pageNo=1`, `page=`), read over
plain HTTP page by page. A list container left empty for the script to fill is what makes a
page a script-built list."""

import re
from urllib.parse import urljoin

from notice.urls import in_scope

from .. import list_patterns
from ..discovery import ListApi
from . import Found, Page
from .detail import detail_api

NAME = "script_api"
# 'prefix' + page + 'suffix'  (the variable named like a page number)
_CONCAT = re.compile(
    r"""(['"])([^'"\s]*)\1\s*\+\s*\(?\s*(p|page|pageNo|pageNum|pageIndex|pn|n|i|cur|current"""
    r"""|currentPage|curPage)\b\s*\)?\s*(?:\+\s*(['"])([^'"\s]*)\4)?""",
    re.I,
)
_TEMPLATE = re.compile(
    r"""['"`]([^'"`\s]*(?:\{\{?\s*(?:p|page|pageNo|pageNum|pageIndex|n)\s*\}\}?|"""
    r"""\$\{\s*(?:p|page|pageNo|pageNum|pageIndex|n)\s*\})[^'"`\s]*)['"`]""",
    re.I,
)
# `var SID = '757';` / `const pageSize = 15`: a constant a URL concatenation may use.
_CONSTANT = re.compile(
    r"""\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:'([^'\s]*)'|"([^"\s]*)"|(\d+))\s*[;,\n]"""
)
# ... + '&sid=' + SID: one more piece of a URL concatenation (a literal or a name).
_MORE = re.compile(r"""\s*\+\s*(?:(['"])([^'"\s]*)\1|([A-Za-z_$][\w$]*)\b(?!\s*[.(\[]))""")
# '/data/' + columnId + …: one more piece before it (a literal or a name).
_BEFORE = re.compile(r"""(?:(['"])([^'"\s]*)\1|(?<![\w$.])([A-Za-z_$][\w$]*))\s*\+\s*$""")
_URL_START = re.compile(r"^(?:https?://|/|\./|\.\./)")
# A relative template (`api/list?page=` + p, 'list_' + n + '.json') is a URL only when it is a
# plain path that names a list or data endpoint (not '第' + n + '页', not 'item_' + i).
_RELATIVE = re.compile(r"^[\w][\w./-]*(?:\?[^'\"`\s]*)?$")
_LISTISH = re.compile(
    r"(?:^|[/_.-])(?:api|data|list|lists|json|query|page|pages|search|articles?|news|docs?)"
    r"(?:$|[/_.?-])|\.(?:json|xml|do|action|jsp|php|aspx?)(?:$|\?)",
    re.I,
)
_PLACEHOLDER = re.compile(r"\{\{?\s*\w+\s*\}\}?|\$\{\s*\w+\s*\}")
_LITERAL = re.compile(
    r"""['"`]([^'"`\s]+[?&](?:page|pageNo|pageNum|pageIndex|currentPage|p)=\d+[^'"`\s]*)['"`]""",
    re.I,
)
_NOT_API = re.compile(r"\.(?:html?|shtml|jsp\?.*\bcid=|css|png|jpe?g|gif)(?:$|\?)", re.I)
# A `.js` file is a library, unless its name carries the page number in a list or data folder:
# JSONP data pages (`/data/list_' + page + '.js`, answered `callback({...})`).
_SCRIPT_FILE = re.compile(r"\.js(?:$|\?)", re.I)


def _is_api(template: str) -> bool:
    url = template.replace("{page}", "1")
    if _NOT_API.search(url):
        return False
    if _SCRIPT_FILE.search(url):
        return "{page}" in template.split("?")[0] and bool(_LISTISH.search(url))
    return True


def _is_url(template: str) -> bool:
    """An absolute or root-relative template, or a relative one that looks like an API."""
    if _URL_START.match(template):
        return True
    url = template.replace("{page}", "1")
    return bool(_RELATIVE.match(url) and _LISTISH.search(url))


def constants(scripts: str) -> dict[str, str]:
    """The script's string and number constants (`var SID = '757';`): parts of URLs it builds."""
    found = {}
    for match in _CONSTANT.finditer(scripts):
        found.setdefault(match.group(1), next(g for g in match.groups()[1:] if g is not None))
    return found


def _rest(scripts: str, end: int, constants: dict[str, str]) -> str:
    """What a URL concatenation adds after the page number and its suffix: `+ '&sid=' + SID`
    (literals, and constants the script defines); it stops at anything else."""
    rest = ""
    while match := _MORE.match(scripts, end):
        value = match.group(2) if match.group(2) is not None else constants.get(match.group(3))
        if value is None:
            break
        rest, end = rest + value, match.end()
    return rest


def _lead(scripts: str, start: int, names: dict[str, str]) -> str:
    """What a URL concatenation holds before its page number's prefix: `'/data/' + columnId +`
    (literals, and constants the script defines); it stops at anything else."""
    text, lead = scripts[max(0, start - 300) : start], ""
    while match := _BEFORE.search(text):
        value = match.group(2) if match.group(2) is not None else names.get(match.group(3))
        if value is None:
            break
        lead, text = value + lead, text[: match.start()]
    return lead


def templates(scripts: str) -> list[str]:
    """URL templates (with `{page}`) of the list APIs a script names, as written (relative
    ones are resolved against the page by `detect`)."""
    found = []
    names = constants(scripts)
    for match in _CONCAT.finditer(scripts):
        prefix, suffix = match.group(2), match.group(5) or ""
        if not prefix or not re.search(r"[/?=_.-]$", prefix):
            continue
        prefix = _lead(scripts, match.start(), names) + prefix
        template = prefix + "{page}" + suffix + _rest(scripts, match.end(), names)
        if _is_url(template):  # not '&pageNo=' + n: a piece of a URL built elsewhere
            found.append(template)
    for match in _TEMPLATE.finditer(scripts):
        template = _PLACEHOLDER.sub("{page}", match.group(1), count=1)
        if _is_url(template):
            found.append(template)
    for match in _LITERAL.finditer(scripts):
        literal = match.group(1)
        found.append(list_patterns.PAGE_PARAM.sub(lambda m: m.group(1) + "{page}", literal, 1))
    out = []
    for template in found:
        if template not in out and _is_api(template):
            out.append(template)
    return out


def is_script_list(page: Page) -> bool:
    """The page leaves a list container empty and has a script that fetches."""
    return bool(
        list_patterns.FETCH_CALL.search(page.scripts())
        and page.selector.xpath(list_patterns.EMPTY_LIST_CONTAINER)
    )


def detect(page: Page) -> Found:
    scripts = page.scripts()
    if not list_patterns.FETCH_CALL.search(scripts):
        return Found()
    found = Found()
    base = page.base
    for template in templates(scripts):
        url = urljoin(base, template.replace("{page}", "1"))
        if not in_scope(url, page.domains):
            found.offsite += 1
            continue
        found.apis.append(
            ListApi(
                kind="json",
                url=urljoin(base, template.split("{page}")[0]),
                template=urljoin(base, template),
                items="auto",
                base_url=page.url,
                source="script",
            )
        )
    if not found.apis and not page.rendered and is_script_list(page) and not detail_api(page):
        # (an article shell filled from a detail API is not a list)
        found.needs_browser = "script list"
    return found
