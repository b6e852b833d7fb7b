"""Extraction of a notice page: title, date, source and chrome-free text.

Pure functions with no Scrapy imports: `extract(body, url, headers)` works on a saved file too.
trafilatura does the main work; the gov-chrome filter (crawler.chrome, data) removes what it
leaves, and layout tables (old portals put whole pages in tables) are flattened first.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree
from lxml.cssselect import CSSSelector

from . import __version__, chrome
from .documents import document_kind
from .encoding import decode_html
from .exceptions import ExtractionError
from .patterns import DOCUMENT_HINT

EXTRACTOR = "gov-trafilatura"
EXTRACTOR_VERSION = f"{__version__}+trafilatura-{trafilatura.__version__}"

_SITE_SUFFIX = re.compile(r"^(.*\S)\s*[_|｜\-—–]+\s*([^_|｜\-—–]{2,40})$")
_SITE_WORDS = re.compile(r"政府|网站|门户|人民|纪委|监委|委员会|网$|官网|纪检|监察|党建|中国")
_DATE = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})"
_URL_DATES = [
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+"),
    re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})-(\d{2})/(\d{2})/"),
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),
]
_CN_DIGITS = dict(zip("〇○零一二三四五六七八九", "000123456789", strict=True))
_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_CLOSING_DATE = re.compile(r"^" + _DATE + r"日?$")
_SOURCE = re.compile(
    r"(?:来源|信息来源|文章来源)[ \t\u3000\xa0]*[:：][ \t\u3000\xa0]*"
    r"(.+?)(?=\s{2,}|\u3000|发布|时间|日期|浏览|字体|作者|点击|【|\[|\d{4}[-年./]|$)"
)
_META_TITLE = ("ArticleTitle", "og:title", "title")
_META_DATE = (
    "PubDate",
    "publishdate",
    "pubdate",
    "article:published_time",
    "dc.date",
    "firstpublishedtime",
)
_META_SOURCE = ("ContentSource", "source")
# libxml2 ends the document at the first </html> or </body>, even a stray one in a header
# include, and drops everything after it (the whole body, on some portals).
# The chrome and body selectors, translated from CSS to XPath once (not on every page).
_DROP_SELECTORS = [CSSSelector(s, translator="html") for s in chrome.DROP_SELECTORS]
_BODY_SELECTORS = [CSSSelector(s, translator="html") for s in chrome.BODY_SELECTORS]
_HEADINGS = etree.XPath(chrome.HEADINGS)
_BOOKMARKS = etree.XPath("//a[not(@href)]")
_SCRIPTS = etree.XPath("//script|//style")
_SCRIPT_ANCHOR = re.compile(
    r"""<a\s[^>]*?href\s*=\s*\\?["']([^"'\\]+)\\?["'][^>]*>([^<]*)</a>""", re.I
)
_DOCUMENT_END = re.compile(r"</(?:html|body)\s*>", re.I)
# Control characters XML cannot hold (stray bytes from Word, broken templates): lxml refuses
# them in text, so they are dropped before parsing; they are never part of a notice.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
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


@dataclass
class Extraction:
    """What one page says: the fields the archive versions, plus diagnostics."""

    title: str | None
    text: str
    published: str | None = None
    source: str | None = None
    metadata: dict = field(default_factory=dict)


def _ymd(year: str, month: str, day: str) -> str | None:
    y, m, d = int(year), int(month), int(day)
    if 1990 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _cn_number(text: str) -> int:
    if "十" not in text:
        return int("".join(_CN_DIGITS[c] for c in text))
    tens, _, units = text.partition("十")
    return int(_CN_DIGITS[tens] if tens else 1) * 10 + (int(_CN_DIGITS[units]) if units else 0)


def parse_date(text: str) -> str | None:
    """The first date in a string (2025-12-25, 2025年12月25日, 二〇二五年十二月二十五日)."""
    match = re.search(_DATE, text)
    if match:
        return _ymd(*match.groups())
    match = _CN_DATE.search(text)
    if match:
        year = "".join(_CN_DIGITS[c] for c in match.group(1))
        return _ymd(year, str(_cn_number(match.group(2))), str(_cn_number(match.group(3))))
    return None


def _meta(doc: etree._Element, names: tuple[str, ...]) -> str | None:
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


def strip_site_suffix(title: str) -> str:
    """Remove trailing site names: `标题_厦门市人民政府`, `标题-思明区人民政府网站`."""
    title = re.sub(r"\s+", " ", title).strip()
    while True:
        match = _SITE_SUFFIX.match(title)
        if not match or not _SITE_WORDS.search(match.group(2)) or len(match.group(1)) < 4:
            return title
        title = match.group(1)


def _squash(text: str) -> str:
    return "".join(text.split())  # every Unicode space, as \s (faster than a regex)


def _clean_title(title: str | None) -> str | None:
    """A title without markup (meta tags may hold `<div>`), a file extension or dangling bars."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", title)).strip()
    title = chrome.TITLE_FILE_EXT.sub("", title)
    return chrome.TITLE_DANGLING.sub("", title) or None


