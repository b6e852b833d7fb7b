"""The notice's title: the visible heading that agrees with the meta title or <title>, without
the site's and column's parts."""

import re

from lxml import etree

from . import chrome
from .html import meta_content, squash

_SITE_SUFFIX = re.compile(r"^(.*\S)\s*[_|｜\-—–]+\s*([^_|｜\-—–]{2,40})$")


_SITE_WORDS = re.compile(r"政府|网站|门户|人民|纪委|监委|委员会|网$|官网|纪检|监察|党建|中国")


_META_TITLE = ("ArticleTitle", "og:title", "title")


_HEADINGS = etree.XPath(chrome.HEADINGS)


def strip_site_suffix(title: str) -> str:
    """Remove trailing site names: `标题_厦门市人民政府`, `标题-思明区人民政府网站`."""
    title = re.sub(r"\s+", " ", title).strip()
    while True:
        match = _SITE_SUFFIX.match(title)
        if not match or not _SITE_WORDS.search(match.group(2)) or len(match.group(1)) < 4:
            return title
        title = match.group(1)


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
    if squash(title) in visible:
        return title
    cuts = [m.start() for m in chrome.TITLE_SEPARATOR.finditer(title) if m.start() > 0]
    for cut in reversed(cuts):
        part = _clean_title(title[:cut])
        if part and len(part) >= chrome.MIN_TITLE_CHARS and squash(part) in visible:
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
        if linked and len(squash(linked)) * 2 >= len(squash(text)):
            continue
        text = chrome.TITLE_INFO_TAIL.sub("", text).strip()
        if len(text) >= chrome.MIN_TITLE_CHARS:
            texts.append(text)
    return texts


def _heading_for(reference: str, headings: list[str]) -> str | None:
    """The visible heading that is this title: the same text, the title shortened, or longer."""
    wanted = squash(reference)
    if len(wanted) < chrome.MIN_TITLE_CHARS:
        return None
    squashed = [(h, squash(h)) for h in headings]
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
        visible = squash(body.text_content()) if body is not None else ""
    meta = _clean_title(strip_site_suffix(meta_content(doc, _META_TITLE) or ""))
    page_title = _page_title(doc, visible)
    headings = _headings(doc)
    for reference in (meta, page_title):
        heading = _heading_for(reference, headings) if reference else None
        if heading:
            return heading
    return meta or page_title
