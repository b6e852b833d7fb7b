"""The body: its container, its lines without chrome, labels and repeats, and the documents a
page links when the notice is only its attachments."""

import re
from collections import Counter
from itertools import islice
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml.cssselect import CSSSelector

from ..documents import document_kind
from ..patterns import DOCUMENT_HINT
from . import chrome
from .dates import closing_date
from .html import is_document_link, plain_text, squash

_BODY_SELECTORS = [CSSSelector(s, translator="html") for s in chrome.BODY_SELECTORS]


_SCRIPT_ANCHOR = re.compile(
    r"""<a\s[^>]*?href\s*=\s*\\?["']([^"'\\]+)\\?["'][^>]*>([^<]*)</a>""", re.I
)


def body_container(doc: etree._Element, title: str | None) -> tuple[etree._Element | None, str]:
    """The element holding the body: a known CMS container, else the element that holds the
    page's prose (prose_container), else the block around the heading."""
    for selector in _BODY_SELECTORS:
        for el in selector(doc):
            if len(squash(el.text_content())) >= chrome.MIN_BODY_CHARS:
                return el, "container"
    prose = prose_container(doc)
    if prose is not None:
        return prose, "prose"
    wanted = squash(title or "")
    if wanted:
        for el in doc.iter():
            if (
                isinstance(el.tag, str)
                and el.tag not in ("title", "meta", "a")
                and squash(el.text_content()) == wanted
                and not any(a.tag == "a" for a in el.iterancestors())  # a related-list entry
            ):
                block = el.getparent()
                while (
                    block is not None
                    and len(squash(block.text_content())) < len(wanted) + 2 * chrome.MIN_BODY_CHARS
                ):
                    block = block.getparent()
                if block is not None and block.tag not in ("html", "body"):
                    return block, "heading"
    return None, "page"


_SENTENCE = re.compile(r"[。；！？]")


def _prose_chars(node: etree._Element, text: str | None) -> int:
    """How much of this text is prose: a sentence's characters (a text with 。/；, or a long
    one), outside links (menus, related lists and prev/next are link text)."""
    if not text or node.tag == "a":
        return 0
    length = len(squash(text))
    return length if length >= chrome.PROSE_CHARS or _SENTENCE.search(text) else 0


def prose_container(doc: etree._Element) -> etree._Element | None:
    """The deepest element that holds nearly all the page's prose (PROSE_SHARE of the
    characters of its sentences, each text counted once: a print copy adds nothing) and is
    mostly prose (PROSE_DENSITY of its text): the body however the page's template names it,
    without the info bars, widgets, prev/next and related lists around it, which hold no
    sentences. None when the page has too little prose, or when no such element is below
    <body> (prose spread over several blocks: columns, a portal's home)."""
    held: dict[etree._Element, int] = {}
    seen: set[str] = set()
    total = 0
    for node in doc.iter():
        if not isinstance(node.tag, str):
            continue
        parent = node.getparent()
        for holder, text in ((node, node.text), (parent, node.tail)):
            chars = _prose_chars(holder, text) if holder is not None else 0
            if not chars or squash(text) in seen:
                continue
            seen.add(squash(text))
            total += chars
            while holder is not None:
                held[holder] = held.get(holder, 0) + chars
                holder = holder.getparent()
    if total < chrome.MIN_BODY_CHARS:
        return None
    chain = [el for el, chars in held.items() if chars >= chrome.PROSE_SHARE * total]
    deepest = max(chain, key=lambda el: sum(1 for _ in el.iterancestors()), default=None)
    if deepest is None or deepest.tag in ("html", "body"):
        return None
    if held[deepest] < chrome.PROSE_DENSITY * len(squash(deepest.text_content())):
        return None
    return deepest


def prose_texts(element: etree._Element) -> list[str]:
    """The element's prose, text by text (squashed), as prose_container counts it."""
    found = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        found += [squash(node.text)] if _prose_chars(node, node.text) else []
        if node is not element and _prose_chars(node.getparent(), node.tail):
            found.append(squash(node.tail))
    return found


def container_text(container: etree._Element, html: str) -> str:
    """The text of a prose container: trafilatura's rendering (tables as rows), unless it lost
    a sentence the container holds (it may drop a first line, or the second of two equal
    paragraphs), then the plain rendering."""
    text = trafilatura_text(html)
    kept = squash(text)
    if all(kept.count(piece) >= n for piece, n in Counter(prose_texts(container)).items()):
        return text
    return plain_text(container)


def filter_lines(text: str, title: str | None) -> list[str]:
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
        if title and len(kept) < 5 and squash(line) == squash(title):
            continue
        kept.append(line)
    return _drop_leading_title(kept, title)


def _drop_leading_title(lines: list[str], title: str | None) -> list[str]:
    """Lines that open the body with the title broken over several lines (<br> in a heading)."""
    wanted = squash(title or "")
    joined = ""
    for count, line in enumerate(lines[: chrome.MAX_TITLE_LINES], start=1):
        joined += squash(line)
        if not wanted.startswith(joined):
            break
        if joined == wanted:
            return lines[count:]
    return lines


def trafilatura_text(html: str) -> str:
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


