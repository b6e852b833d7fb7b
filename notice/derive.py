"""What the archive derives from a notice's text, computed in one place: what it states
(fields and numbered items), its copy signature's bands and its search tokens. The crawl's
workers derive them beside extraction; the archive stores what it is given and derives again
only when it re-extracts or re-parses."""

from dataclasses import dataclass

from . import fields, outline, signature, tokens
from .normalize import clean_lines, storable


@dataclass
class Parsed:
    """What a version's text states: its fields and its numbered items."""

    fields: fields.NoticeFields
    items: list[outline.Item]


def parse(title: str | None, text: str, published: str | None) -> Parsed:
    """Parse a version's stored text (clean_lines of the extracted text)."""
    return Parsed(fields.parse(title, text, published), outline.parse(text))


def parse_extracted(title: str | None, text: str, published: str | None) -> Parsed:
    """Parse an extractor's output as the archive will store it (for parsing elsewhere, such as
    in the crawl's workers, with the same result)."""
    return parse(storable(title), clean_lines(text), storable(published))


@dataclass
class Derived:
    """A notice version's derived data, computed from its text as the archive stores it."""

    parsed: Parsed
    copy_bands: list[str]
    search_tokens: str


def derive(title: str | None, text: str, published: str | None) -> Derived:
    """The derived data of an extractor's output (title, text and date as extracted)."""
    return Derived(
        parsed=parse_extracted(title, text, published),
        copy_bands=signature.bands(text),
        search_tokens=tokens.index_extracted(title, text),
    )
