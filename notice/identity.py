"""What makes two pages one notice: the same issuer and the same inspection round, where the
fields know them, else the same title.

Rectification notices are formulaic: one template, filled in by every unit a round inspected
(林业局, 审计局, 水务局 …), so their texts are alike (Jaccard 0.7 to 0.9 of their shingles). Text
similarity finds the candidates; a copy is also the same notice. A template filled in by
another unit names another issuer, and is never a copy.
"""

import re
from dataclasses import dataclass

from .normalize import normalize_title

# A shorter name that ends a longer one is the same unit (思明区委, 厦门市思明区委) when it
# is at least this long (区委 alone names no unit).
MIN_SUFFIX = 4
_PARTY = re.compile(r"^(?:中国共产党|中共)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Identity:
    """What a page's current version says it is: its issuer and round (None when its fields do
    not say), and its title."""

    issuer: str | None
    round: str | None
    title: str | None


def _unit(issuer: str | None) -> str:
    return _PARTY.sub("", _SPACE.sub("", issuer or ""))


def _agree(a: str, b: str) -> bool:
    """Equal, or the shorter (long enough to name something) ends the longer."""
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= MIN_SUFFIX and long_.endswith(short))


def _rounds_agree(a: str, b: str) -> bool:
    # 十一届省委第六轮 and 省委第六轮 are one round; 省委第五轮 and 省委第六轮 are two
    short, long_ = sorted((a, b), key=len)
    return long_.endswith(short)


def basis(a: Identity, b: Identity) -> str | None:
    """Why two pages are one notice: "issuer and round", "issuer", "title and round" or
    "title"; None when they are not (another issuer or round), or when nothing says so (an
    issuer unknown on either side, and titles that differ)."""
    round_a, round_b = _SPACE.sub("", a.round or ""), _SPACE.sub("", b.round or "")
    both_rounds = bool(round_a and round_b)
    if both_rounds and not _rounds_agree(round_a, round_b):
        return None
    unit_a, unit_b = _unit(a.issuer), _unit(b.issuer)
    if unit_a and unit_b:
        if not _agree(unit_a, unit_b):
            return None
        return "issuer and round" if both_rounds else "issuer"
    title_a = normalize_title(a.title)
    if title_a and title_a == normalize_title(b.title):
        return "title and round" if both_rounds else "title"
    return None
