"""Reading list pages: which links lead to notices, columns and further pages.

Pure functions over a parsel Selector; the spider turns their answers into requests.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from notice import judge
from notice import patterns as notice_patterns
from notice.documents import document_kind
from notice.urls import canonical_url, in_scope

from . import list_patterns, roles


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    role: str  # notice | candidate | column | page
    # a picture with no words at all (a banner, a 专题 tile): a candidate fetched last
    wordless: bool = False


@dataclass(frozen=True)
class ListApi:
    """A list endpoint read without a browser: a Hanweb dataproxy, or JSON pages."""

    kind: str  # hanweb | json
    url: str
    params: tuple[tuple[str, str], ...] = ()
    per_page: int = 15
    max_pages: int = 100
    page_param: str = "page"
    items: str = "data.list"
    url_field: str = "url"
    title_field: str = "title"
    base_url: str | None = None
    template: str | None = None  # a URL with {page} (page_{page}.json), found in a script
    source: str = "page"  # seed | page | script | observed (while rendering)


def anchors(selector: Selector, limit: int | None = None, attribute: str = "") -> list:
    """The page's `<a href>` elements (or, with attribute "/@href", their hrefs) in document
    order, at most `limit` of them: a page with 50,000 links costs what `limit` links cost
    (the XPath stops there; no selector is made for the rest)."""
    path = "descendant-or-self::a[@href]"
    if limit is not None:
        path = f"({path})[position() <= {int(limit)}]"
    return selector.xpath(path + attribute)


def label_of(anchor: Selector) -> str:
    """An anchor's label: its text, or, for a link that is only a picture, the picture's words
    (its `alt`, else its `title`); the anchor's own title when that is longer (truncated
    lists)."""
    return _label(anchor)


def same_list(url: str, base: str) -> bool:
    """True when url is base with another page number."""
    return _same_list(url, base)


def link_role(
    label: str,
    url: str,
    base_url: str,
    hinted: bool = False,
    detail_re: re.Pattern | None = None,
) -> str | None:
    """What a link with this label leads to: notice, candidate, page, column or None."""
    return _role(label, url, base_url, hinted, detail_re)


def _label(anchor: Selector) -> str:
    text = re.sub(r"\s+", "", "".join(anchor.css("::text").getall())) or _picture_words(anchor)
    title = re.sub(r"\s+", "", anchor.attrib.get("title", ""))
    return title if len(title) > len(text) else text


def _picture_words(anchor: Selector) -> str:
    """The words of the pictures a link shows: each `<img>`'s alt, else its title."""
    words = (
        img.attrib.get("alt", "").strip() or img.attrib.get("title", "")
        for img in anchor.css("img")
    )
    return re.sub(r"\s+", "", "".join(words))


def _wordless_picture(anchor: Selector, label: str, url: str) -> bool:
    """A link that is only a picture (no text, no alt, no title) to a page, not to a file."""
    path = urlsplit(url).path
    return (
        not label
        and bool(anchor.css("img"))
        and not list_patterns.NOT_PAGE_FILE.search(path)
        and not document_kind(url)
    )


def _same_list(url: str, base: str) -> bool:
    """True when url is base with another page number (…?pageNum=3, list_3.htm, index_3.html,
    …/page/3/)."""
    a, b = urlsplit(url), urlsplit(base)
    if a.netloc != b.netloc:
        return False
    strip = re.compile(r"(_\d+)?(\.s?html?)?$")
    path_a, path_b = (list_patterns.PATH_PAGE.sub("/", p).rstrip("/") for p in (a.path, b.path))
    same_path = strip.sub("", path_a) == strip.sub("", path_b)
    dir_a = a.path.rsplit("/", 1)[0]
    dir_b = b.path.rsplit("/", 1)[0]
    return same_path or (dir_a == dir_b and bool(re.search(r"_\d+\.s?html?$", a.path)))


def attachment_links(selector: Selector, base_url: str, domains: list[str]) -> list[Link]:
    """Document files (PDF, DOC, DOCX, WPS) a page links inside its portal's domains."""
    found: dict[str, Link] = {}
    for anchor in selector.xpath(notice_patterns.DOCUMENT_LINKS):
        url = canonical_url(urljoin(base_url, anchor.attrib["href"]))
        if url not in found and document_kind(url) and in_scope(url, domains):
            found[url] = Link(url, _label(anchor), roles.ATTACHMENT)
    return list(found.values())[: notice_patterns.MAX_ATTACHMENTS_PER_PAGE]


def article_links(
    selector: Selector, base_url: str, domains: tuple[str, ...], max_links: int | None = None
) -> int:
    """How many in-scope links of a page are shaped like articles (`DETAIL_URL`, or one
    folder's numbered items, `/archives/1037` …, when a list's worth of them is linked): the
    entries of a list page, whether or not any reads like a notice."""
    count = 0
    numbered: dict[str, set[str]] = {}
    for href in anchors(selector, max_links, "/@href").getall():
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = canonical_url(urljoin(base_url, href))
        if not in_scope(url, domains):
            continue
        if list_patterns.DETAIL_URL.search(url):
            count += 1
        elif item := list_patterns.NUMBERED_ITEM.search(urlsplit(url).path):
            numbered.setdefault(item["folder"], set()).add(url)
    shown = [len(urls) for urls in numbered.values() if len(urls) >= list_patterns.MIN_NUMBERED]
    return count + sum(shown)


