"""The page as a reader sees it: parsing, hidden elements, chrome elements, layout tables,
meta tags and plain text."""

import re

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from ..documents import document_kind
from ..patterns import DOCUMENT_HINT
from . import chrome

# libxml2 ends the document at the first </html> or </body>, even a stray one in a header
# include, and drops everything after it (the whole body, on some portals).
# The chrome and body selectors, translated from CSS to XPath once (not on every page).
_DROP_SELECTORS = [CSSSelector(s, translator="html") for s in chrome.DROP_SELECTORS]


_BOOKMARKS = etree.XPath("//a[not(@href)]")


_SCRIPTS = etree.XPath("//script|//style")


_DOCUMENT_END = re.compile(r"</(?:html|body)\s*>", re.I)


# Control characters XML cannot hold (stray bytes from Word, broken templates): lxml refuses
# them in text, so they are dropped before parsing; they are never part of a notice.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# and the character references that name them (&#1;, &#x1F; with or without the `;`), which the
# parser turns into the same characters
_CONTROL_REFS = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])(?!\d)|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])(?![0-9a-fA-F]));?"
)


# Candidates for hidden elements, by cheap substring tests; exact tokens are checked after.
_HIDDEN = etree.XPath(
    "//body//*[@hidden or contains(@class, 'hid') or contains(@class, 'd-none')"
    " or contains(@style, 'none') or contains(@style, 'NONE') or contains(@style, 'idden')"
    " or contains(@style, 'IDDEN')]"
)


_HIDDEN_STYLE = re.compile(
    "|".join(re.escape(style).replace(":", r"\s*:\s*") for style in chrome.HIDDEN_STYLES), re.I
)


_HIDDEN_CLASSES = frozenset(chrome.HIDDEN_CLASSES)


_MAY_HIDE = ("hid", "HID", "Hid", "none", "NONE", "None")


def squash(text: str) -> str:
    return "".join(text.split())  # every Unicode space, as \s (faster than a regex)


def meta_content(doc: etree._Element, names: tuple[str, ...]) -> str | None:
    for name in names:
        for attr in ("name", "property"):
            values = doc.xpath(
                f"//meta[translate(@{attr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                f"'abcdefghijklmnopqrstuvwxyz')='{name.lower()}']/@content"
            )
            value = next((v.strip() for v in values if v.strip()), None)
            if value:
                return value
    return None


def parse_html(html: str) -> etree._Element:
    """Parse a decoded page whole: without its stray `</html>` and `</body>` and the control
    characters lxml refuses (raises lxml's ParserError or ValueError if it cannot)."""
    html = _CONTROL_REFS.sub("", _CONTROL_CHARS.sub("", _DOCUMENT_END.sub("", html)))
    return lxml.html.document_fromstring(html)


def visible_text(doc: etree._Element, html: str) -> str:
    """Drop what a reader never sees (scripts, styles, hidden elements); the page's text."""
    for el in _SCRIPTS(doc):
        el.drop_tree()
    _drop_hidden(doc, html)
    body = doc.find("body")
    return (body if body is not None else doc).text_content()


def _is_hidden(el: etree._Element) -> bool:
    return (
        el.get("hidden") is not None
        or not _HIDDEN_CLASSES.isdisjoint((el.get("class") or "").split())
        or bool(_HIDDEN_STYLE.search(el.get("style") or ""))
    )


def _drop_hidden(doc: etree._Element, html: str) -> None:
    """Remove what a reader never sees, unless it holds all the page's text (shown by script)."""
    if not any(word in html for word in _MAY_HIDE):  # most pages hide nothing
        return
    hidden: list[etree._Element] = []
    seen: set[etree._Element] = set()
    for el in _HIDDEN(doc):
        if not _is_hidden(el):
            continue
        if not any(a in seen for a in el.iterancestors()):
            hidden.append(el)
        seen.add(el)
    if not hidden:
        return
    body = doc.find("body")
    total = len(squash(body.text_content())) if body is not None else 0
    if total - sum(len(squash(el.text_content())) for el in hidden) < chrome.MIN_BODY_CHARS:
        return
    for el in hidden:
        el.drop_tree()


def drop_chrome(doc: etree._Element, has_bookmarks: bool = True) -> None:
    for selector in _DROP_SELECTORS:
        for el in selector(doc):
            parent = el.getparent()
            if parent is None or el.tag in ("html", "body"):
                continue
            if (
                el.tag in ("script", "style")
                or len(el.text_content()) < chrome.MAX_CHROME_ELEMENT_CHARS
            ):
                el.drop_tree()
    for el in doc.iter(*chrome.LINK_BLOCK_TAGS):
        if _is_link_block(el):
            el.drop_tree()
    if has_bookmarks:  # Word's bookmarks (<a name="OLE_LINK3">) are not links
        for anchor in _BOOKMARKS(doc):
            anchor.drop_tag()
    for comment in doc.xpath("//comment()"):
        if comment.getparent() is not None:
            comment.getparent().remove(comment)


def _is_link_block(el: etree._Element) -> bool:
    """A menu, tool bar or list of links (not a list of attachments)."""
    links = el.xpath(".//a")
    if len(links) < chrome.LINK_BLOCK_MIN_LINKS:
        return False
    text = squash(el.text_content())
    if not text or len(text) >= chrome.MAX_CHROME_ELEMENT_CHARS:
        return False
    linked = sum(len(squash(a.text_content())) for a in links)
    return linked / len(text) >= chrome.LINK_BLOCK_DENSITY and not any(
        is_document_link(a) for a in links
    )


def is_document_link(anchor: etree._Element) -> bool:
    href = anchor.get("href", "")
    return bool(DOCUMENT_HINT.search(href)) and document_kind(href) is not None


def flatten_layout_tables(doc: etree._Element) -> None:
    """Turn tables used for page layout into divs; keep data tables (rows of short cells).

    A layout table holds blocks (tables, divs, headings), a long cell, or one column of rows
    with paragraphs (title, info bar, body); a Word table's cells hold <p> and are data."""
    for table in doc.xpath("//table"):
        cells = table.xpath(".//td|.//th")
        is_layout = (
            table.xpath(".//table|.//div|.//h1|.//h2")
            or any(len(cell.text_content()) > 200 for cell in cells)
            or (
                table.xpath(".//p")
                and max((len(row.xpath("./td|./th")) for row in table.iter("tr")), default=0) <= 1
            )
        )
        if is_layout:
            for el in [table, *table.xpath(".//tbody|.//thead|.//tr|.//td|.//th")]:
                if el.tag in ("table", "tbody", "thead", "tr", "td", "th"):
                    el.tag = "div"
                    el.attrib.pop("class", None)


_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section"}


def plain_text(element: etree._Element) -> str:
    """A paragraph-per-line rendering of an element, when trafilatura drops too much."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        block = node.tag in _BLOCKS
        parts.append("\n" if block else " | " if node.tag in ("td", "th") else "")
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    return "".join(parts)
