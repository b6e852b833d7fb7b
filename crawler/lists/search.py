"""The portal's own site search: the `<form>` that names a search action and its query field
(or a seed's `search` URL template), asked for the notice terms. Its results are list links.

A GET form becomes a URL template; a POST form (JSP/ASP sites, TRS WAS) is sent as a form
POST with its hidden inputs and the query in its text input. Either is encoded in the form's
charset (`accept-charset`, else the page's: an old GBK site expects its query in GBK)."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urljoin

from notice.urls import in_scope

from .. import list_patterns
from . import Found, Page

NAME = "search"
_TEXT_TYPES = ("text", "search")


@dataclass(frozen=True)
class Search:
    """A site search. GET: `template` is a URL with `{q}` (the query) and optionally
    `{page}` (the result page). POST: `template` is the form's action, `fields` its hidden
    inputs, `query_field` the text input, `page_field` a hidden input numbering result
    pages (if it has one)."""

    template: str
    method: str = "GET"
    fields: tuple[tuple[str, str], ...] = ()
    query_field: str = ""
    page_field: str = ""
    encoding: str = "utf-8"

    def url(self, term: str, page: int = 1) -> str:
        if self.method == "POST":
            return self.template
        query = quote(term, encoding=self.encoding, errors="replace")
        return self.template.replace("{q}", query).replace("{page}", str(page))

    def formdata(self, term: str, page: int = 1) -> dict[str, str] | None:
        """The POST body of a query (None for a GET search)."""
        if self.method != "POST":
            return None
        data = dict(self.fields)
        if self.page_field:
            data[self.page_field] = str(page)
        data[self.query_field] = term
        return data

    @property
    def pages_itself(self) -> bool:
        """True when the next result page is asked by this search (not by a result link)."""
        return self.method == "POST" and bool(self.page_field)


def _query_field(inputs, action: str) -> str | None:
    """The text input a search form sends its query in."""
    texts = [i for i in inputs if i.attrib.get("type", "text").lower() in _TEXT_TYPES]
    named = [i for i in texts if list_patterns.SEARCH_FIELD.match(i.attrib["name"])]
    if named:
        return named[0].attrib["name"]
    if texts and list_patterns.SEARCH_ACTION.search(action):
        return texts[0].attrib["name"]
    return None


def find_form(page: Page, encoding: str = "utf-8") -> Search | None:
    """The page's search form (GET or POST), or None when it has none in scope. `encoding`
    is the page's charset, the form's unless it names its own."""
    for form in page.selector.xpath("//form"):
        action = form.attrib.get("action", "").strip()
        if action.lower().startswith("javascript:"):
            continue
        inputs = form.xpath(".//input[@name]")
        field = _query_field(inputs, action)
        method = form.attrib.get("method", "get").strip().upper() or "GET"
        if field is None or method not in ("GET", "POST"):
            continue
        url = urljoin(page.base, action) if action else page.url
        if not in_scope(url, page.domains):
            continue
        hidden = [
            (i.attrib["name"], i.attrib.get("value", ""))
            for i in inputs
            if i.attrib.get("type", "").lower() == "hidden"
        ]
        charset = form.attrib.get("accept-charset", "").split(",")[0].strip() or encoding
        if method == "POST":
            page_field = next((n for n, _ in hidden if list_patterns.PAGE_PARAM_NAME.match(n)), "")
            fields = tuple((n, v) for n, v in hidden if n != page_field)
            return Search(url, "POST", fields, field, page_field, charset)
        query = urlencode(hidden, encoding=charset)
        separator = "&" if "?" in url else "?"
        template = f"{url}{separator}{query}{'&' if query else ''}{field}={{q}}"
        return Search(template, encoding=charset)
    return None


def terms() -> tuple[str, ...]:
    return list_patterns.SEARCH_TERMS


def detect(page: Page) -> Found:
    """Search is asked once per portal by the spider (see find_form); as a list mechanism it
    finds nothing on its own."""
    return Found()
