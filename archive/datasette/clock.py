"""Times on the web pages: China Standard Time for the reader, UTC (the archive's) on hover.

The archive writes crawl times in UTC (`2026-11-01T02:15:00Z`). Its readers live in China, so
pages show Asia/Shanghai time, which has been UTC+8 all year since 1991: a fixed offset, needing
no time-zone database. A date typed into a page's filter is a day in China time.
"""

import re
from datetime import UTC, date, datetime, timedelta, timezone

from markupsafe import Markup, escape

from .. import dates

CHINA = timezone(timedelta(hours=8), "CST")
ZONE = "China time (UTC+8)"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _moment(at: str) -> datetime | None:
    """A crawl time as an aware datetime; None for a bare date or anything else."""
    if not at or _DAY.fullmatch(at):
        return None
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(at: str | None, seconds: bool = False) -> str:
    """`2026-12-01 18:08` (China time) for `2026-12-01T10:08:16Z`; other values as they are."""
    moment = _moment(at or "")
    if moment is None:
        return at or ""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def utc(at: str | None) -> str:
    moment = _moment(at or "")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else (at or "")


def time_tag(at: str | None) -> Markup:
    """A <time> element: China time shown, UTC on hover and in its datetime attribute."""
    if not at:
        return Markup("")
    return Markup(
        f'<time datetime="{escape(at)}" title="{escape(utc(at))}">{escape(local(at))}</time>'
    )


def local_day(at: str) -> str:
    """The China-time day of a crawl time (a bare date stays itself)."""
    moment = _moment(at)
    return moment.astimezone(CHINA).date().isoformat() if moment else at[:10]


def bound(value: str, option: str, *, end: bool = False) -> str:
    """A filter's time bound in the archive's form (UTC): a day is a China-time day, its start
    (or, with `end`, the start of the next day: the bound is exclusive); an ISO time is taken
    as dates.crawl_time takes it. InvalidDate if it is neither."""
    text = value.strip()
    if not _DAY.fullmatch(text):
        return dates.crawl_time(text, option)
    day = date.fromisoformat(dates.crawl_time(text, option))
    start = datetime.combine(day + timedelta(days=1 if end else 0), datetime.min.time(), CHINA)
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def days_ago(days: int, now: datetime | None = None) -> str:
    """The China-time day `days` days before today."""
    return ((now or datetime.now(UTC)).astimezone(CHINA) - timedelta(days=days)).date().isoformat()
