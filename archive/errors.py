"""Every error the archive raises on purpose; the CLI turns these into one-line messages."""


class ArchiveError(Exception):
    """Base class of the archive's own errors."""


class NotAnArchive(ArchiveError):
    """The file exists but is not an archive of this tool (it is left untouched)."""


class SchemaTooNew(ArchiveError):
    """The file was written by a newer schema than this code knows (it is left untouched)."""


class NoArchive(ArchiveError):
    """No archive file exists at the given path."""


class UnknownPage(ArchiveError):
    """No page with that URL is in the archive."""


class UnreadableBlob(ArchiveError):
    """A stored body is missing or cannot be decompressed."""


class UnknownVersion(ArchiveError):
    """The page has no version with that number."""


class ArchiveWriteError(ArchiveError):
    """The archive could not be written (read-only file, full disk, locked database)."""


class ArchiveLocked(ArchiveError):
    """Another crawl is writing this archive."""


class UnknownRun(ArchiveError):
    """No crawl run with that id."""


class InvalidDate(ArchiveError):
    """A date or time filter that is not in an accepted form (it would match nothing)."""


class UnknownPortal(ArchiveError):
    """The archive knows no portal with that id."""
