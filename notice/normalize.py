"""Text normalisation and hashing: what counts as the same clean text."""

import hashlib
import re

# Every kind of space a portal uses: ASCII, full-width (U+3000), no-break, thin, zero-width, BOM.
_SPACE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str | None) -> str | None:
    """Text SQLite and UTF-8 can hold: lone surrogates (from bad entities) become U+FFFD."""
    return None if text is None else _SURROGATE.sub("\ufffd", text)


def clean_lines(text: str) -> str:
    """Collapse spaces inside lines, strip them and drop empty lines: the stored form."""
    lines = (_SPACE.sub(" ", line).strip() for line in storable(text).splitlines())
    return "\n".join(line for line in lines if line)


def content_hash(text: str) -> str:
    """SHA-256 of the text with every space and line break removed.

    Chinese text carries no meaning in spacing, so a re-flowed or re-indented page hashes the
    same, while any changed character (212条 → 215条) changes the hash.
    """
    return hashlib.sha256(_SPACE.sub("", storable(text)).encode("utf-8")).hexdigest()


def normalize_title(title: str | None) -> str:
    """A title with all spaces removed, for comparing titles."""
    return _SPACE.sub("", title or "")
