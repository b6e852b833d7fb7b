"""The versioned SQLite archive of rectification notice pages."""

from .errors import (
    ArchiveError,
    ArchiveLocked,
    ArchiveWriteError,
    NoArchive,
    NotAnArchive,
    SchemaTooNew,
    UnknownPage,
    UnknownPortal,
    UnknownRun,
    UnknownVersion,
    UnreadableBlob,
)
from .lock import CrawlLock
from .models import OUTCOMES, FetchResult, PageContent, PagePart
from .store import Archive

__all__ = [
    "OUTCOMES",
    "Archive",
    "ArchiveError",
    "ArchiveLocked",
    "ArchiveWriteError",
    "CrawlLock",
    "FetchResult",
    "NoArchive",
    "NotAnArchive",
    "PageContent",
    "PagePart",
    "SchemaTooNew",
    "UnknownPage",
    "UnknownPortal",
    "UnknownRun",
    "UnknownVersion",
    "UnreadableBlob",
]