def without_link_lines(lines: list[str], doc: etree._Element) -> list[str]:
    """Lines that are a whole link's text (menus, footers) are chrome when no body element was
    found; links to documents stay (their labels carry attachments)."""
    links = {
        squash(a.text_content()) for a in doc.iter("a") if not document_kind(a.get("href", ""))
    }
    return [line for line in lines if squash(line) not in links]


def drop_repeated_runs(lines: list[str]) -> list[str]:
    """The body once: a run of lines that repeats, in order, lines met before (a screen and a
    print copy of the same table or text) is dropped when it is long enough not to be a
    repeated phrase; a single line the body really holds twice is kept twice."""
    kept: list[str] = []
    where: dict[str, list[int]] = {}  # a kept line -> its places in `kept`
    index = 0
    while index < len(lines):
        length = _copied_run(lines, index, kept, where.get(lines[index], ()))
        if length:
            index += length
            continue
        where.setdefault(lines[index], []).append(len(kept))
        kept.append(lines[index])
        index += 1
    return kept


def _copied_run(lines: list[str], index: int, kept: list[str], starts) -> int:
    """How many lines from `index` on repeat, in order, the kept lines from one of `starts`
    (0 unless at least two lines of MIN_REPEAT_CHARS together)."""
    best = 0
    for start in starts:
        length = 0
        while (
            index + length < len(lines)
            and start + length < len(kept)
            and lines[index + length] == kept[start + length]
        ):
            length += 1
        best = max(best, length)
    run = lines[index : index + best]
    return best if best >= 2 and sum(map(len, run)) >= chrome.MIN_REPEAT_CHARS else 0


def strip_labels(lines: list[str]) -> list[str]:
    """Lines without download labels and empty attachment headings at either end."""
    lines = [line for line in lines if not chrome.is_download_label(line)]
    while lines and chrome.is_label_line(lines[-1]):
        lines.pop()
    while lines and chrome.is_label_line(lines[0]):
        lines.pop(0)
    return lines


def drop_closing_fields(lines: list[str]) -> list[str]:
    """The body without the rows of fields after its closing date (（编辑：… 审核：…）,
    上一信息：…): a notice ends with its signature and date; what follows in its container and
    is no sentence and no attachment is the page's furniture."""
    for index in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
        if closing_date([lines[index]]):
            tail = lines[index + 1 :]
            kept = [line for line in tail if not chrome.is_field_row(line)]
            return lines[: index + 1] + kept
    return lines


def only_labels(lines: list[str], doc: etree._Element, scripts: list[str], url: str) -> bool:
    """True when a page linking documents shows nothing but their names (附件：通报.pdf) and
    its furniture (a greeting, a date, a source, a counter: short lines that say nothing)."""
    plain = (line for line in lines if "附" not in line and not DOCUMENT_HINT.search(line))
    if next(islice(plain, chrome.MAX_ATTACHMENT_LINES, None), None) is not None:
        return False  # a body: no need to look for documents
    links = document_links(doc, scripts, url)
    if not links:
        return False
    names = {squash(link["label"]) for link in links}
    return all(
        chrome.ATTACHMENT_LEAD.sub("", squash(line)) in names
        or squash(line) in names
        or chrome.is_label_line(line)
        or chrome.is_furniture(line)
        for line in lines
    )


def landing_lines(lines: list[str], title: str | None) -> list[str] | None:
    """What the landing page of a notice published as its files says about it: its sentences
    pointing to the files (现将《…》全文予以公开……请点击下方附件查阅) and the files' names,
    without its greeting, date line, source, counters and title row; None when the page says
    more (a body of its own)."""
    if len(lines) > 3 * chrome.MAX_ATTACHMENT_LINES:
        return None
    said = [line for line in lines if chrome.is_pointer(line) or DOCUMENT_HINT.search(line)]
    rest = [line for line in lines if line not in said]
    if not said or not all(chrome.is_furniture(x) or _is_title_row(x, title) for x in rest):
        return None
    return said


def _is_title_row(line: str, title: str | None) -> bool:
    """A line that is the page's title with a label (名称：… in a metadata row)."""
    wanted, compact = squash(title or ""), squash(line).strip("|｜")
    return bool(wanted) and wanted in compact and len(compact) <= len(wanted) + 10


def document_links(doc: etree._Element, scripts: list[str], url: str) -> list[dict]:
    """Document files the page links: anchors, and anchors written by script
    (`var file_appendix='<a href="./P0202….doc">…</a>'`, document.write)."""
    found: dict[str, str] = {}
    pairs = [(a.get("href", ""), a.text_content()) for a in doc.iter("a") if is_document_link(a)]
    pairs += [pair for script in scripts for pair in _SCRIPT_ANCHOR.findall(script)]
    for href, label in pairs:
        target = urljoin(url, href.strip())
        if document_kind(target) and target not in found:
            found[target] = re.sub(r"\s+", " ", label).strip()
    return [{"url": target, "label": label} for target, label in found.items()]


def attachment_lines(element: etree._Element, text: str) -> list[str]:
    """Labels of attachment links (附件1：清单.docx) that trafilatura dropped as link-only;
    not bare download labels (pdf下载)."""
    squashed = squash(text)
    lines = []
    for anchor in element.iter("a"):
        label = re.sub(r"\s+", " ", anchor.text_content()).strip()
        if (
            label
            and document_kind(anchor.get("href", ""))
            and squash(label) not in squashed
            and not chrome.is_label_line(label)
        ):
            lines.append(label)
    return lines
