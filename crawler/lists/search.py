"""The portal's own site search: the `<form>` that names a search action and its query field
(or a seed's `search` URL template), asked for the notice terms. Its results are list links."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urljoin

from .. import list_patterns
from ..urls import in_scope
from . import Found, Page

NAME = "search"


@dataclass(frozen=True)
class Search:
    """A search URL template: `{q}` is the query, `{page}` (optional) the result page."""

    template: str

    def url(self, term: str, page: int = 1) -> str:
        return self.template.replace("{q}", quote(term)).replace("{page}", str(page))


def find_form(page: Page) -> Search | None:
    """The page's GET search form, as a template; None when it has none (or a POST one)."""
    for form in page.selector.xpath("//form"):
        action = form.attrib.get("action", "").strip()
        inputs = form.xpath(".//input[@name]")
        fields = [
            i.attrib["name"]
            for i in inputs
            if i.attrib.get("type", "text").lower() in ("text", "search")
            and list_patterns.SEARCH_FIELD.match(i.attrib["name"])
        ]
        if not fields and not list_patterns.SEARCH_ACTION.search(action):
            continue
        if not fields:
            fields = [
                i.attrib["name"]
                for i in inputs
                if i.attrib.get("type", "text").lower() in ("text", "search")
            ][:1]
        if not fields or form.attrib.get("method", "get").lower() != "get":
            continue
        hidden = [
            (i.attrib["name"], i.attrib.get("value", ""))
            for i in inputs
            if i.attrib.get("type", "").lower() == "hidden"
        ]
        url = urljoin(page.url, action or page.url)
        if not in_scope(url, page.domains):
            continue
        query = urlencode(hidden)
        separator = "&" if "?" in url else "?"
        return Search(f"{url}{separator}{query}{'&' if query else ''}{fields[0]}={{q}}")
    return None


def terms() -> tuple[str, ...]:
    return list_patterns.SEARCH_TERMS


def detect(page: Page) -> Found:
    """Search is asked once per portal by the spider (see find_form); as a list mechanism it
    finds nothing on its own."""
    return Found()
