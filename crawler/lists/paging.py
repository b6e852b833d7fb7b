"""Query and numbered paging: `?page=N`, `pageNum=`, `index_N.html`, `/page/N/`, `[N]` links,
下一页/尾页, `rel="next"`, group pagers (下一组, `…`), `<select>` jump menus, and "共N页"
pagers whose links are script calls."""

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from notice.urls import canonical_url, in_scope

from .. import list_patterns
from ..discovery import Link, anchors, label_of, same_list
from ..frontier import list_key
from ..roles import PAGE
from . import Found, Page

NAME = "paging"
_JUMP = re.compile(r"""['"]([^'"]*?)['"]\s*\+\s*this\.(?:value|options\[[^\]]+\]\.value)""")
_SCRIPT_PAGE = re.compile(r"javascript:\s*\w+\s*\(\s*['\"]?(\d{1,4})['\"]?\s*\)|\w+\((\d{1,4})\)")


def with_page(url: str, number: int) -> str | None:
    """`url` with its page parameter (or _N file suffix) set to `number`, None if it has none."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [k for k, _ in query if list_patterns.PAGE_PARAM_NAME.match(k)]
    if names:
        query = [(k, str(number) if k == names[0] else v) for k, v in query]
        return urlunsplit(parts._replace(query=urlencode(query)))
    return None


def _page_link(page: Page, href: str, label: str) -> Link | None:
    url = canonical_url(urljoin(page.url, href))
    if not in_scope(url, page.domains) or not same_list(url, page.url):
        return None
    if urlsplit(url).query and list_key(url) != list_key(page.url):
        return None  # list.jsp?cid=99&page=2 is another column's page
    return Link(url, label, PAGE)


def _anchors(page: Page) -> list[Link]:
    """Pager anchors static link sorting misses: `[2]`, 【3】, (4), 尾页 and group steps
    (下一组, an ellipsis link past the shown numbers) on the same list."""
    found = []
    for anchor in anchors(page.selector, page.max_links):
        href = anchor.attrib["href"].strip()
        label = re.sub(r"\s+", "", label_of(anchor))
        if href.startswith(("javascript:", "#")):
            continue
        if (
            _rel_next(anchor)
            or list_patterns.PAGE_NUMBER.match(label)
            or list_patterns.NEXT_WORDS.match(label)
            or list_patterns.LAST_WORDS.match(label)
            or list_patterns.GROUP_WORDS.match(label)
        ):
            link = _page_link(page, href, label)
            if link:
                found.append(link)
    return found + _head_next(page)


def _rel_next(element) -> bool:
    """`rel="next"`: the element names the list's next page, whatever its label."""
    return "next" in element.attrib.get("rel", "").lower().split()


def _head_next(page: Page) -> list[Link]:
    """`<link rel="next" href>` in the page's head: the next page of the list it shows."""
    hrefs = [e.attrib["href"].strip() for e in page.selector.xpath("//link[@href]") if _rel_next(e)]
    return [link for link in (_page_link(page, href, "next") for href in hrefs) if link]


def _jump_menus(page: Page) -> list[Link]:
    """`<select onchange="location.href=this.value">` menus of page URLs (or of numbers
    appended to a URL the handler names)."""
    found = []
    for select in page.selector.xpath("//select[option]"):
        handler = select.attrib.get("onchange", "")
        prefix = _JUMP.search(handler)
        for option in select.xpath("./option[@value]")[:10_000]:
            value = option.attrib["value"].strip()
            if not value:
                continue
            if prefix:
                href = prefix.group(1) + value
            elif re.search(r"[/.?=]", value):
                href = value
            else:
                continue
            link = _page_link(page, href, "".join(option.css("::text").getall()).strip())
            if link:
                found.append(link)
    return found


def _counted(page: Page) -> list[Link]:
    """A "共N页" pager whose page links are script calls (javascript:goPage(2)): the pages of
    a list whose URL carries a page parameter, numbered 1..N."""
    # lxml's own strings: a selector for each of a long page's text nodes would cost seconds
    text = "".join(page.selector.root.xpath("//body//text()[not(ancestor::script)]"))
    count = list_patterns.PAGE_COUNT.search(text)
    calls = page.selector.xpath(
        "//a[starts-with(normalize-space(@href), 'javascript:')]/@href | //*[@onclick]/@onclick"
    ).getall()
    if not count or not any(_SCRIPT_PAGE.search(c) for c in calls):
        return []
    total = int(count.group(1) or count.group(2))
    base = page.url if with_page(page.url, 1) else None
    if base is None:
        return []
    return [Link(with_page(base, n), str(n), PAGE) for n in range(1, total + 1)]


def detect(page: Page) -> Found:
    return Found(links=_anchors(page) + _jump_menus(page) + _counted(page))
