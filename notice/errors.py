"""The errors notice/ raises on purpose."""


class NoticeError(Exception):
    """Base class of the errors of reading notices."""


class ExtractionError(NoticeError):
    """A page or file could not be parsed at all."""
