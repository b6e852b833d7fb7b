"""The page as its template's units, for the template model (notice.template).

A unit is one line of a block element's own text (split at <br>, without the text of the
blocks nested in it), keyed by the element's path (tags, ids and classes from <body> down)
and its text masked (spaces removed, every run of digits one `0`): a view counter, a date or
a time in the same place of two pages of one template has one key. The page's signature is
the set of its elements' ids and classes (digits masked): pages of one template share most of
it.
"""

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from lxml import etree

from .html import squash

# Elements that start a line of their own (the rest flows inside their block).
_BLOCKS = (
    "address article aside blockquote body caption center dd div dl dt fieldset figcaption "
    "figure footer form header hr li h1 h2 h3 h4 h5 h6 main nav ol p pre section ul "
    "table tbody thead tfoot tr td th"
)
BLOCK_TAGS = frozenset(_BLOCKS.split())
TEXT_SAMPLE_CHARS = 120  # what a unit keeps of its text (for people reading the model)
PARAGRAPH_CHARS = 60  # a unit this long is a paragraph: where the page's longest is, is text

_DIGITS = re.compile(r"\d+")


_IDS = etree.XPath("//body//@id")
_CLASSES = etree.XPath("//body//@class")


# A field's label: a few characters and a colon leading a unit (发布机构：…, 本页编校：…).
_LABEL = re.compile(r"^[^：:，。；,;]{1,8}[：:]")


def mask(text: str) -> str:
    """Text as the model compares it: no spaces, each run of digits (any script) one `0`."""
    return _DIGITS.sub("0", squash(text))


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def _name(el: etree._Element) -> str:
    """An element's name in a path or signature: tag#id.class.class (digits masked)."""
    name = el.tag
    if el.get("id"):
        name += "#" + _DIGITS.sub("0", el.get("id").strip())
    classes = (el.get("class") or "").split()
    if classes:
        name += "." + ".".join(sorted({_DIGITS.sub("0", c) for c in classes}))
    return name


@dataclass
class Reading:
    """What the template model reads on one page, and what it did there.

    `units`: [key, path digest, occurrences, text sample, field key] for each distinct unit,
    in page order (the field key: of its label and path, for a unit led by a label, such as
    `本页编校：`, whatever follows; else None); `signature`: the page's ids and classes;
    `title`: the <title>'s parts, masked; `heading`: the path digest of the unit that is the
    page's title (its heading), if one is; `template` and `revision`: the template the page
    was cleaned with (None: no model), and the revision of its chrome; `removed`: how many
    of its units were removed as chrome."""

    units: list[list] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    heading: str | None = None
    template: int | None = None
    revision: int = 0
    removed: int = 0


# Where a unit's text lives: (element, "text" | "tail"), to remove it from the page.
Holder = tuple[etree._Element, str]


def signature(doc: etree._Element) -> list[str]:
    """The page's signature: the classes (.name) and ids (#name) of its elements, digits
    masked."""
    names = {"#" + value.strip() for value in _IDS(doc)}
    names.update("." + token for value in _CLASSES(doc) for token in value.split())
    return sorted({_DIGITS.sub("0", name) for name in names})


def read_units(
    root: etree._Element, holding: bool = True
) -> tuple[list[list], dict[str, list[Holder]]]:
    """The units of an element (the part of a page extraction reads), their paths from the
    page's <body>, and (`holding`: to remove some) where each unit's text lives."""
    ancestors = [el for el in root.iterancestors() if el.tag != "html"]
    prefix = "".join(f"/{_name(el)}" for el in reversed(ancestors) if el.tag in BLOCK_TAGS)
    order: dict[str, list] = {}
    holders: dict[str, list[Holder]] = {}
    paths: dict[str, str] = {}  # a path -> its digest

    def add(path: str, texts: list[str], where: list[Holder]) -> None:
        # a line ends: the unit of the text gathered (whitespace is never gathered)
        if not texts:
            return
        text = squash("".join(texts))
        key = digest(path + "\x1f" + _DIGITS.sub("0", text))
        if key in holders:
            holders[key] += where
            order[key][2] += 1
        else:
            holders[key] = list(where)
            if path not in paths:
                paths[path] = digest(path)
            label = _LABEL.match(text)
            field_key = digest(path + "\x1f" + _DIGITS.sub("0", label.group(0))) if label else None
            order[key] = [key, paths[path], 1, text[:TEXT_SAMPLE_CHARS], field_key]
        texts.clear()
        where.clear()

    def walk(el: etree._Element, path: str, texts: list[str], where: list[Holder]) -> None:
        # `texts`, `where`: the current line of the block `el` flows in (its own, if a block)
        own = el.tag in BLOCK_TAGS
        if own:
            add(path, texts, where)  # the enclosing block's line ends here
            path, texts, where = f"{path}/{_name(el)}", [], []
        text = el.text
        if text and not text.isspace():
            texts.append(text)
            if holding:
                where.append((el, "text"))
        for child in el:
            tag = child.tag
            if tag == "br":
                add(path, texts, where)
            elif tag.__class__ is str:
                walk(child, path, texts, where)
            tail = child.tail  # a comment's tail too
            if tail and not tail.isspace():
                texts.append(tail)
                if holding:
                    where.append((child, "tail"))
        if own:
            add(path, texts, where)

    walk(root, prefix, [], [])
    return list(order.values()), holders


def remove_chrome(
    reading: Reading, holders: dict[str, list[Holder]], chrome: Collection[str], keep: str = ""
) -> int:
    """Remove from the page the units its template calls chrome (by key, by field or by
    slot), path by path: only where everything at a path on this page is chrome (a body
    paragraph that recurs, 特此通报。, stands among paragraphs that do not, and stays), never at
    the path of the page's longest unit when that is a paragraph, never the title (`keep`, in
    a slot that shows it). How many units were removed."""
    by_path: dict[str, list[list]] = {}
    for unit in reading.units:
        by_path.setdefault(unit[1], []).append(unit)
    longest = max(reading.units, key=lambda unit: len(unit[3]), default=None)
    body = longest[1] if longest and len(longest[3]) >= PARAGRAPH_CHARS else None
    removed = 0
    for path, units in by_path.items():
        if path == body or not (
            path in chrome or all(u[0] in chrome or (u[4] and u[4] in chrome) for u in units)
        ):
            continue
        for unit in units:
            if unit[3] == keep:
                continue
            for el, where in holders[unit[0]]:
                setattr(el, where, None)
            removed += 1
    return removed