def _page_title(doc: etree._Element, visible: str) -> str | None:
    """<title> without its site and column parts: the longest leading part the page shows."""
    raw = _clean_title(" ".join(doc.xpath("//title//text()")))
    if not raw:
        return None
    title = _clean_title(strip_site_suffix(raw)) or raw
    if _squash(title) in visible:
        return title
    cuts = [m.start() for m in chrome.TITLE_SEPARATOR.finditer(title) if m.start() > 0]
    for cut in reversed(cuts):
        part = _clean_title(title[:cut])
        if part and len(part) >= chrome.MIN_TITLE_CHARS and _squash(part) in visible:
            return part
    return title


def _headings(doc: etree._Element) -> list[str]:
    """Texts of the elements that may be the visible heading, without a glued info bar.

    An entry of a menu or a related-articles list is a link, never the page's heading."""
    texts = []
    for el in _HEADINGS(doc):
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if len(text) < chrome.MIN_TITLE_CHARS:
            continue
        if el.tag == "a" or any(True for _ in el.iterancestors("a")):
            continue
        linked = "".join(a.text_content() for a in el.iter("a"))
        if linked and len(_squash(linked)) * 2 >= len(_squash(text)):
            continue
        text = chrome.TITLE_INFO_TAIL.sub("", text).strip()
        if len(text) >= chrome.MIN_TITLE_CHARS:
            texts.append(text)
    return texts


def _heading_for(reference: str, headings: list[str]) -> str | None:
    """The visible heading that is this title: the same text, the title shortened, or longer."""
    wanted = _squash(reference)
    if len(wanted) < chrome.MIN_TITLE_CHARS:
        return None
    squashed = [(h, _squash(h)) for h in headings]
    if any(s == wanted for _, s in squashed):
        return reference
    shorter = [
        h for h, s in squashed if s in wanted and len(s) >= chrome.TITLE_MIN_SHARE * len(wanted)
    ]
    if shorter:
        return max(shorter, key=len)
    longer = [h for h, s in squashed if wanted in s]
    return min(longer, key=len) if longer else None


def find_title(doc: etree._Element, visible: str | None = None) -> str | None:
    """The notice title: the visible heading that matches meta ArticleTitle or <title>, else
    the meta title, else <title> without its site parts. `visible`: the body's text without
    spaces, when the caller has it."""
    if visible is None:
        body = doc.find("body")
        visible = _squash(body.text_content()) if body is not None else ""
    meta = _clean_title(strip_site_suffix(_meta(doc, _META_TITLE) or ""))
    page_title = _page_title(doc, visible)
    headings = _headings(doc)
    for reference in (meta, page_title):
        heading = _heading_for(reference, headings) if reference else None
        if heading:
            return heading
    return meta or page_title


def _flatten_layout_tables(doc: etree._Element) -> None:
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
    total = len(_squash(body.text_content())) if body is not None else 0
    if total - sum(len(_squash(el.text_content())) for el in hidden) < chrome.MIN_BODY_CHARS:
        return
    for el in hidden:
        el.drop_tree()


