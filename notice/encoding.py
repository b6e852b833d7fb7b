"""Decoding Chinese pages correctly, whatever their headers claim.

Rules: a BOM wins; bytes that are valid UTF-8 are UTF-8 (GBK text is almost never valid UTF-8);
otherwise the declared charsets are tried strictly, header first, then the page's meta tag; the
GB family is always decoded as GB18030 (a superset of GB2312 and GBK) and never as 'gbk'.
"""

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

GB_FAMILY = {
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gbk",
    "x-gbk",
    "cp936",
    "gb18030",
    "euc-cn",
    "csgb2312",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None  # what the HTTP header said, normalised
    header_wrong: bool  # the header named a charset the bytes are not in
    replacements: int  # U+FFFD characters in the result (undecodable bytes)


def normalize_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset; GB family → gb18030; unknown → None."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    """The charset named in a Content-Type header, normalised."""
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            match = _HEADER_CHARSET.search(value)
            return normalize_charset(match.group(1)) if match else None
    return None


def meta_charset(body: bytes) -> str | None:
    """The charset named by the page's own meta tag, normalised."""
    match = _META_CHARSET.search(body[:4096])
    return normalize_charset(match.group(1).decode("ascii", "ignore")) if match else None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """Decode a page's bytes to text, detecting a header that names the wrong charset."""
    declared = header_charset(headers)
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            text = body.decode(encoding, "replace")
            return Decoded(
                text, encoding, declared, declared not in (None, "utf-8"), text.count("\ufffd")
            )
    candidates = ["utf-8", declared, meta_charset(body), "gb18030"]
    for encoding in dict.fromkeys(c for c in candidates if c):
        text = _strict(body, encoding)
        if text is not None:
            wrong = declared is not None and declared != encoding and not body.isascii()
            return Decoded(text, encoding, declared, wrong, 0)
    fallback = declared or meta_charset(body) or "gb18030"
    text = body.decode(fallback, "replace")
    return Decoded(text, fallback, declared, False, text.count("\ufffd"))
