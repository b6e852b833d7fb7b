"""Figures in Chinese text: numbers with their units or measure words, and dates.

What a reader checks first in two versions of a notice: 212条 → 215条, 99.8% → 99.5%.
A number with no unit or measure word (附件1, 第2条's ordinal, a phone number) is not a figure.
A date is one figure (2023年6月20日, 6月20日, 2023-06-20), never split into its parts.
Figures of a changed paragraph are paired by measure word and by the words around them, not by
their position: 制定212条整改措施 pairs with 制定215条整改措施 wherever the edit put it.
"""

import re
from dataclasses import asdict, dataclass

_DATE = (
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2}(?!\d)|\d{4}/\d{1,2}/\d{1,2}"
)
# measure words and units; the longest first, so that 个百分点 wins over 个
_UNIT = (
    r"个百分点|百分点|万亿元|亿元|万元|千元|元|万亿|亿|万|%|％|‰|倍|人次|批次|条|项|个|人|家|次|件|"
    r"批|轮|所|座|套|间|户|名|篇|场|期|天|年|月|日|平方米|公里|亩|吨"
)
_APPROX = r"[余多]"
# a figure starts a number (not inside one, not an ordinal: 第3条 is a clause, not 3 of them)
FIGURE = re.compile(
    rf"(?<![\d.第])(?:(?P<date>{_DATE})"
    rf"|\d+(?:[.,]\d+)*\s*{_APPROX}?\s*(?P<unit>(?:{_UNIT})(?:\s*(?:{_UNIT}|{_APPROX}))*))"
)
# how far around a figure its words are read to pair it
CONTEXT = 8
_NOT_WORDS = re.compile(r"[\d\s.,%％]+")


@dataclass(frozen=True)
class FigureChange:
    """A figure that differs between two texts (old or new is None when only one has it)."""

    old: str | None
    new: str | None
    paragraph: int  # 1-based, in the new text (or the old one for a removed paragraph)


@dataclass(frozen=True)
class _Figure:
    text: str  # as written, without spaces
    measure: str  # what it counts: its last measure word (元 for 3亿余元), or "date"
    before: str  # the words just before it
    after: str  # the words just after it
    position: int


def _found(text: str) -> list[_Figure]:
    found = []
    for match in FIGURE.finditer(text):
        if match.group("date"):
            measure = "date"
        else:
            units = re.findall(_UNIT, match.group("unit"))
            measure = units[-1].replace("％", "%")
        before = _NOT_WORDS.sub("", text[max(0, match.start() - CONTEXT) : match.start()])
        after = _NOT_WORDS.sub("", text[match.end() : match.end() + CONTEXT])
        found.append(
            _Figure(re.sub(r"\s+", "", match.group(0)), measure, before, after, match.start())
        )
    return found


def figures(text: str) -> list[str]:
    """The figures of a text, in order, with spaces removed."""
    return [figure.text for figure in _found(text)]


def _affinity(a: _Figure, b: _Figure) -> int:
    """How alike the words around two figures are: shared ending before, shared start after."""
    before = 0
    while (
        before < min(len(a.before), len(b.before))
        and a.before[-1 - before] == b.before[-1 - before]
    ):
        before += 1
    after = 0
    while after < min(len(a.after), len(b.after)) and a.after[after] == b.after[after]:
        after += 1
    return before + after


def _compare(old: list[_Figure], new: list[_Figure], paragraph: int) -> list[FigureChange]:
    """Pair the figures of two versions of a paragraph: the same figure in the same words is
    unchanged; otherwise figures of one measure are paired by the words around them."""
    old, new = list(old), list(new)
    for a in list(old):  # unchanged figures first: same figure, most alike words
        same = [b for b in new if b.text == a.text]
        if same:
            new.remove(max(same, key=lambda b: _affinity(a, b)))
            old.remove(a)
    pairs = sorted(
        (
            (-_affinity(a, b), abs(i - j), i, j)
            for i, a in enumerate(old)
            for j, b in enumerate(new)
            if a.measure == b.measure
        )
    )
    paired_old: dict[int, int] = {}
    paired_new: set[int] = set()
    for _, _, i, j in pairs:
        if i not in paired_old and j not in paired_new:
            paired_old[i] = j
            paired_new.add(j)
    changes = [
        (new[paired_old[i]].position, FigureChange(a.text, new[paired_old[i]].text, paragraph))
        if i in paired_old
        else (a.position, FigureChange(a.text, None, paragraph))
        for i, a in enumerate(old)
    ]
    changes += [
        (b.position, FigureChange(None, b.text, paragraph))
        for j, b in enumerate(new)
        if j not in paired_new
    ]
    return [change for _, change in sorted(changes, key=lambda pair: pair[0])]


def figure_changes(blocks) -> list[FigureChange]:
    """The changed figures of a paragraph diff (archive.diff blocks)."""
    changes: list[FigureChange] = []
    for block in blocks:
        if block.op == "equal":
            continue
        where = (block.new_index if block.new_index is not None else block.old_index) + 1
        changes += _compare(_found(block.old or ""), _found(block.new or ""), where)
    return changes


def summary(changes: list[FigureChange]) -> str:
    """One line: `212条 → 215条; 99.8% → 99.5%; − 3个; + 8项`."""
    parts = []
    for change in changes:
        if change.old and change.new:
            parts.append(f"{change.old} → {change.new}")
        elif change.old:
            parts.append(f"− {change.old}")
        else:
            parts.append(f"+ {change.new}")
    return "; ".join(parts)


def as_dicts(changes: list[FigureChange]) -> list[dict]:
    return [asdict(change) for change in changes]
