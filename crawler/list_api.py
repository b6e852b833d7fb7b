"""Reading list endpoints without a browser: Hanweb dataproxy.jsp (XML) and JSON pages.

Pure functions: what to request for page N, and which (url, title) items a reply holds.
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin

from parsel import Selector

from . import list_patterns
from .discovery import ListApi
from .exceptions import CrawlerError
from .lists.counts import Stated, stated_by_reply

# The POST parameters of a Hanweb jpage call that pick its column.
HANWEB_COLUMN_KEYS = ("col", "appid", "webid", "columnid", "unitid")
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_JSONP = re.compile(r"^[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


class ListApiError(CrawlerError):
    """A list endpoint answered with something that is not a list."""

    def __init__(self, message: str, *, html: bool = False) -> None:
        super().__init__(message)
        self.html = html  # it answered an HTML page: the list needs the browser


@dataclass(frozen=True)
class ApiCall:
    url: str
    method: str
    formdata: dict[str, str] | None


@dataclass(frozen=True)
class ApiPage:
    items: list[tuple[str, str]]  # (absolute url, title)
    has_more: bool
    # what the reply says the whole list holds (total, pages)
    stated: Stated = field(default_factory=Stated)


def identity(api: ListApi) -> tuple:
    """What makes two list APIs one: the URL and the parameters (Hanweb columns share one
    dataproxy.jsp URL and differ in the POST body: there, the parameters that pick the column
    count, not display ones like webname)."""
    params = api.params
    if api.kind == "hanweb":
        params = tuple((k, v) for k, v in params if k.lower() in HANWEB_COLUMN_KEYS)
    return (api.kind, api.url, tuple(sorted(params)))


def list_id(identity: tuple) -> str:
    """A list API as its coverage names it: its URL with the parameters that pick its list
    (`identity`), or its URL template."""
    _kind, url, params = identity
    if not params:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def call(api: ListApi, page: int) -> ApiCall:
    """The request for page `page` (1-based) of a list endpoint."""
    if api.kind == "hanweb":
        start = (page - 1) * api.per_page + 1
        query = urlencode(
            {"startrecord": start, "endrecord": start + api.per_page - 1, "perpage": api.per_page}
        )
        separator = "&" if "?" in api.url else "?"
        return ApiCall(f"{api.url}{separator}{query}", "POST", dict(api.params))
    if api.template:
        return ApiCall(api.template.replace("{page}", str(page)), "GET", None)
    query = urlencode([*api.params, (api.page_param, str(page))])
    separator = "&" if "?" in api.url else "?"
    return ApiCall(f"{api.url}{separator}{query}", "GET", None)


def parse(api: ListApi, text: str, page: int, response_url: str) -> ApiPage:
    """The items of one reply, and whether the list has another page (the crawl policy
    decides whether it is asked for: a page past the bound is a cap)."""
    base = api.base_url or response_url
    if api.kind == "hanweb":
        total = _TOTAL.search(text)
        rows = _RECORD.findall(text)
        if total is None and not rows:
            raise ListApiError(f"{response_url}: not a Hanweb dataproxy reply (no <totalrecord>)")
        items = []
        for anchor in Selector(text="".join(rows) or "<p></p>").css("a[href]"):
            label = anchor.attrib.get("title") or "".join(anchor.css("::text").getall())
            items.append((urljoin(base, anchor.attrib["href"]), label.strip()))
        seen = page * api.per_page
        has_more = bool(rows) and total is not None and seen < int(total.group(1))
        return ApiPage(items, has_more, Stated(int(total.group(1)) if total else None))
    data = json_reply(text, response_url)
    if api.items == "auto":
        items = records(data, base) or fragment_links(data, base)
        return ApiPage(items, bool(items), stated_by_reply(data))
    stated = stated_by_reply(data)
    for key in api.items.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        raise ListApiError(f"{response_url}: no list at {api.items!r}")
    items = [
        (urljoin(base, str(item[api.url_field])), str(item.get(api.title_field, "")))
        for item in data
        if isinstance(item, dict) and item.get(api.url_field)
    ]
    return ApiPage(items, bool(items), stated)


def json_reply(text: str, response_url: str):
    """The JSON (or JSONP) of a reply; an HTML page is told apart (the browser may read it)."""
    stripped = text.strip()
    jsonp = _JSONP.match(stripped)
    if jsonp:
        stripped = jsonp.group(1)
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        html = stripped[:200].lower().startswith(("<!doctype", "<html", "<head", "<body"))
        kind = "an HTML page" if html else f"not JSON ({exc})"
        raise ListApiError(f"{response_url}: {kind}", html=html) from exc


def _field(record: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def _url_like(record: dict) -> str | None:
    """A record's URL in a field named like one (`docPubUrl`, `infourl`, `art_link`)."""
    for name, value in record.items():
        if (
            isinstance(value, str)
            and list_patterns.URL_FIELD_NAME.search(name)
            and list_patterns.URL_VALUE.match(value.strip())
        ):
            return value.strip()
    return None


def record_url(record: dict) -> str | None:
    """A record's URL: a field named for it (`url`, `link` …), or one named like it."""
    return _field(record, list_patterns.URL_FIELDS) or _url_like(record)


def records(data, base: str, depth: int = 0) -> list[tuple[str, str]]:
    """(url, title) of the first array of records in a JSON reply that have a URL (or an
    id, read as `?id=` of the page that named the API) and a title: a list payload."""
    if depth > 6:
        return []
    if isinstance(data, list):
        dicts = [d for d in data if isinstance(d, dict)]
        items = []
        for record in dicts:
            title = _field(record, list_patterns.TITLE_FIELDS)
            url = record_url(record)
            if url is None and (ident := _field(record, list_patterns.ID_FIELDS)):
                url = f"?id={ident}"
            if title and url:
                items.append((urljoin(base, url), re.sub(r"<[^>]+>", "", title)))
        if items:
            return items
        data = dicts
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    for child in children:
        if isinstance(child, dict | list):
            found = records(child, base, depth + 1)
            if found:
                return found
    return []


def fragment_links(data, base: str, depth: int = 0) -> list[tuple[str, str]]:
    """(url, title) of the links in the first HTML fragment of a JSON reply (Hanweb JPaaS
    answers `{"data": {"html": "<ul><li><a href=…>…</a></li></ul>"}}`): a list rendered on the
    server and shipped in JSON. Pager links (`javascript:`, `#`) are not items."""
    if depth > 6:
        return []
    if isinstance(data, str):
        if "<a" not in data or "href" not in data:
            return []
        items = []
        for anchor in Selector(text=data).css("a[href]"):
            href = anchor.attrib["href"].strip()
            label = anchor.attrib.get("title") or "".join(anchor.css("::text").getall())
            if href and not href.startswith(("#", "javascript:")) and label.strip():
                items.append((urljoin(base, href), " ".join(label.split())))
        return items
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    for child in children:
        found = fragment_links(child, base, depth + 1)
        if found:
            return found
    return []


def looks_like_list_payload(data) -> bool:
    """True for JSON holding an array of records with a URL or id and a title."""
    return bool(records(data, "http://x/"))
