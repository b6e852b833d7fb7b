"""Figures in Chinese text: numbers with their units or measure words, and dates.

What a reader checks first in two versions of a notice: 212条 → 215条, 99.8% → 99.5%.
"""

import re
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}-\d{1,2}-\d{1,2}"
_UNIT = (
    r"个百分点|百分点|万亿元|亿元|万元|千元|元|万亿|亿|万|%|％|‰|倍|人次|批次|条|项|个|人|家|次|件|"
    r"批|轮|所|座|套|间|户|名|篇|场|期|天|年|月|日|余|多|平方米|公里|亩|吨"
)
FIGURE = re.compile(rf"(?:{_DATE})|\d+(?:[.,]\d+)*(?:\s*(?:{_UNIT}))*")


@dataclass(frozen=True)
class FigureChange:
    """A figure that differs between two texts (old or new is None when only one has it)."""

    old: str | None
    new: str | None
    paragraph: int  # 1-based, in the new text (or the old one for a removed paragraph)


def figures(text: str) -> list[str]:
    """The figures of a text, in order, with spaces removed."""
    return [re.sub(r"\s+", "", m.group(0)) for m in FIGURE.finditer(text)]


def _compare(old: list[str], new: list[str], paragraph: int) -> list[FigureChange]:
    changes = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a, b = old[i1:i2], new[j1:j2]
        for k in range(max(len(a), len(b))):
            changes.append(
                FigureChange(a[k] if k < len(a) else None, b[k] if k < len(b) else None, paragraph)
            )
    return changes


def figure_changes(blocks) -> list[FigureChange]:
    """The changed figures of a paragraph diff (archive.diff blocks)."""
    changes: list[FigureChange] = []
    for block in blocks:
        if block.op == "equal":
            continue
        where = (block.new_index if block.new_index is not None else block.old_index) + 1
        changes += _compare(figures(block.old or ""), figures(block.new or ""), where)
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
