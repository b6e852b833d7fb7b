"""Every error the archive raises on purpose; the CLI turns these into one-line messages."""


class ArchiveError(Exception):
    """Base class of the archive's own errors."""


class NotAnArchive(ArchiveError):
    """The file exists but is not an archive of this tool (it is left untouched)."""


class SchemaTooNew(ArchiveError):
    """The file was written by a newer schema than this code knows (it is left untouched)."""


class SchemaTooOld(ArchiveError):
    """A file to be read only has an older schema: reading never migrates (it is left
    untouched; `python -m archive migrate` upgrades it)."""


class DamagedArchive(ArchiveError):
    """The archive file is damaged (SQLite reports a malformed database, or a stored body does
    not match its hash)."""


def sqlite_failure(path: object, error: Exception) -> str:
    """The one line for an error SQLite raised about an archive file: it cannot be used now
    (locked, unreadable, a full disk), or it is damaged."""
    if is_damage(error):
        return damaged(path, error)
    return f"cannot use archive {path}: {error}"


def is_damage(error: Exception) -> bool:
    """True when SQLite says the file is damaged (malformed, or not a database any more)."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def damaged(path: object, error: Exception) -> str:
    """The one line that says an archive file is damaged, and what tells more."""
    return (
        f"{path} is damaged ({error}); `python -m archive --db {path} check` names what is damaged"
    )


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
