"""Detail shells: an article page whose title and body are empty and filled by a script from
a detail API (`<div id="article" data-id="…">`, `fetch('/api/…/detail?id=' + id)`). Without a
browser, the API the script names is read and the article built from its fields, as the
page's script would build it."""

import html
import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from notice.urls import in_scope

from .. import list_api, list_patterns
from . import Page

NAME = "detail"
# What a shell shows where its article will be: nothing, or a loading placeholder.
PLACEHOLDER = re.compile(
    r"^(正在加载|加载中|数据加载中|内容加载中|正在载入|载入中|请稍候|loading)[.…。!！\s]*$", re.I
)
# Where an article page puts its title and its body (ids and classes, any CMS).
_TITLE_SLOTS = (
    "//h1 | //*[re:test(concat(' ', @id, ' ', @class, ' '), "
    r"'[\s_-](title|tit|bt|biaoti|articletitle|article-title)[\s_-]', 'i')]"
)
_BODY_SLOTS = (
    r"//*[re:test(concat(' ', @id, ' ', @class, ' '), '[\s_-](content|article|detail|zoom|"
    r"text|zw|wenzhang|body|con|info_content|article-content|TRS_Editor)[\s_-]', 'i')]"
)
MAX_SHELL_TEXT = 200  # an article page whose main text is shorter may be a shell
_ID_ATTR = "//*[@data-id or @data-articleid or @data-docid]"
# 'prefix' + id  where prefix names a detail endpoint and ends with = or /
_CALL = re.compile(
    r"""(['"`])((?:https?://[^'"`\s]+)?/[^'"`\s]*(?:detail|article|content|info|doc)"""
    r"""[^'"`\s]*?[=/])\1\s*\+\s*\(?\s*\w+""",
    re.I,
)
_URL_ID = re.compile(r"(\d{3,})(?:\.\w+)?$")


def _text(element) -> str:
    return re.sub(r"\s+", "", "".join(element.xpath(".//text()").getall()))


def is_shell(page: Page, text: str) -> bool:
    """An article page whose title and body a script fills: it runs scripts, its main text
    (`text`, the extraction's) is short or empty, and it has a body slot that is empty or
    shows only a loading placeholder (正在加载……) with an empty title slot beside it (or a
    placeholder). Recognised by this structure, not by an empty text."""
    selector = page.selector
    if not selector.xpath("//body//script") or len(text) >= MAX_SHELL_TEXT:
        return False
    if not text:
        return True
    waiting = empty = False
    for slot in selector.xpath(_BODY_SLOTS):
        own = _text(slot)
        waiting = waiting or bool(PLACEHOLDER.match(own))
        empty = empty or (not own and not slot.xpath(".//img"))
    titled = any(not _text(slot) for slot in selector.xpath(_TITLE_SLOTS))
    return waiting or (empty and titled)


def page_id(page: Page) -> str | None:
    """The article's id: a data-id attribute, an id parameter, or the URL's last number."""
    for element in page.selector.xpath(_ID_ATTR):
        for name in ("data-id", "data-articleid", "data-docid"):
            if element.attrib.get(name, "").strip():
                return element.attrib[name].strip()
    parts = urlsplit(page.url)
    query = dict(parse_qsl(parts.query))
    for name in list_patterns.ID_FIELDS:
        if query.get(name):
            return query[name]
    match = _URL_ID.search(parts.path)
    return match.group(1) if match else None


def detail_api(page: Page) -> str | None:
    """The detail API URL the shell's script fetches, with the article's id, or None."""
    scripts = page.scripts()
    if not list_patterns.FETCH_CALL.search(scripts):
        return None
    call = _CALL.search(scripts)
    ident = page_id(page)
    if not call or not ident:
        return None
    url = urljoin(page.url, call.group(2) + ident)
    return url if in_scope(url, page.domains) else None


def _field(data, names: tuple[str, ...], depth: int = 0):
    if depth > 5:
        return None
    if isinstance(data, dict):
        for name in names:
            value = data.get(name)
            if isinstance(value, str) and value.strip():
                return value
        children = list(data.values())
    elif isinstance(data, list):
        children = data
    else:
        return None
    for child in children:
        found = _field(child, names, depth + 1)
        if found:
            return found
    return None


def _paragraphs(data, depth: int = 0) -> str | None:
    """A body given as a list of paragraphs (`"paragraphs": ["…", "…"]`), as HTML."""
    if depth > 5 or not isinstance(data, dict):
        return None
    for name in list_patterns.PARAGRAPH_FIELDS:
        value = data.get(name)
        if isinstance(value, list) and value and all(isinstance(p, str) for p in value):
            return "".join(f"<p>{html.escape(p)}</p>" for p in value)
    for value in data.values():
        found = _paragraphs(value, depth + 1)
        if found:
            return found
    return None


def article_html(data, api_url: str) -> str | None:
    """The article a shell's script would build from its detail API's JSON: its title and
    content (HTML, or a list of paragraphs) fields, as an HTML page; None when the reply has
    no content."""
    title = _field(data, list_patterns.TITLE_FIELDS)
    content = _field(data, list_patterns.TEXT_FIELDS) or _paragraphs(data)
    if not title or not content:
        return None
    published = _field(data, ("publishTime", "pubDate", "time", "date", "publishDate")) or ""
    source = _field(data, ("source", "docSource", "origin")) or ""
    title = html.escape(re.sub(r"<[^>]+>", "", title))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta name="ArticleTitle" content="{title}">'
        f'<meta name="PubDate" content="{html.escape(published)}">'
        f'<meta name="ContentSource" content="{html.escape(source)}">'
        f'<meta name="DetailApi" content="{html.escape(api_url)}">'
        f"<title>{title}</title></head><body><h1>{title}</h1>"
        f'<div class="TRS_Editor">{content}</div></body></html>'
    )


def article_from_reply(text: str, api_url: str) -> str:
    """The article page built from a detail API's reply text (JSON or JSONP). Raises
    ListApiError for a reply that is not JSON (`html` set for an HTML page) or has no title
    and content."""
    page = article_html(list_api.json_reply(text, api_url), api_url)
    if page is None:
        raise list_api.ListApiError(f"{api_url}: no title and content fields")
    return page
