"""A compact diff for reading in a browser: changed paragraphs only, unchanged runs folded.

Built on archive.diff's paragraph alignment and character marks; templates render the parts
(every piece of text is escaped by the template engine, none is pre-rendered HTML here).
"""

from dataclasses import dataclass, field

from notice import figures

from ..diff import Block, diff_texts

PREVIEW_CHARS = 36


@dataclass
class Part:
    """A folded run of unchanged paragraphs (`same`) or one changed paragraph."""

    kind: str  # same | change | insert | delete
    paragraph: int  # 1-based, in the new text (the old one for a deleted paragraph)
    anchor: str = ""
    paragraphs: list[str] = field(default_factory=list)  # a run's unchanged paragraphs
    old: list[tuple[bool, str]] = field(default_factory=list)  # (changed?, text) pieces
    new: list[tuple[bool, str]] = field(default_factory=list)
    figures: str = ""


@dataclass
class Compact:
    parts: list[Part]
    figures: str  # the figures summary of the whole diff
    changed: bool

    @property
    def jumps(self) -> list[Part]:
        """The changed paragraphs, for the jump list at the top."""
        return [part for part in self.parts if part.kind != "same"]


def _pieces(block: Block, side: str) -> list[tuple[bool, str]]:
    if block.op == "change":
        pieces = []
        for seg in block.segments:
            text = seg.old if side == "old" else seg.new
            if text:
                pieces.append((seg.op != "equal", text))
        return pieces
    text = block.old if side == "old" else block.new
    return [(True, text)] if text is not None else []


def _where(block: Block) -> int:
    return (block.new_index if block.new_index is not None else block.old_index) + 1


def compact(blocks: list[Block], prefix: str) -> Compact:
    """Fold a paragraph diff: anchors are `{prefix}-{n}` for the n-th changed paragraph."""
    parts: list[Part] = []
    changes = 0
    for block in blocks:
        if block.op == "equal":
            if parts and parts[-1].kind == "same":
                parts[-1].paragraphs.append(block.new)
            else:
                parts.append(Part("same", _where(block), paragraphs=[block.new]))
            continue
        changes += 1
        figure_line = figures.summary(figures.figure_changes([block]))
        parts.append(
            Part(
                block.op,
                _where(block),
                anchor=f"{prefix}-{changes}",
                old=_pieces(block, "old"),
                new=_pieces(block, "new"),
                figures=figure_line,
            )
        )
    summary = figures.summary(figures.figure_changes(blocks))
    return Compact(parts, summary, changes > 0)


def compact_texts(old: str, new: str, prefix: str) -> Compact:
    """Diff two texts and fold the result."""
    return compact(diff_texts(old, new), prefix)


def preview(part: Part) -> str:
    """A short excerpt of a changed paragraph for the jump list: its first change, with a
    few characters either side."""
    side = part.new or part.old
    text = "".join(piece for _, piece in side)
    start = next((len("".join(t for _, t in side[:i])) for i, (m, _) in enumerate(side) if m), 0)
    begin = max(0, start - PREVIEW_CHARS // 3)
    end = begin + PREVIEW_CHARS
    return ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
