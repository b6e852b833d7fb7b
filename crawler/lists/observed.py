"""APIs observed while rendering: the JSON/XML responses a list page's own scripts fetch
(Playwright response events), paged over plain HTTP by their page parameter."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .. import list_patterns
from ..discovery import ListApi
from ..urls import in_scope

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


def template(url: str) -> str | None:
    """The URL with its page parameter as `{page}`, None when it has none."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [k for k, _ in query if list_patterns.PAGE_PARAM_NAME.match(k)]
    if not names:
        return None
    marker = "PAGEPLACEHOLDER"
    query = [(k, marker if k == names[0] else v) for k, v in query]
    return urlunsplit(parts._replace(query=urlencode(query))).replace(marker, "{page}")


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
