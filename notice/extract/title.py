"""The notice's title: the visible element that agrees with the meta title or <title>, without
the site's and column's parts (those its portal's <title>s share, when the template model knows
them, else those a site name shows), never a file's name."""

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from lxml import etree

from . import chrome
from .html import meta_content, squash
from .units import mask

_SITE_SUFFIX = re.compile(r"^(.*\S)\s*[_|｜\-—–]+\s*([^_|｜\-—–]{2,40})$")


_SITE_WORDS = re.compile(r"政府|网站|门户|人民|纪委|监委|委员会|网$|官网|纪检|监察|党建|中国")


_META_TITLE = ("ArticleTitle", "og:title", "title")


_HEADINGS = etree.XPath(chrome.HEADINGS)


# Elements with text of their own whose text, without spaces, is between $lo and $hi
# characters long: any of them may show the title (a heading in a <div>, a <td>, a <font>).
_TEXT_ELEMENTS = etree.XPath(
    "//body//*[not(self::a or self::script or self::style or self::option or self::title)]"
    "[text()[normalize-space()]][string-length(.) >= $lo]"
    "[string-length(translate(., ' \t\r\n\u00a0\u3000', '')) <= $hi]"
)


# A title made of no Chinese at all that looks like a file's name (P020240702512345.doc).
_FILE_NAME = re.compile(r"^[\w\-.()（） ]+$", re.A)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def strip_site_suffix(title: str) -> str:
    """Remove trailing site names: `标题_厦门市人民政府`, `标题-思明区人民政府网站`."""
    title = re.sub(r"\s+", " ", title).strip()
    while True:
        match = _SITE_SUFFIX.match(title)
        if not match or not is_site_name(match.group(2)) or len(match.group(1)) < 4:
            return title
        title = match.group(1)


def is_site_name(text: str) -> bool:
    """True for a site's name (XX市人民政府, XX县纪委监委网站), not a document's title that names
    its issuer (中共XX镇委员会关于…的通报)."""
    return bool(_SITE_WORDS.search(text)) and not chrome.DOCUMENT_TITLE.search(text.strip())


def title_parts(title: str | None) -> list[str]:
    """A <title>'s parts (标题, 栏目, 网站), masked as the template model compares them."""
    parts = chrome.TITLE_SEPARATOR.split(title or "")
    return [mask(part) for part in parts if part.strip()]


def strip_affixes(title: str, affixes: Collection[str]) -> str:
    """A <title> without the leading and trailing parts its portal's <title>s share."""
    if not affixes:
        return title
    parts = chrome.TITLE_SEPARATOR.split(title)
    seps = [m.group(0) for m in chrome.TITLE_SEPARATOR.finditer(title)]
    start, end = 0, len(parts)
    while end - start > 1 and (not parts[start].strip() or mask(parts[start]) in affixes):
        start += 1
    while end - start > 1 and (not parts[end - 1].strip() or mask(parts[end - 1]) in affixes):
        end -= 1
    kept = parts[start]
    for sep, part in zip(seps[start : end - 1], parts[start + 1 : end], strict=True):
        kept += sep + part
    return kept.strip()


def _clean_title(title: str | None) -> str | None:
    """A title without markup (meta tags may hold `<div>`), a file extension or dangling bars;
    None for what is only a file's name."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", title)).strip()
    title = chrome.TITLE_FILE_EXT.sub("", title)
    title = chrome.TITLE_DANGLING.sub("", title)
    if not title or (not _CJK.search(title) and _FILE_NAME.match(title)):
        return None
    return title


def _visible_part(title: str | None, visible: str) -> str | None:
    """A title reference without its site and column parts: the whole when the page shows it,
    else the longest leading part the page shows, else the last part it shows (网站-标题)."""
    if not title or squash(title) in visible:
        return title
    cuts = [m for m in chrome.TITLE_SEPARATOR.finditer(title) if m.start() > 0]
    for cut in reversed(cuts):
        part = _clean_title(title[: cut.start()])
        if part and len(part) >= chrome.MIN_TITLE_CHARS and squash(part) in visible:
            return part
    for cut in cuts:
        part = _clean_title(title[cut.end() :])
        if part and len(part) >= chrome.MIN_TITLE_CHARS and squash(part) in visible:
            return part
    return title


@dataclass
class TitleEvidence:
    """What a page says its title is: its meta title and <title> (as written), the texts of
    its heading-like elements (in page order, a glued info bar cut off), the texts (without
    spaces) of the elements that show a title reference or one of its parts exactly, and the
    page's text without spaces."""

    meta: str | None
    page: str | None
    visible: str
    headings: list[str] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)


def _linked(el: etree._Element, text: str) -> bool:
    """True for a link's text, a text inside a link, or one mostly made of links (a menu)."""
    if el.tag == "a" or any(True for _ in el.iterancestors("a")):
        return True
    linked = "".join(a.text_content() for a in el.iter("a"))
    return bool(linked) and len(squash(linked)) * 2 >= len(squash(text))


