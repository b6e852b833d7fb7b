"""Reading list endpoints without a browser: Hanweb dataproxy.jsp (XML) and JSON pages.

Pure functions: what to request for page N, and which (url, title) items a reply holds.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin

from parsel import Selector

from .discovery import ListApi
from .exceptions import CrawlerError

_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


class ListApiError(CrawlerError):
    """A list endpoint answered with something that is not a list."""


@dataclass(frozen=True)
class ApiCall:
    url: str
    method: str
    formdata: dict[str, str] | None


@dataclass(frozen=True)
class ApiPage:
    items: list[tuple[str, str]]  # (absolute url, title)
    has_more: bool


def call(api: ListApi, page: int) -> ApiCall:
    """The request for page `page` (1-based) of a list endpoint."""
    if api.kind == "hanweb":
        start = (page - 1) * api.per_page + 1
        query = urlencode(
            {"startrecord": start, "endrecord": start + api.per_page - 1, "perpage": api.per_page}
        )
        separator = "&" if "?" in api.url else "?"
        return ApiCall(f"{api.url}{separator}{query}", "POST", dict(api.params))
    query = urlencode([*api.params, (api.page_param, str(page))])
    separator = "&" if "?" in api.url else "?"
    return ApiCall(f"{api.url}{separator}{query}", "GET", None)


def parse(api: ListApi, text: str, page: int, response_url: str) -> ApiPage:
    """The items of one reply, and whether another page should be asked for."""
    base = api.base_url or response_url
    more_allowed = page < api.max_pages
    if api.kind == "hanweb":
        total = _TOTAL.search(text)
        records = _RECORD.findall(text)
        if total is None and not records:
            raise ListApiError(f"{response_url}: not a Hanweb dataproxy reply (no <totalrecord>)")
        items = []
        for anchor in Selector(text="".join(records) or "<p></p>").css("a[href]"):
            label = anchor.attrib.get("title") or "".join(anchor.css("::text").getall())
            items.append((urljoin(base, anchor.attrib["href"]), label.strip()))
        seen = page * api.per_page
        has_more = bool(records) and total is not None and seen < int(total.group(1))
        return ApiPage(items, has_more and more_allowed)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListApiError(f"{response_url}: not JSON ({exc})") from exc
    for key in api.items.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        raise ListApiError(f"{response_url}: no list at {api.items!r}")
    items = [
        (urljoin(base, str(item[api.url_field])), str(item.get(api.title_field, "")))
        for item in data
        if isinstance(item, dict) and item.get(api.url_field)
    ]
    return ApiPage(items, bool(items) and more_allowed)
