"""Revisit policy and the crawl lock, as units."""

from datetime import UTC, datetime

import pytest

from archive import ArchiveLocked, CrawlLock
from crawler.revisit import DEFAULT_POLICY, PolicyError, is_due, parse_policy

NOW = datetime(2026, 6, 1, tzinfo=UTC)
POLICY = parse_policy(DEFAULT_POLICY)


@pytest.mark.parametrize(
    ("born", "last_fetched", "due"),
    [
        ("2026-05-20", "2026-06-01T00:00:00Z", True),  # 12 days old: every run
        ("2026-03-01", "2026-05-30T00:00:00Z", False),  # 3 months old: weekly, fetched 2 days ago
        ("2026-03-01", "2026-05-20T00:00:00Z", True),  # … fetched 12 days ago
        ("2024-01-01", "2026-05-10T00:00:00Z", False),  # 2 years old: monthly
        ("2024-01-01", "2026-04-20T00:00:00Z", True),
        ("2024-01-01", None, True),  # never fetched
        (None, "2026-06-01T00:00:00Z", True),  # age unknown: treated as new
    ],
)
def test_default_policy(born, last_fetched, due):
    assert is_due(NOW, born, last_fetched, POLICY) is due


def test_policy_parsing():
    assert parse_policy({"*": 0}) == [(float("inf"), 0.0)]
    assert parse_policy({"10": 1})[-1] == (float("inf"), 1.0)
    with pytest.raises(PolicyError):
        parse_policy({"young": 1})
    with pytest.raises(PolicyError):
        parse_policy({"*": -1})


def test_crawl_lock_refuses_a_second_holder(tmp_path):
    first, second = CrawlLock(tmp_path / "a.db"), CrawlLock(tmp_path / "a.db")
    first.acquire()
    with pytest.raises(ArchiveLocked, match=r"another crawl is writing .*a\.db \(pid \d+"):
        second.acquire()
    with pytest.raises(ArchiveLocked):
        second.acquire(wait=True, timeout=0.6)
    first.release()
    second.acquire()
    second.release()