def _element_text(el: etree._Element) -> str | None:
    """A heading-like element's text, or None when it cannot be the title (a link, a menu)."""
    text = re.sub(r"\s+", " ", el.text_content()).strip()
    if (
        len(text) < chrome.MIN_TITLE_CHARS
        or len(text) > chrome.MAX_TITLE_CHARS
        or _linked(el, text)
    ):
        return None
    while (cut := chrome.TITLE_INFO_TAIL.sub("", text).strip()) != text:
        text = cut  # 标题 2021-09-30 10:33:05 来源：… loses its labelled field, then its date
    return text if len(text) >= chrome.MIN_TITLE_CHARS else None


def _references(evidence: "TitleEvidence") -> set[str]:
    """Every text (without spaces) the title could be: the meta title and the <title>, whole
    and cut at each separator."""
    found = set()
    for raw in (evidence.meta, evidence.page):
        title = _clean_title(raw)
        if title:
            cuts = [m for m in chrome.TITLE_SEPARATOR.finditer(title) if m.start() > 0]
            parts = [title[: c.start()] for c in cuts] + [title[c.end() :] for c in cuts]
            found.update(squash(p) for p in (title, *parts))
    return {text for text in found if len(text) >= chrome.MIN_TITLE_CHARS}


def title_evidence(doc: etree._Element, visible: str | None = None) -> TitleEvidence:
    """Read the title's evidence from a page (before its chrome is removed). `visible`: the
    body's text without spaces, when the caller has it."""
    if visible is None:
        body = doc.find("body")
        visible = squash(body.text_content()) if body is not None else ""
    page = re.sub(r"\s+", " ", " ".join(doc.xpath("//title//text()"))).strip() or None
    evidence = TitleEvidence(meta_content(doc, _META_TITLE), page, visible)
    evidence.headings = [t for t in map(_element_text, _HEADINGS(doc)) if t]
    wanted = _references(evidence)
    whole = [_clean_title(raw) for raw in (evidence.meta, evidence.page)]
    if any(_agreeing(title, evidence.headings, set()) for title in whole if title):
        return evidence  # a heading agrees: no other element's text is needed
    if wanted:
        lo, hi = min(map(len, wanted)), max(map(len, wanted))
        for el in _TEXT_ELEMENTS(doc, lo=lo, hi=hi):
            text = squash(el.text_content())
            if text in wanted and not _linked(el, text):
                evidence.texts.add(text)
    return evidence


def _agreeing(reference: str, headings: list[str], texts: set[str]) -> str | None:
    """The visible text that is this title: any element's text that is the same, else a
    heading's that is the title shortened (without the document number a meta title adds) or
    lengthened."""
    wanted = squash(reference)
    if len(wanted) < chrome.MIN_TITLE_CHARS:
        return None
    if wanted in texts or any(squash(h) == wanted for h in headings):
        return reference
    squashed = [(h, squash(h)) for h in headings]
    shorter = [
        h for h, s in squashed if s in wanted and len(s) >= chrome.TITLE_MIN_SHARE * len(wanted)
    ]
    if shorter:
        return max(shorter, key=len)
    longer = [h for h, s in squashed if wanted in s]
    return min(longer, key=len) if longer else None


def _parts(title: str, visible: str) -> list[str]:
    """A title reference, and when the page does not show it whole, its parts at its
    separators (the leading and the trailing ones: 标题_栏目, 网站-标题), longest first."""
    if squash(title) in visible:
        return [title]
    cuts = [m for m in chrome.TITLE_SEPARATOR.finditer(title) if m.start() > 0]
    parts = [title[: cut.start()] for cut in cuts] + [title[cut.end() :] for cut in cuts]
    cleaned = [p for p in map(_clean_title, parts) if p and len(p) >= chrome.MIN_TITLE_CHARS]
    return [title, *sorted(dict.fromkeys(cleaned), key=len, reverse=True)]


def choose_title(evidence: TitleEvidence, affixes: Collection[str] = ()) -> str | None:
    """The notice title: the visible text that agrees with the meta title or the <title>
    (when the page does not show one whole: with its longest part that a visible text agrees
    with), else the one of them the page shows; each without the parts its portal's <title>s
    share (`affixes`, learned) and without a site name."""
    references = []
    for raw in (evidence.meta, evidence.page):
        title = _clean_title(raw)
        if title:
            title = _clean_title(strip_site_suffix(strip_affixes(title, affixes))) or title
            references += [] if is_site_name(title) else [title]
    for reference in references:
        for part in _parts(reference, evidence.visible):
            heading = _agreeing(part, evidence.headings, evidence.texts)
            if heading:
                return heading
    if references:
        return _visible_part(references[0], evidence.visible)
    return _document_heading(evidence.headings) or _clean_title(evidence.meta or evidence.page)


def _document_heading(headings: list[str]) -> str | None:
    """The first heading shaped as a document's title, for a page whose meta title and <title>
    name only its site (an old or contractor-built template)."""
    return next((h for h in headings if chrome.DOCUMENT_TITLE.search(h)), None)


def find_title(
    doc: etree._Element, visible: str | None = None, affixes: Collection[str] = ()
) -> str | None:
    """The notice title of a page (see choose_title)."""
    return choose_title(title_evidence(doc, visible), affixes)
