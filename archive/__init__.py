"""The versioned SQLite archive of rectification notice pages."""

from .errors import (
    ArchiveError,
    ArchiveWriteError,
    NoArchive,
    NotAnArchive,
    SchemaTooNew,
    UnknownPage,
    UnknownVersion,
)
from .models import OUTCOMES, FetchResult, PageContent
from .store import Archive

__all__ = [
    "OUTCOMES",
    "Archive",
    "ArchiveError",
    "ArchiveWriteError",
    "FetchResult",
    "NoArchive",
    "NotAnArchive",
    "PageContent",
    "SchemaTooNew",
    "UnknownPage",
    "UnknownVersion",
]
