"""Numbers as notices write them: 十二, 二十三, 一百零五, 二〇二五 (a year, digit by digit), ③, 12.
The one numeral parser of the project."""

from .patterns import CIRCLED

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105, 一千二百 → 1200, ③ → 3, 12 → 12;
    None if the text is not a numeral (or names zero)."""
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) == 1 and text in CIRCLED:
        return CIRCLED.index(text) + 1
    total, current = 0, 0
    for char in text:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            return None
    return total + current or None


def cn_digits(text: str) -> str | None:
    """A number written digit by digit (二〇二五 → "2025"); None if a character is no digit."""
    if not text or any(char not in CN_DIGITS for char in text):
        return None
    return "".join(str(CN_DIGITS[char]) for char in text)