def _drop_chrome(doc: etree._Element, has_bookmarks: bool = True) -> None:
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
    text = _squash(el.text_content())
    if not text or len(text) >= chrome.MAX_CHROME_ELEMENT_CHARS:
        return False
    linked = sum(len(_squash(a.text_content())) for a in links)
    return linked / len(text) >= chrome.LINK_BLOCK_DENSITY and not any(
        _is_document_link(a) for a in links
    )


def _is_document_link(anchor: etree._Element) -> bool:
    href = anchor.get("href", "")
    return bool(DOCUMENT_HINT.search(href)) and document_kind(href) is not None


def _body_container(doc: etree._Element, title: str | None) -> tuple[etree._Element | None, str]:
    """The element holding the body: a known CMS container, else the block around the heading."""
    for selector in _BODY_SELECTORS:
        for el in selector(doc):
            if len(_squash(el.text_content())) >= chrome.MIN_BODY_CHARS:
                return el, "container"
    wanted = _squash(title or "")
    if wanted:
        for el in doc.iter():
            if (
                isinstance(el.tag, str)
                and el.tag not in ("title", "meta", "a")
                and _squash(el.text_content()) == wanted
                and not any(a.tag == "a" for a in el.iterancestors())  # a related-list entry
            ):
                block = el.getparent()
                while (
                    block is not None
                    and len(_squash(block.text_content())) < len(wanted) + 2 * chrome.MIN_BODY_CHARS
                ):
                    block = block.getparent()
                if block is not None and block.tag not in ("html", "body"):
                    return block, "heading"
    return None, "page"


def _filter_lines(text: str, title: str | None) -> list[str]:
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in text.splitlines()]
    lines = [
        line.lstrip("-•· ").strip() if line.startswith(("- ", "• ")) else line for line in lines
    ]
    kept: list[str] = []
    for index, line in enumerate(lines):
        if chrome.is_tail_marker(line) and index > len(lines) * 0.5:
            break
        if chrome.is_chrome_line(line):
            continue
        if title and len(kept) < 5 and _squash(line) == _squash(title):
            continue
        kept.append(line)
    return _drop_leading_title(kept, title)


def _drop_leading_title(lines: list[str], title: str | None) -> list[str]:
    """Lines that open the body with the title broken over several lines (<br> in a heading)."""
    wanted = _squash(title or "")
    joined = ""
    for count, line in enumerate(lines[: chrome.MAX_TITLE_LINES], start=1):
        joined += _squash(line)
        if not wanted.startswith(joined):
            break
        if joined == wanted:
            return lines[count:]
    return lines


def _trafilatura(html: str) -> str:
    return (
        trafilatura.extract(
            html,
            include_tables=True,
            include_comments=False,
            include_links=False,
            favor_recall=True,
            deduplicate=False,
        )
        or ""
    )


def parse_html(html: str) -> etree._Element:
    """Parse a decoded page whole: without its stray `</html>` and `</body>` and the control
    characters lxml refuses (raises lxml's ParserError or ValueError if it cannot)."""
    return lxml.html.document_fromstring(_CONTROL_CHARS.sub("", _DOCUMENT_END.sub("", html)))


def _visible(doc: etree._Element, html: str) -> str:
    """Drop what a reader never sees (scripts, styles, hidden elements); the page's text."""
    for el in _SCRIPTS(doc):
        el.drop_tree()
    _drop_hidden(doc, html)
    body = doc.find("body")
    return (body if body is not None else doc).text_content()


def page_title(html: str) -> str | None:
    """The title extraction finds on a decoded page, for pages that are not extracted (lists,
    columns); None for a page that cannot be parsed."""
    try:
        doc = parse_html(html)
    except (etree.ParserError, ValueError):
        return None
    return find_title(doc, _squash(_visible(doc, html)))


