"""Plain data passed into and out of the archive."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from notice.derive import Derived, derive

OUTCOMES = (
    "new",
    "changed",
    "unchanged",
    "chrome-only",
    "reextracted",
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
    # What is derived from the text (fields and items, copy bands, search tokens), computed
    # beside the extraction in the crawl's workers by notice.derive, the one function that
    # derives them; None: derived by that function when a version is written
    derived: Derived | None = None

    def derivation(self) -> Derived:
        """The derived data as given, else derived now (by notice.derive)."""
        if self.derived is not None:
            return self.derived
        return derive(self.title, self.text, self.published)


@dataclass(frozen=True)
class PagePart:
    """A further page of an article split over several pages (page 2, 3 … of one notice):
    fetched with its first page and versioned with it as one notice."""

    url: str
    body: bytes = field(repr=False)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class FetchResult:
    """What the archive decided for one fetch."""

    outcome: str
    page_id: int | None
    version: int | None = None
    kind: str | None = None
    reverts_to: int | None = None
