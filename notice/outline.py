"""The section tree of a notice (一、 / （一） / 1. / （1） / ① / 一是…) as rows of numbered items.

Each item is one numbered entry: its section path (the markers above it), its marker and number,
and its text (the heading line and the paragraphs up to the next numbered entry). Inline
enumerations (……。一是……；二是……) become child items of the paragraph they are in.
"""

from dataclasses import dataclass, field

from . import patterns as P
from .numerals import cn_number


@dataclass
class Item:
    """One numbered entry of a notice."""

    path: list[str]
    marker: str
    number: int
    rank: int
    text: str
    position: int = 0
    children: int = 0
    parent: "Item | None" = field(default=None, repr=False)


def _marker(line: str) -> tuple[int, str, int, str] | None:
    """(rank, marker, number, rest) if the line starts with a section marker."""
    for rank, _style, pattern in P.MARKERS:
        match = pattern.match(line)
        if match:
            number = cn_number(match.group("num"))
            if number is None:
                continue
            marker = line[: match.start("rest")].strip()
            return rank, marker, number, match.group("rest").strip()
    return None


def _inline(text: str) -> list[tuple[str, int, str]]:
    """Split 一是…；二是… in a paragraph: [(marker, number, text)], empty unless 一是 and 二是."""
    starts = [(m.start("num"), m.group("num")) for m in P.INLINE_ENUM.finditer(text)]
    numbers = [cn_number(num) for _, num in starts]
    if len(starts) < 2 or numbers[:2] != [1, 2]:
        return []
    kept: list[tuple[int, str]] = []
    for (start, num), number in zip(starts, numbers, strict=True):
        if number == len(kept) + 1:
            kept.append((start, num))
    parts = []
    for index, (start, num) in enumerate(kept):
        end = kept[index + 1][0] if index + 1 < len(kept) else len(text)
        parts.append((num + "是", index + 1, text[start + len(num) + 1 : end].strip(" ；;，,")))
    return parts


class _Builder:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.stack: list[Item] = []
        self.last_number: dict[int, int] = {}

    def accepts(self, rank: int, number: int) -> bool:
        """A marker continues a sequence: 1 under a new parent, or the next number at its rank
        (here or anywhere above, as (10) after 2. continues the (1)…(9) under 1.)."""
        siblings = [i for i in self._children_of(self._parent_for(rank)) if i.rank == rank]
        if number == 1 or (siblings and siblings[-1].number + 1 == number):
            return True
        return self.last_number.get(rank, 0) + 1 == number

    def _parent_for(self, rank: int) -> Item | None:
        parents = [i for i in self.stack if i.rank < rank]
        return parents[-1] if parents else None

    def _children_of(self, parent: Item | None) -> list[Item]:
        return [i for i in self.items if i.parent is parent]

    def add(self, rank: int, marker: str, number: int, text: str) -> Item:
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        path = [*parent.path, parent.marker] if parent else []
        item = Item(path, marker, number, rank, text, len(self.items) + 1, parent=parent)
        if parent:
            parent.children += 1
        self.items.append(item)
        self.stack.append(item)
        self.last_number[rank] = number
        return item

    def add_inline(self, parent_rank: int, parts: list[tuple[str, int, str]]) -> None:
        for marker, number, text in parts:
            self.add(max(parent_rank + 1, P.ENUM_RANK), marker, number, text)
            self.stack.pop()


def parse(text: str) -> list[Item]:
    """Every numbered entry of a notice text, in order."""
    builder = _Builder()
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if P.CLOSING.match(line):
            break
        found = _marker(line)
        if found and builder.accepts(found[0], found[2]):
            rank, marker, number, rest = found
            inline = _inline(rest) if rank < P.ENUM_RANK else []
            head = rest[: rest.find(inline[0][0])] if inline else rest
            builder.add(rank, marker, number, head.strip() if inline else rest)
            builder.add_inline(rank, inline)
            continue
        inline = _inline(line)
        if inline and builder.stack:
            builder.add_inline(builder.stack[-1].rank, inline)
        elif builder.stack:
            builder.stack[-1].text += "\n" + line
    return builder.items
