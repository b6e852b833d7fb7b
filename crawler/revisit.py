"""Revisit policy: how often a known notice page is fetched again, by its age.

A policy maps a maximum age in days (or "*") to the days between visits; the default revisits
a notice on every run in its first 30 days, weekly until a year, monthly after that.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from .exceptions import CrawlerError

DEFAULT_POLICY = {"30": 0, "365": 7, "*": 30}


class PolicyError(CrawlerError):
    """REVISIT_POLICY is malformed."""


def parse_policy(raw: Mapping) -> list[tuple[float, float]]:
    """(max age, interval) pairs in days, youngest first; "*" is any age."""
    try:
        pairs = [
            (float("inf") if str(age) == "*" else float(age), float(interval))
            for age, interval in raw.items()
        ]
    except (TypeError, ValueError) as exc:
        raise PolicyError(
            f'REVISIT_POLICY must map ages in days (or "*") to days between visits: {exc}'
        ) from exc
    if not pairs or any(interval < 0 for _, interval in pairs):
        raise PolicyError("REVISIT_POLICY needs at least one age and no negative interval")
    pairs.sort()
    if pairs[-1][0] != float("inf"):
        pairs.append((float("inf"), pairs[-1][1]))
    return pairs


def _parse_time(value: str) -> datetime:
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def is_due(
    now: datetime, born: str | None, last_fetched: str | None, policy: list[tuple[float, float]]
) -> bool:
    """True when a page published (or first seen) at `born` should be fetched again now."""
    if not last_fetched:
        return True
    age_days = (now - _parse_time(born)).total_seconds() / 86400 if born else 0.0
    interval = next(interval for max_age, interval in policy if age_days <= max_age)
    return now - _parse_time(last_fetched) >= timedelta(days=interval)