def extract(body: bytes, url: str, headers: Mapping[str, str] | None = None) -> Extraction:
    """Extract a page's title, published date, source and clean text."""
    decoded = decode_html(body, headers)
    try:
        doc = parse_html(decoded.text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"{url}: cannot parse HTML ({exc})") from exc
    # scripts are never text; kept only for the document links they write
    scripts = [s for s in doc.xpath("//script/text()") if DOCUMENT_HINT.search(s)]
    page_text = _visible(doc, decoded.text)
    title = find_title(doc, _squash(page_text))
    meta_date = parse_date(_meta(doc, _META_DATE) or "")
    source = _meta(doc, _META_SOURCE) or _source(page_text)
    _drop_chrome(doc, any(tag in decoded.text for tag in ("<a name", "<A name", "<A NAME")))
    _flatten_layout_tables(doc)
    container, method = _body_container(doc, title)
    target = container if container is not None else doc
    html = lxml.html.tostring(target, encoding="unicode")
    text = _trafilatura(html)
    if len(_squash(text)) < 0.6 * len(_squash(target.text_content())) and container is not None:
        text, method = _plain_text(container), "container-text"
    lines = _strip_labels(_drop_repeated_runs(_filter_lines(text, title)))
    if method == "page":
        lines = _without_link_lines(lines, doc)
    labels = _attachment_lines(target, text)
    metadata = {
        "encoding": decoded.encoding,
        "header_charset": decoded.declared,
        "header_charset_wrong": decoded.header_wrong,
    }
    if _only_labels(lines + labels, doc, scripts, url):
        # no body: the notice is its attachment(s); the text is empty, never leftover chrome
        lines, labels, method = [], [], "attachments-only"
        metadata["attachments"] = _document_links(doc, scripts, url)
    lines += labels
    published, date_source = _published(_squash(page_text), title, lines, meta_date, url)
    metadata["method"] = method
    metadata["date_source"] = date_source
    url_date = _url_date(url)
    if url_date and published:
        metadata["date_matches_url"] = url_date == published
    return Extraction(
        title=title,
        text="\n".join(lines),
        published=published,
        source=source,
        metadata=metadata,
    )


def _without_link_lines(lines: list[str], doc: etree._Element) -> list[str]:
    """Lines that are a whole link's text (menus, footers) are chrome when no body element was
    found; links to documents stay (their labels carry attachments)."""
    links = {
        _squash(a.text_content()) for a in doc.iter("a") if not document_kind(a.get("href", ""))
    }
    return [line for line in lines if _squash(line) not in links]


def _drop_repeated_runs(lines: list[str]) -> list[str]:
    """The body once: a run of lines that all appeared before (a screen and a print copy of
    the same table or text) is dropped when it is long enough not to be a repeated phrase."""
    seen: set[str] = set()
    kept: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if sum(len(line) for line in run) < chrome.MIN_REPEAT_CHARS:
            kept.extend(run)
        run.clear()

    for line in lines:  # lines are whitespace-normalised already
        key = line
        if key in seen:
            run.append(line)
            continue
        flush()
        seen.add(key)
        kept.append(line)
    flush()
    return kept


def _strip_labels(lines: list[str]) -> list[str]:
    """Lines without download labels and empty attachment headings at either end."""
    lines = [line for line in lines if not chrome.is_download_label(line)]
    while lines and chrome.is_label_line(lines[-1]):
        lines.pop()
    while lines and chrome.is_label_line(lines[0]):
        lines.pop(0)
    return lines


def _only_labels(lines: list[str], doc: etree._Element, scripts: list[str], url: str) -> bool:
    """True when a page linking documents shows nothing but their names (附件：通报.pdf)."""
    plain = (line for line in lines if "附" not in line and not DOCUMENT_HINT.search(line))
    if next(islice(plain, chrome.MAX_ATTACHMENT_LINES, None), None) is not None:
        return False  # a body: no need to look for documents
    links = _document_links(doc, scripts, url)
    if not links:
        return False
    names = {_squash(link["label"]) for link in links}
    return all(
        chrome.ATTACHMENT_LEAD.sub("", _squash(line)) in names
        or _squash(line) in names
        or chrome.is_label_line(line)
        for line in lines
    )


