"""Does a list page need a visitor's browser? A pure decision from the page's structure (as
served, read over plain HTTP), tested in-process.

A list needs exploring when its navigation does not work without scripts:

    script pager         下一页 or page numbers that are script calls (`__doPostBack`,
                         `javascript:goPage(2)`, buttons), and no page link
    load more            a 加载更多 / 查看更多 control that is no link
    rows without links   repeated rows with data attributes or handlers, and no link in them
    filled by script     an empty list container (or one that says 正在加载) and a script
                         that fetches, or a script holding the list's records as data, or
                         one that names the container (its id) or whose holder carries a
                         script's settings (data attributes) while the fetch is in a file
    filters by script    tabs (siblings naming a value in a data attribute) or a select that
                         is no jump menu, and a script that fetches
    infinite scroll      a script that fetches on scroll
    in-page routes       links to `#/…` routes (a single-page app)
    app shell            a page that is no more than a mount point and scripts (a
                         single-page app as served: `<div id="app"></div>`, a bundle, a
                         <noscript> asking for JavaScript): what it holds, scripts draw

The chrome every portal has (print, font size, a 友情链接 jump menu, 更多>> links) is no reason.
"""

import re

from parsel import Selector

from .. import list_patterns
from ..discovery import label_of
from ..lists import Discovery, Page
from ..lists.clicks import has_script_pager
from ..roles import ITEM_ROLES, PAGE
from . import replies
from .actions import MORE_WORDS, URL_OPTION

# Elements a visitor acts on that are no links.
_SCRIPT_CONTROLS = (
    "//a[starts-with(normalize-space(@href), 'javascript:') or normalize-space(@href)='#' "
    "or not(@href)] | //button | //input[@type='button'] | //*[@onclick]"
)
_LOADING = re.compile(r"^(正在加载|加载中|数据加载中|loading)[.…。\s]*$", re.I)
_CONTAINERS = (
    "//*[self::ul or self::ol or self::tbody or self::div or self::table or self::section]"
)
# a link inside that is no script control: the element holds items a visitor can open
_REAL_LINK = (
    "descendant-or-self::a[@href and not(starts-with(normalize-space(@href), 'javascript'))"
    " and not(starts-with(normalize-space(@href), '#'))]"
)
_SCROLL = re.compile(r"""addEventListener\(\s*['"]scroll|\bonscroll\b|\.scroll\(\s*function""")
_ROUTES = "//a[starts-with(@href, '#/') or starts-with(@href, '#!/')]"
# what a visitor reads on a page, beside its scripts, styles and <noscript> text
_SHOWN_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_PAGE_LINKS = "//body//a[@href][not(starts-with(normalize-space(@href), 'javascript'))]"
_HEADINGS = "//body//*[self::h1 or self::h2 or self::h3]"
MAX_SHELL_TEXT = 40  # characters a visitor reads on an app shell (a 正在加载 at most)
MAX_SHELL_LINKS = 2
MIN_ROWS = 3
ROWS = "rows without links"  # the reason a rows recipe (of another page of the list) answers
MIN_ROW_TEXT = 8
MAX_TAB_TEXT = 12


def _text(element: Selector) -> str:
    return re.sub(r"\s+", "", "".join(element.xpath(".//text()").getall()))


def _fetches(page: Page) -> bool:
    return bool(list_patterns.FETCH_CALL.search(page.scripts()))


def _controls(selector: Selector) -> list:
    return selector.xpath(_SCRIPT_CONTROLS)


def load_more(selector: Selector) -> bool:
    """A 加载更多 control that is no link."""
    return any(
        MORE_WORDS.match(re.sub(r"\s+", "", label_of(c) or c.attrib.get("value", "")))
        for c in _controls(selector)
    )


def _shape(element: Selector) -> tuple:
    names = sorted(k for k in element.attrib if k.startswith("data-") or k == "onclick")
    return (element.root.tag, tuple(names))


def rows_without_links(selector: Selector) -> bool:
    """At least MIN_ROWS sibling rows sharing data attributes (or handlers), with text, and
    no link inside: items a script opens."""
    for parent in selector.xpath("//*[*[@onclick or @*[starts-with(name(), 'data-')]]]"):
        shapes: dict[tuple, int] = {}
        for child in parent.xpath("./*[@onclick or @*[starts-with(name(), 'data-')]]"):
            text = re.sub(r"\s+", "", "".join(child.xpath(".//text()").getall()))
            if len(text) < MIN_ROW_TEXT or child.xpath(_REAL_LINK):
                continue
            shape = _shape(child)
            shapes[shape] = shapes.get(shape, 0) + 1
        if any(n >= MIN_ROWS and names for (_, names), n in shapes.items()):
            return True
    return False


