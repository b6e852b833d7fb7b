"""Full-text search over current versions, for Chinese of any length."""

import pytest

from archive import Archive, PageContent
from archive.search import search


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "a.db") as a:
        a.record_page(
            "http://x/1",
            PageContent(
                text="制定212条整改措施。\n建章立制123项。",
                title="思明区委关于巡视整改进展情况的通报",
            ),
            b"1",
        )
        a.record_page(
            "http://x/2",
            PageContent(
                text="区委第三巡察组反馈意见整改落实。", title="嘉莲街道关于巡察整改情况的通报"
            ),
            b"2",
        )
        a.record_page("http://x/3", PageContent(text="经济运行分析会。", title="经济运行"), b"3")
        yield a


def urls(rows):
    return sorted(row["url"] for row in rows)


def test_three_or_more_characters_use_fts(archive):
    assert urls(search(archive.db, "整改措施")) == ["http://x/1"]
    assert urls(search(archive.db, "情况的通报")) == ["http://x/1", "http://x/2"]
    assert urls(search(archive.db, "整改情况")) == ["http://x/2"]
    rows = search(archive.db, "建章立制")
    assert "[建章立制]" in rows[0]["snippet"]


def test_two_character_query_falls_back_to_substring(archive):
    assert urls(search(archive.db, "巡察")) == ["http://x/2"]
    assert urls(search(archive.db, "巡视")) == ["http://x/1"]
    assert urls(search(archive.db, "整改")) == ["http://x/1", "http://x/2"]


def test_one_character_and_mixed_terms(archive):
    assert urls(search(archive.db, "项")) == ["http://x/1"]
    assert urls(search(archive.db, "巡察 反馈意见")) == ["http://x/2"]
    assert urls(search(archive.db, "整改措施 建章立制")) == ["http://x/1"]


def test_only_current_versions_are_searched(archive):
    archive.record_page(
        "http://x/1",
        PageContent(text="制定215条整改举措。", title="思明区委关于巡视整改进展情况的通报"),
        b"1b",
    )
    assert search(archive.db, "整改措施") == []
    assert urls(search(archive.db, "整改举措")) == ["http://x/1"]


def test_fts_syntax_in_query_is_literal(archive):
    assert search(archive.db, '"整改 OR *') == []
    assert search(archive.db, "NEAR(整改措施)") == []
