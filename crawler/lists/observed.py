"""APIs observed while rendering: the JSON/XML responses a list page's own scripts fetch
(Playwright response events), paged over plain HTTP by their page parameter (or the page
number inside a JSON parameter)."""

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from notice.urls import in_scope

from .. import list_patterns
from ..discovery import ListApi

NAME = "observed"
DATA_TYPES = ("json", "xml", "javascript")


class ObservedResponses:
    """A Playwright `response` event handler (request meta
    `playwright_page_event_handlers`): keeps the URLs of script-fetched data responses."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, response) -> None:
        request = response.request
        if request.resource_type not in ("xhr", "fetch") or request.method != "GET":
            return
        content_type = response.headers.get("content-type", "").lower()
        if any(kind in content_type for kind in DATA_TYPES) and response.url not in self.urls:
            self.urls.append(response.url)


_MARKER = "PAGEPLACEHOLDER"


def _json_page(value: str) -> str | None:
    """A JSON object parameter with the page number inside (Hanweb JPaaS's
    `paramJson={"pageNo":1,"pageSize":15}`), the number replaced by the marker; else None."""
    if not value.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(value)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    key = next((k for k in data if list_patterns.PAGE_PARAM_NAME.match(k)), None)
    if key is None or not str(data[key]).isdigit():
        return None
    data[key] = _MARKER
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace(f'"{_MARKER}"', _MARKER)


def template(url: str) -> str | None:
    """The URL with its page parameter (or the page number inside a JSON parameter) as
    `{page}`, None when it has none."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [k for k, _ in query if list_patterns.PAGE_PARAM_NAME.match(k)]
    if names:
        query = [(k, _MARKER if k == names[0] else v) for k, v in query]
    else:
        inner = [(i, _json_page(v)) for i, (_, v) in enumerate(query)]
        inner = [(i, v) for i, v in inner if v is not None]
        if not inner:
            return None
        query[inner[0][0]] = (query[inner[0][0]][0], inner[0][1])
    return urlunsplit(parts._replace(query=urlencode(query))).replace(_MARKER, "{page}")


def apis(urls: list[str], base_url: str, domains: tuple[str, ...]) -> list[ListApi]:
    """List APIs to page through, from the data URLs a rendered page fetched."""
    found = []
    for url in urls:
        pattern = template(url)
        if pattern and in_scope(url, domains):
            found.append(
                ListApi(
                    kind="json",
                    url=pattern.split("?")[0],
                    template=pattern,
                    items="auto",
                    base_url=base_url,
                    source="observed",
                )
            )
    return found