def looks_like_list(
    selector: Selector, links: list[Link], min_items: int = list_patterns.LIST_MIN_ITEM_LINKS
) -> bool:
    """True for a page that lists notices (a column named like one, 巡视整改情况公开) rather
    than being one: several (`min_items`) notice links and little text of its own."""
    items = [link for link in links if link.role in roles.NOTICE_ROLES]
    if len(items) < min_items:
        return False
    text = len(re.sub(r"\s+", "", "".join(selector.xpath("//body//text()").getall())))
    linked = len(re.sub(r"\s+", "", "".join(selector.xpath("//body//a//text()").getall())))
    return text - linked < notice_patterns.LIST_MAX_OWN_TEXT


def embedded_records(selector: Selector) -> str:
    """The HTML of list records embedded in Hanweb pages (`<script type="text/xml">` CDATA)."""
    records = []
    for script in selector.xpath("//script[@type='text/xml']/text()").getall():
        records += re.findall(r"<!\[CDATA\[(.*?)\]\]>", script, re.S)
    return "\n".join(records)


def js_list_loader(selector: Selector) -> str | None:
    """`hanweb` or `script` when the page builds its list in the browser, else None."""
    scripts = "\n".join(selector.xpath("//script/text() | //script/@src").getall())
    if list_patterns.HANWEB_LOADER.search(scripts):
        return "hanweb"
    if list_patterns.SCRIPT_LOADER.search(scripts) and selector.xpath(
        list_patterns.EMPTY_LIST_CONTAINER
    ):
        return "script"
    return None


def trs_pages(
    html: str, base_url: str, max_pages: int = list_patterns.MAX_PAGES_PER_LIST
) -> list[str]:
    """List pages announced by TRS's createPageHTML(count, current, "index", "html"), at most
    `max_pages` of them (the LIST_MAX_PAGES setting)."""
    match = list_patterns.CREATE_PAGE_HTML.search(html)
    if not match:
        return []
    count, _current, stem, ext = int(match.group(1)), match.group(2), match.group(3), match.group(4)
    count = min(count, max_pages)
    names = [f"{stem}.{ext}"] + [f"{stem}_{i}.{ext}" for i in range(1, count)]
    return [urljoin(base_url, name) for name in names]


def classify_links(
    selector: Selector,
    base_url: str,
    domains: tuple[str, ...],
    *,
    list_selector: str | None = None,
    detail_pattern: str | None = None,
    max_links: int | None = None,
    embedded: bool = True,
) -> tuple[list[Link], int, bool]:
    """Links of a page sorted into roles (at most `max_links` are read), how many were out of
    scope, and whether the page had more links than were read."""
    links: list[Link] = []
    offsite = 0
    read = anchors(selector, None if max_links is None else max_links + 1)
    truncated = max_links is not None and len(read) > max_links
    read = read[:max_links]
    records = embedded_records(selector) if embedded else ""
    if records:
        read = read + Selector(text=records).css("a[href]")
    hinted = set()
    if list_selector:
        scope = (
            selector.xpath(list_selector)
            if list_selector.startswith("/")
            else selector.css(list_selector)
        )
        hinted = {a.attrib.get("href") for a in scope.css("a[href]")}
    detail_re = re.compile(detail_pattern) if detail_pattern else None
    pictures: list[Link] = []  # links that are only a picture, with no words
    worded: set[str] = set()  # URLs some link of the page names in words
    for anchor in read:
        href = anchor.attrib.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = canonical_url(urljoin(base_url, href))
        if not in_scope(url, domains):
            offsite += 1
            continue
        label = _label(anchor)
        role = _role(label, url, base_url, href in hinted, detail_re)
        if role:
            links.append(Link(url, label, role))
        elif _wordless_picture(anchor, label, url):
            pictures.append(Link(url, label, roles.CANDIDATE, wordless=True))
        worded.update([url] if label else [])
    return links + _unnamed(pictures, worded), offsite, truncated


def _unnamed(pictures: list[Link], worded: set[str]) -> list[Link]:
    """The wordless picture links whose page no link of the page names in words (a list's
    thumbnail is judged by its row's title), once each."""
    return list({link.url: link for link in pictures if link.url not in worded}.values())


def _role(
    label: str, url: str, base_url: str, hinted: bool, detail_re: re.Pattern | None
) -> str | None:
    if judge.is_notice_title(label):
        return roles.NOTICE
    if judge.might_be_notice_title(label):
        return roles.CANDIDATE
    if (hinted or (detail_re and detail_re.search(url))) and not list_patterns.COLUMN_WORDS.search(
        label
    ):
        return roles.CANDIDATE
    if list_patterns.NEXT_PAGE_WORDS.match(label) and _same_list(url, base_url):
        return roles.PAGE
    paged = list_patterns.PAGE_PARAM.search(url) or list_patterns.PATH_PAGE.search(
        urlsplit(url).path
    )
    if paged and _same_list(url, base_url):
        return roles.PAGE
    if (
        len(label) <= list_patterns.MAX_COLUMN_LABEL
        and list_patterns.COLUMN_WORDS.search(label)
        # 巡察工作专题, 巡视整改专栏: a column named for inspections is read whatever else
        # its name says (专题 columns are skipped otherwise)
        and (
            not list_patterns.SKIP_COLUMN_WORDS.search(label)
            or notice_patterns.NOTICE_INSPECTION.search(label)
        )
        and not notice_patterns.NOT_NOTICE.search(label)  # 召开巡察反馈会: news, not a column
    ):
        return roles.COLUMN
    return None
