"""List APIs called with a data object: `$.ajax({url: '…', data: {channelId: '7', pageNo: p}})`
(jQuery sends it as the query), also with the page number inside a JSON parameter (Hanweb
JPaaS: `paramJson: JSON.stringify({pageNo: pageNo, pageSize: 15})`). Read over plain HTTP page
by page, like the templates of `script_api`."""

import json
import re
from urllib.parse import urlencode, urljoin

from notice.urls import in_scope

from .. import list_patterns
from ..discovery import ListApi
from . import Found, Page
from .script_api import constants

NAME = "ajax"
_MARKER = "PAGEPLACEHOLDER"
# `url: '/api/…'` of an options object, then its `data: {` within the same call
_URL = re.compile(r"""\burl\s*:\s*(['"])([^'"\s]+)\1""")
_DATA = re.compile(r"\bdata\s*:\s*\{")
_REACH = 800  # characters from the url to its data object
_POST = re.compile(r"""\b(?:type|method)\s*:\s*['"]post['"]""", re.I)
# key: 'literal' | "literal" | 123 | name | JSON.stringify({...})
_PAIR = re.compile(
    r"""([\w$]+|'[^']*'|"[^"]*")\s*:\s*(?:'([^']*)'|"([^"]*)"|(-?\d+)\b|"""
    r"""JSON\.stringify\(\s*(\{)|([A-Za-z_$][\w$]*)\b(?!\s*[.(\[]))"""
)
_PAGE_VARIABLE = re.compile(
    r"^(p|page|pageNo|pageNum|pageIndex|pn|n|i|cur|current|currentPage|curPage|pageNumber)$",
    re.I,
)


def _object(text: str, start: int) -> tuple[str, int]:
    """The text of the `{…}` object opening at `start` (braces balanced) and its end."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
    return text[start + 1 :], len(text)


def _values(body: str, names: dict[str, str]) -> dict | None:
    """The pairs of an object literal, the page number as the marker; None when a value is
    neither a literal, a known constant, the page number nor a JSON-stringified object."""
    values: dict = {}
    position = 0
    while match := _PAIR.search(body, position):
        key = match.group(1).strip("'\"")
        literal = next((g for g in match.group(2, 3, 4) if g is not None), None)
        position = match.end()
        if match.group(5):
            inner, position = _object(body, match.start(5))
            nested = _values(inner, names)
            if nested is None:
                return None
            value = json.dumps(nested, ensure_ascii=False, separators=(",", ":"))
            values[key] = value.replace(f'"{_MARKER}"', _MARKER)
        elif literal is not None:
            values[key] = int(literal) if match.group(4) else literal
        elif list_patterns.PAGE_PARAM_NAME.match(key) and _PAGE_VARIABLE.match(match.group(6)):
            values[key] = _MARKER
        elif match.group(6) in names:
            value = names[match.group(6)]
            values[key] = int(value) if value.isdigit() else value
        else:
            return None
    return values


def templates(scripts: str) -> list[str]:
    """URL templates (`{page}`) of the data-object calls whose data names the page number."""
    names = constants(scripts)
    found = []
    for match in _URL.finditer(scripts):
        data = _DATA.search(scripts, match.end(), match.end() + _REACH)
        if data is None or _POST.search(scripts, max(0, match.start() - _REACH), data.end()):
            continue  # (a POST sends its data as the body: not a URL to page through)
        body, _ = _object(scripts, data.end() - 1)
        values = _values(body, names)
        if not values or not any(_MARKER in str(v) for v in values.values()):
            continue
        query = urlencode({k: str(v) for k, v in values.items()})
        separator = "&" if "?" in match.group(2) else "?"
        template = f"{match.group(2)}{separator}{query}".replace(_MARKER, "{page}")
        if template not in found:
            found.append(template)
    return found


def detect(page: Page) -> Found:
    scripts = page.scripts()
    if not list_patterns.FETCH_CALL.search(scripts):
        return Found()
    found = Found()
    for template in templates(scripts):
        absolute = urljoin(page.base, template)
        if not in_scope(absolute.replace("{page}", "1"), page.domains):
            found.offsite += 1
            continue
        found.apis.append(
            ListApi(
                kind="json",
                url=absolute.split("?")[0],
                template=absolute,
                items="auto",
                base_url=page.url,
                source="script",
            )
        )
    return found