def _document_links(doc: etree._Element, scripts: list[str], url: str) -> list[dict]:
    """Document files the page links: anchors, and anchors written by script
    (`var file_appendix='<a href="./P0202….doc">…</a>'`, document.write)."""
    found: dict[str, str] = {}
    pairs = [(a.get("href", ""), a.text_content()) for a in doc.iter("a") if _is_document_link(a)]
    pairs += [pair for script in scripts for pair in _SCRIPT_ANCHOR.findall(script)]
    for href, label in pairs:
        target = urljoin(url, href.strip())
        if document_kind(target) and target not in found:
            found[target] = re.sub(r"\s+", " ", label).strip()
    return [{"url": target, "label": label} for target, label in found.items()]


def _attachment_lines(element: etree._Element, text: str) -> list[str]:
    """Labels of attachment links (附件1：清单.docx) that trafilatura dropped as link-only;
    not bare download labels (pdf下载)."""
    squashed = _squash(text)
    lines = []
    for anchor in element.iter("a"):
        label = re.sub(r"\s+", " ", anchor.text_content()).strip()
        if (
            label
            and document_kind(anchor.get("href", ""))
            and _squash(label) not in squashed
            and not chrome.is_label_line(label)
        ):
            lines.append(label)
    return lines


def closing_date(lines: list[str]) -> str | None:
    """The date a notice closes with, on its own line (2025年12月25日, 二〇二五年…)."""
    return next(
        (
            parse_date(line)
            for line in reversed(lines[-3:])
            if _CLOSING_DATE.match(_squash(line)) or _CN_DATE.match(_squash(line))
        ),
        None,
    )


def _url_date(url: str) -> str | None:
    """The date a URL's path holds (/202305/t20230511_1.html, /2023-05/11/)."""
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if match and _ymd(*match.groups()):
            return _ymd(*match.groups())
    return None


def _info_bar_date(page: str, title: str | None, lines: list[str]) -> str | None:
    """The date shown with the heading: in the info bar between the title and the body
    (labelled 发布日期/发布时间/日期, or a bare date right after the title), else a labelled
    date outside the body (an info bar under it). `page` is the page's text without spaces."""
    body = _squash("\n".join(lines))
    anchor = body[: chrome.BODY_ANCHOR_CHARS]
    wanted = _squash(title or "")
    position = page.find(wanted) if wanted else -1
    while position >= 0:
        after = position + len(wanted)
        start = page.find(anchor, after) if anchor else -1
        region = page[after : start if start >= 0 else None][: chrome.INFO_BAR_CHARS]
        for pattern in chrome.INFO_BAR_DATES:
            match = pattern.search(region)
            if match and _ymd(*match.groups()):
                return _ymd(*match.groups())
        position = page.find(wanted, after)
    for pattern in chrome.INFO_BAR_DATES[:2]:
        for match in pattern.finditer(page):
            if match.group(0) not in body and _ymd(*match.groups()):
                return _ymd(*match.groups())
    return None


def _published(
    page: str, title: str | None, lines: list[str], meta: str | None, url: str
) -> tuple[str | None, str | None]:
    """The publication date and where it came from: the info bar shown with the heading,
    else meta PubDate unless the URL's date disagrees (some platforms stamp the time a page
    was regenerated), else the URL's date, else the date the notice closes with. Dates inside
    the body (a project's tender date, a summary table) are never taken."""
    shown = _info_bar_date(page, title, lines)
    if shown:
        return shown, "info-bar"
    from_url = _url_date(url)
    if meta and (from_url is None or meta == from_url):
        return meta, "meta"
    if from_url:
        return from_url, "url"
    closing = closing_date(lines)
    return (closing, "closing") if closing else (None, None)


def _source(page_text: str) -> str | None:
    match = _SOURCE.search(page_text)
    if not match:
        return None
    value = match.group(1).strip(" ：:|｜")
    return value if 1 < len(value) <= 40 else None


_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section"}


def _plain_text(element: etree._Element) -> str:
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
