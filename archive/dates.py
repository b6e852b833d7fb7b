"""Dates given on the command line or to the library: checked, never silently compared as text.

The archive writes crawl times as ISO 8601 UTC (`2026-11-01T02:15:00Z`) and publication dates as
`YYYY-MM-DD`; a filter compares text, so `yesterday` or `2026/11/01` would match nothing (or
everything) without a word. These functions refuse such values with an error naming them.
"""

import re
from datetime import UTC, date, datetime

from .errors import InvalidDate

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?")

CRAWL_FORMS = "YYYY-MM-DD or an ISO 8601 time such as 2026-11-01T08:00:00Z"
DATE_FORMS = "YYYY-MM-DD"


def crawl_time(value: str, option: str = "since") -> str:
    """A crawl-time bound in the archive's own form (UTC, `Z`); InvalidDate if it is not one.

    A bare date stays a date (it sorts before every time of that day); a time with an offset
    is converted to UTC; a time without one is taken as UTC."""
    text = value.strip()
    if _DATE.fullmatch(text):
        return _date(text, option, CRAWL_FORMS)
    try:
        if not _TIME.fullmatch(text):
            raise ValueError(text)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise InvalidDate(_message(value, option, CRAWL_FORMS)) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def publication_date(value: str, option: str = "published_since") -> str:
    """A publication-date bound (`YYYY-MM-DD`); InvalidDate if it is not one."""
    return _date(value.strip(), option, DATE_FORMS)


def _date(text: str, option: str, forms: str) -> str:
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidDate(_message(text, option, forms)) from None


def _message(value: str, option: str, forms: str) -> str:
    return f"{option}: {value!r} is not a date; use {forms}"
