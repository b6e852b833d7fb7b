"""The publication date: shown with the heading, else meta, else the URL's, else the closing
date; dates inside the body are never taken."""

import re

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


def _info_bar_date(page: str, title: str | None, lines: list[str]) -> str | None:
    """The date shown with the heading: in the info bar between the title and the body
    (labelled 发布日期/发布时间/日期, or a bare date right after the title), else a labelled
    date outside the body (an info bar under it). `page` is the page's text without spaces."""
    body = squash("\n".join(lines))
    anchor = body[: chrome.BODY_ANCHOR_CHARS]
    wanted = squash(title or "")
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


def published_date(
    page: str, title: str | None, lines: list[str], meta: str | None, url: str
) -> tuple[str | None, str | None]:
    """The publication date and where it came from: the info bar shown with the heading,
    else meta PubDate unless the URL's date disagrees (some platforms stamp the time a page
    was regenerated), else the URL's date, else the date the notice closes with. Dates inside
    the body (a project's tender date, a summary table) are never taken."""
    shown = _info_bar_date(page, title, lines)
    if shown:
        return shown, "info-bar"
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
