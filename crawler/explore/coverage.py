"""What a list says it holds, and how many of its items a crawl read: one call per reading
(`record`), counted per list in the crawl's stats (`portal/<id>/coverage/<list>/stated|read`)."""

import re

from .. import stats
from . import replies

_STATED = re.compile(r"共\s*(\d{1,7})\s*(?:条|篇|项|个|则)")
TOTAL_FIELDS = re.compile(
    r"^(total|totalCount|totalRecord|totalRecords|totalElements|recordCount|totalNum|"
    r"totalSize|count)$",
    re.I,
)


def _json_total(data, depth: int = 0) -> int | None:
    if depth > replies.MAX_DEPTH or not isinstance(data, dict):
        return None
    for key, value in data.items():
        if TOTAL_FIELDS.match(key) and isinstance(value, int | str) and str(value).isdigit():
            return int(value)
    for value in data.values():
        found = _json_total(value, depth + 1)
        if found is not None:
            return found
    return None


def stated(text: str) -> int | None:
    """The number of items a list reply says the list holds: a JSON `total` (however
    named), or 共N条 in its text; None when it says nothing."""
    data = replies.parse_json(text)
    if data is not None:
        return _json_total(data)
    match = _STATED.search(re.sub(r"<[^>]+>", "", text or ""))
    return int(match.group(1)) if match else None


def record(out, list_url: str, *, stated: int | None = None, read: int = 0) -> None:
    """Count, in a reading's stats, what a list states (the largest figure seen) and how
    many new items were read from it."""
    if stated is not None:
        key = stats.coverage_key(out.portal, list_url, "stated")
        out.values[key] = max(stated, out.values.get(key, 0))
    if read:
        out.counts[stats.coverage_key(out.portal, list_url, "read")] += read
