"""The body: its container, its lines without chrome, labels and repeats, and the documents a
page links when the notice is only its attachments."""

import re
from itertools import islice
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml.cssselect import CSSSelector

from ..documents import document_kind
from ..patterns import DOCUMENT_HINT
from . import chrome
from .html import is_document_link, squash

_BODY_SELECTORS = [CSSSelector(s, translator="html") for s in chrome.BODY_SELECTORS]


_SCRIPT_ANCHOR = re.compile(
    r"""<a\s[^>]*?href\s*=\s*\\?["']([^"'\\]+)\\?["'][^>]*>([^<]*)</a>""", re.I
)


def body_container(doc: etree._Element, title: str | None) -> tuple[etree._Element | None, str]:
    """The element holding the body: a known CMS container, else the block around the heading."""
    for selector in _BODY_SELECTORS:
        for el in selector(doc):
            if len(squash(el.text_content())) >= chrome.MIN_BODY_CHARS:
                return el, "container"
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
