"""Plain data passed into and out of the archive."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

OUTCOMES = (
    "new",
    "changed",
    "unchanged",
    "chrome-only",
    "not-modified",
    "gone",
    "redirected",
    "blocked",
    "error",
)


def utcnow() -> str:
    """The current time as the archive writes it: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class PageContent:
    """What an extractor made of one response: the candidate for a new version."""

    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    metadata: dict = field(default_factory=dict)
    extractor: str = "unknown"
    extractor_version: str = "0"
    # Computed beside the extraction (in the crawl's workers): the text's LSH band keys
    # (archive.copies.bands), what it states (archive.structure.parse_extracted)
    copy_bands: list[str] | None = None
    parsed: object | None = None
    # and what the search index holds for it (archive.search.index_extracted)
    search_tokens: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """What the archive decided for one fetch."""

    outcome: str
    page_id: int | None
    version: int | None = None
    kind: str | None = None
    reverts_to: int | None = None
