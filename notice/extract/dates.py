"""The publication date: shown with the heading, else meta, else the URL's, else the closing
date; dates inside the body are never taken."""

import re

from lxml import etree

from ..numerals import cn_digits, cn_number
from . import chrome
from .html import squash

_DATE = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})"


_URL_DATES = [
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+"),
    re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})-(\d{2})/(\d{2})/"),
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),
]


_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)


_CLOSING_DATE = re.compile(r"^" + _DATE + r"日?$")


META_DATE = (
    "PubDate",
    "publishdate",
    "pubdate",
    "article:published_time",
    "dc.date",
    "firstpublishedtime",
)


_SOURCE = re.compile(
    r"(?:来源|信息来源|文章来源)[ \t\u3000\xa0]*[:：][ \t\u3000\xa0]*"
    r"(.+?)(?=\s{2,}|\u3000|发布|时间|日期|浏览|字体|作者|点击|【|\[|\d{4}[-年./]|$)"
)


META_SOURCE = ("ContentSource", "source")


def _ymd(year: str, month: str, day: str) -> str | None:
    y, m, d = int(year), int(month), int(day)
    if 1990 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def parse_date(text: str) -> str | None:
    """The first date in a string (2025-12-25, 2025年12月25日, 二〇二五年十二月二十五日)."""
    match = re.search(_DATE, text)
    if match:
        return _ymd(*match.groups())
    match = _CN_DATE.search(text)
    if match:
        year = cn_digits(match.group(1)) or ""
        return _ymd(year, str(cn_number(match.group(2))), str(cn_number(match.group(3))))
    return None


def closing_date(lines: list[str]) -> str | None:
    """The date a notice closes with, on its own line (2025年12月25日, 二〇二五年…)."""
    return next(
        (
            parse_date(line)
            for line in reversed(lines[-3:])
            if _CLOSING_DATE.match(squash(line)) or _CN_DATE.match(squash(line))
        ),
        None,
    )


def url_date(url: str) -> str | None:
    """The date a URL's path holds (/202305/t20230511_1.html, /2023-05/11/)."""
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if match and _ymd(*match.groups()):
            return _ymd(*match.groups())
    return None


def _near_title(page: str, title: str | None, body: str, patterns: list) -> str | None:
    """The first date these patterns find between the title and the body (the info bar)."""
    anchor = body[: chrome.BODY_ANCHOR_CHARS]
    wanted = squash(title or "")
    position = page.find(wanted) if wanted else -1
    while position >= 0:
        after = position + len(wanted)
        start = page.find(anchor, after) if anchor else -1
        region = page[after : start if start >= 0 else None][: chrome.INFO_BAR_CHARS]
        for pattern in patterns:
            match = pattern.search(region)
            if match and _ymd(*match.groups()):
                return _ymd(*match.groups())
        position = page.find(wanted, after)
    return None


def _shown_date(page: str, title: str | None, lines: list[str], table: str | None):
    """The date shown with the heading: labelled in the info bar between the title and the
    body (发布日期/发布时间/日期), else the page's metadata table's, else a bare date right
    after the title, else a labelled date outside the body (an info bar under it); and where
    it was found. `page` is the page's text without spaces."""
    body = squash("\n".join(lines))
    labelled = _near_title(page, title, body, chrome.INFO_BAR_DATES[:2])
    if labelled:
        return labelled, "info-bar"
    if table:
        return table, "metadata-table"
    bare = _near_title(page, title, body, chrome.INFO_BAR_DATES[2:])
    if bare:
        return bare, "info-bar"
    for pattern in chrome.INFO_BAR_DATES[:2]:
        for match in pattern.finditer(page):
            if match.group(0) not in body and _ymd(*match.groups()):
                return _ymd(*match.groups()), "info-bar"
    return None, None


# Text that may be a date label (the XPath keeps the cost to text nodes, not elements).
_LABEL_TEXTS = etree.XPath(
    "//body//text()[contains(., '日期') or contains(., '时间')][string-length(.) <= 40]"
)


_LONE_DATE = re.compile(r"^" + _DATE + r"日?(?:\d{1,2}:\d{2}(?::\d{2})?)?$")


def _label_cell(text) -> etree._Element | None:
    """The cell a label's text fills (climbing from a <b> in a <td> to the <td>)."""
    if not text.is_text:
        return None
    cell = text.getparent()
    while cell.getnext() is None and cell.getparent() is not None:
        parent = cell.getparent()
        if len(parent) != 1 or (parent.text or "").strip():
            return None
        cell = parent
    return cell


def table_date(doc: etree._Element, html: str) -> str | None:
    """The date a page's metadata table gives: a label cell (发布日期, 成文日期, 生成日期 …)
    followed by a cell holding a date and nothing else; by the labels' order. `html`: the
    page's HTML (where no label closes its element, there is no such table)."""
    if not chrome.TABLE_DATE_HINT.search(html):
        return None
    found: dict[int, str] = {}
    for text in _LABEL_TEXTS(doc):
        cell = _label_cell(text)
        if cell is None:
            continue
        match = chrome.TABLE_DATE_LABEL.match(squash(cell.text_content()))
        if match is None:
            continue
        date = _LONE_DATE.match(squash(cell.getnext().text_content()))
        if date and _ymd(*date.groups()[:3]):
            rank = chrome.TABLE_DATE_LABELS.index(match.group(1))
            found.setdefault(rank, _ymd(*date.groups()[:3]))
    return found[min(found)] if found else None


def published_date(
    page: str,
    title: str | None,
    lines: list[str],
    meta: str | None,
    url: str,
    table: str | None = None,
) -> tuple[str | None, str | None]:
    """The publication date and where it came from: the date shown with the heading or in
    the page's metadata table (`table`), else meta PubDate unless the URL's date disagrees
    (some platforms stamp the time a page was regenerated), else the URL's date, else the date
    the notice closes with. Dates inside the body (a project's tender date, a summary table)
    and dates of other items are never taken."""
    shown, where = _shown_date(page, title, lines, table)
    if shown:
        return shown, where
    from_url = url_date(url)
    if meta and (from_url is None or meta == from_url):
        return meta, "meta"
    if from_url:
        return from_url, "url"
    closing = closing_date(lines)
    return (closing, "closing") if closing else (None, None)


def source_of(page_text: str) -> str | None:
    match = _SOURCE.search(page_text)
    if not match:
        return None
    value = match.group(1).strip(" ：:|｜")
    return value if 1 < len(value) <= 40 else None