def row_shapes(selector: Selector) -> list[tuple[str, tuple[str, ...]]]:
    """The shapes (tag, data attribute names) of the page's elements that may be item rows a
    script opens: data attributes, text, no link inside and no such element inside (a last
    page may hold a single row)."""
    shapes = set()
    for element in selector.xpath("//body//*[@*[starts-with(name(), 'data-')]]"):
        if element.xpath(_REAL_LINK) or element.xpath(".//*[@*[starts-with(name(), 'data-')]]"):
            continue
        if len(_text(element)) >= MIN_ROW_TEXT:
            names = tuple(sorted(k for k in element.attrib if k.startswith("data-")))
            shapes.add((element.root.tag, names))
    return sorted(shapes)


def filled_by_script(page: Page) -> bool:
    """An empty list container (or one showing only 正在加载), and a script that fetches (a
    loading placeholder says it even when the script is in a file)."""
    selector = page.selector
    for element in selector.xpath(_CONTAINERS):
        text = re.sub(r"\s+", "", "".join(element.xpath(".//text()").getall()))
        if text and _LOADING.match(text) and not element.xpath(".//a[@href]"):
            return True
    empty = selector.xpath(list_patterns.EMPTY_LIST_CONTAINER)
    if not empty:
        return False
    if _fetches(page) or bool(replies.inline_records(page.html)):
        return True
    return _runs_scripts(selector) and any(_drawn(element, page) for element in empty)


def _runs_scripts(selector: Selector) -> bool:
    return bool(selector.xpath("//script[@src or normalize-space()]"))


def _drawn(element: Selector, page: Page) -> bool:
    """An empty list container a script draws though no fetch shows in the page: its id
    named by an inline script (`getElementById('showList')`, a helper in a script file
    fetches), or a holder around it carrying a script's settings (`data-channel`)."""
    ident = element.attrib.get("id", "").strip()
    if ident and re.search(rf"""['"]#?{re.escape(ident)}['"]""", page.scripts()):
        return True
    holders = element.xpath("ancestor::*[position() <= 2]")
    return any(k.startswith("data-") for holder in holders for k in holder.attrib)


def filters(page: Page) -> bool:
    """Tabs naming a value in a data attribute, or a select that is no jump menu, on a page
    whose script fetches."""
    if not _fetches(page):
        return False
    selector = page.selector
    for select in selector.xpath("//select"):
        values = [v.strip() for v in select.xpath("./option/@value").getall() if v.strip()]
        if len(values) >= 2 and not any(URL_OPTION.match(v) for v in values):
            return True
    for parent in selector.xpath("//*[count(*[@*[starts-with(name(), 'data-')]]) >= 2]"):
        tabs = [
            child
            for child in parent.xpath("./*[@*[starts-with(name(), 'data-')]]")
            if 0 < len(_text(child)) <= MAX_TAB_TEXT and not child.xpath(_REAL_LINK)
        ]
        if len(tabs) >= 2:
            return True
    return False


def infinite_scroll(page: Page) -> bool:
    scripts = page.scripts()
    return bool(_SCROLL.search(scripts)) and bool(list_patterns.FETCH_CALL.search(scripts))


def routes(selector: Selector) -> bool:
    return len(selector.xpath(_ROUTES)) >= 2


def app_shell(selector: Selector) -> bool:
    """A page that shows next to nothing and links (almost) nowhere, but runs scripts: a
    single-page app's mount point, whose every view a script draws. One with a heading (an
    empty `<h1>` a script fills) is an article shell (crawler.lists.detail), no app."""
    if not selector.xpath("//script[@src or normalize-space()]") or selector.xpath(_HEADINGS):
        return False
    shown = re.sub(r"\s+", "", "".join(selector.xpath(_SHOWN_TEXT).getall()))
    return len(shown) <= MAX_SHELL_TEXT and len(selector.xpath(_PAGE_LINKS)) <= MAX_SHELL_LINKS


def explore_reason(page: Page, found: Discovery | None = None) -> str | None:
    """Why the list needs a visitor's browser, or None when links (or an API the page's
    script names, read over HTTP: the fast path) read it."""
    if found is not None and found.apis:
        return None
    selector = page.selector
    paged = found is not None and any(link.role == PAGE for link in found.links)
    checks = (
        ("script pager", lambda: not paged and has_script_pager(page)),
        ("load more", lambda: load_more(selector)),
        (ROWS, lambda: rows_without_links(selector)),
        ("filled by script", lambda: filled_by_script(page)),
        ("filters by script", lambda: filters(page)),
        ("infinite scroll", lambda: infinite_scroll(page)),
        ("in-page routes", lambda: routes(selector)),
        ("app shell", lambda: not (found and found.links) and app_shell(selector)),
    )
    return next((reason for reason, check in checks if check()), None)


def unread_list(page: Page, found: Discovery) -> str | None:
    """Why a list page read over plain HTTP holds a list that was not read (None when it
    may have been): no item link, entry, API or loader the crawl reads, and an empty list
    container a script fills. Such a list is unknown, never an empty list read whole (rows
    that are no links are left to their rule, crawler.reading.rows)."""
    if found.apis or found.entries or found.needs_browser:
        return None
    if any(link.role in ITEM_ROLES for link in found.links):
        return None
    return "its list is filled by script and no row was read" if filled_by_script(page) else None
