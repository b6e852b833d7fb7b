"""Paragraph diff of Chinese texts, with the changed characters marked inside paragraphs.

Chinese has no spaces between words, so a word diff is useless: paragraphs are aligned first,
then each changed paragraph is compared character by character.
"""

import html
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from notice import figures


@dataclass
class Segment:
    """A run of characters inside a changed paragraph: equal, delete, insert or replace."""

    op: str
    old: str
    new: str


@dataclass
class Block:
    """One aligned unit: paragraphs that are equal, inserted, deleted or changed."""

    op: str  # equal | insert | delete | change
    old: str | None
    new: str | None
    old_index: int | None
    new_index: int | None
    segments: list[Segment] = field(default_factory=list)


def _char_segments(old: str, new: str) -> list[Segment]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [Segment(tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def diff_texts(old: str, new: str) -> list[Block]:
    """Align two texts by paragraph (one per line) and mark changed characters."""
    a = [p for p in old.splitlines() if p.strip()]
    b = [p for p in new.splitlines() if p.strip()]
    blocks: list[Block] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks += [
                Block("equal", a[i], b[j], i, j)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            i, j = i1 + k, j1 + k
            blocks.append(Block("change", a[i], b[j], i, j, _char_segments(a[i], b[j])))
        blocks += [Block("delete", a[i], None, i, None) for i in range(i1 + pairs, i2)]
        blocks += [Block("insert", None, b[j], None, j) for j in range(j1 + pairs, j2)]
    return blocks


def has_changes(blocks: list[Block]) -> bool:
    """True when any block is not equal."""
    return any(block.op != "equal" for block in blocks)


def to_json(blocks: list[Block], old_label: str, new_label: str) -> dict:
    """A JSON-ready description of the diff, for tools, with the changed figures first."""
    return {
        "old": old_label,
        "new": new_label,
        "changed": has_changes(blocks),
        "figures": figures.as_dicts(figures.figure_changes(blocks)),
        "blocks": [asdict(b) for b in blocks if b.op != "equal"],
    }


_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


def _mark(segments: list[Segment], side: str, color: bool) -> str:
    out = []
    for seg in segments:
        text = seg.old if side == "old" else seg.new
        if seg.op == "equal" or not text:
            out.append(text)
        elif color:
            out.append(f"{_RED if side == 'old' else _GREEN}{text}{_RESET}")
        else:
            out.append(f"[-{text}-]" if side == "old" else f"{{+{text}+}}")
    return "".join(out)


def to_text(blocks: list[Block], old_label: str, new_label: str, *, color: bool = False) -> str:
    """A unified, paragraph-level diff; changed characters as [-old-]{+new+} or in colour."""
    lines = [f"--- {old_label}", f"+++ {new_label}"]
    changed = figures.figure_changes(blocks)
    if changed:
        lines.append(f"figures: {figures.summary(changed)}")
    for block in blocks:
        if block.op == "equal":
            continue
        where = block.new_index if block.new_index is not None else block.old_index
        lines.append(f"@@ paragraph {where + 1} @@")
        if block.op == "change":
            lines.append("- " + _mark(block.segments, "old", color))
            lines.append("+ " + _mark(block.segments, "new", color))
        elif block.op == "delete":
            lines.append(f"- {_RED}{block.old}{_RESET}" if color else f"- {block.old}")
        else:
            lines.append(f"+ {_GREEN}{block.new}{_RESET}" if color else f"+ {block.new}")
    if not has_changes(blocks):
        lines.append("(no differences in the clean text)")
    return "\n".join(lines) + "\n"


def _html_side(block: Block, side: str) -> str:
    if block.op == "change":
        parts = []
        for seg in block.segments:
            text = html.escape(seg.old if side == "old" else seg.new)
            if seg.op == "equal" or not text:
                parts.append(text)
            else:
                tag = "del" if side == "old" else "ins"
                parts.append(f"<{tag}>{text}</{tag}>")
        return "".join(parts)
    text = block.old if side == "old" else block.new
    return html.escape(text) if text is not None else ""


_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;line-height:1.6}
tr.equal td{color:#666}
del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:none}
tr.delete td.old{background:#fee}tr.insert td.new{background:#efe}
p.figures{background:#ffd;padding:.4em;border:1px solid #cc9}
"""


def _table(blocks: list[Block], old_label: str, new_label: str) -> str:
    esc = html.escape
    rows = "".join(
        f'<tr class="{block.op}"><td class="old">{_html_side(block, "old")}</td>'
        f'<td class="new">{_html_side(block, "new")}</td></tr>'
        for block in blocks
    )
    changed = figures.figure_changes(blocks)
    note = f'<p class="figures">figures: {esc(figures.summary(changed))}</p>' if changed else ""
    return (
        f"{note}<table><thead><tr><th>{esc(old_label)}</th><th>{esc(new_label)}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def to_html_many(sections: list[tuple[str, list[Block], str, str]], *, title: str) -> str:
    """A self-contained page of several side-by-side diffs (heading, blocks, labels each);
    every piece of page text is escaped."""
    esc = html.escape
    body = "".join(
        f"<h2>{esc(heading)}</h2>{_table(blocks, old, new)}"
        for heading, blocks, old, new in sections
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>{body}</body></html>\n"
    )


def to_html(blocks: list[Block], old_label: str, new_label: str, *, title: str = "diff") -> str:
    """A self-contained side-by-side HTML page; every piece of page text is escaped."""
    return to_html_many([("", blocks, old_label, new_label)], title=title).replace("<h2></h2>", "")
