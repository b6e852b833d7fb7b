"""Full-text search over current versions, for Chinese of any length."""

import json
import random

import pytest

from archive import Archive, PageContent
from archive.search import match_query, search
from notice.tokens import index_extracted, index_text

from conftest import run_cli


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


def test_short_terms_use_the_index_and_are_verified(archive):
    assert match_query(["巡视"]) == '"巡视"'
    assert match_query(["项"]) == '"项" *'
    assert match_query(["项。"]) == '"项"'  # a character before punctuation ends a run
    assert match_query(["，"]) is None  # no letter or digit: the texts are read
    assert urls(search(archive.db, "，")) == []
    assert urls(search(archive.db, "。")) == ["http://x/1", "http://x/2", "http://x/3"]
    assert urls(search(archive.db, "项。")) == ["http://x/1"]
    assert urls(search(archive.db, "改措")) == ["http://x/1"]
    assert search(archive.db, "措整") == []  # both characters occur, never together
    assert urls(search(archive.db, "212")) == ["http://x/1"]


def test_index_follows_new_versions_and_reverts(archive):
    text = "制定212条整改措施。\n建章立制123项。"
    title = "思明区委关于巡视整改进展情况的通报"
    archive.record_page("http://x/1", PageContent(text="鼓浪屿整治。", title=title), b"b")
    assert urls(search(archive.db, "鼓浪")) == ["http://x/1"]
    assert search(archive.db, "建章") == []
    archive.record_page("http://x/1", PageContent(text=text, title=title), b"c")  # a revert
    assert search(archive.db, "鼓浪") == []
    assert urls(search(archive.db, "建章")) == ["http://x/1"]
    rows = archive.db.execute("SELECT rowid FROM search_terms WHERE search_terms MATCH '通*'")
    assert sorted(r[0] for r in rows) == [2, 5]  # the current versions of pages 1 and 2


def test_any_term_is_found_exactly_where_the_text_holds_it(tmp_path):
    rng = random.Random(17)
    alphabet = "巡视察整改项a1B，。 \n"
    with Archive(tmp_path / "r.db") as archive:
        texts = {}
        for n in range(40):
            url = f"http://r/{n}"
            for _ in range(rng.randint(1, 2)):  # some pages get a second version
                texts[url] = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
                archive.record_page(url, PageContent(text=texts[url], title="t"), url.encode())
            texts[url] = archive.version(url)["text"]
        for _ in range(300):
            term = "".join(rng.choice(alphabet.strip()) for _ in range(rng.randint(1, 4)))
            term = term.replace(" ", "")
            if not term:
                continue
            expected = sorted(u for u, t in texts.items() if term in t or term in "t")
            assert urls(search(archive.db, term, limit=100)) == expected, term


def test_tokens_made_in_a_worker_are_the_archive_s(tmp_path):
    title, text = "巡视\ud800整改 通报", "  一、制定 212条\u3000措施。\n\n\t二、\udfff整改\r\n"
    with Archive(tmp_path / "t.db") as archive:
        archive.record_page("http://t/1", PageContent(text, title), b"t")
        stored = archive.version("http://t/1")
    assert index_extracted(title, text) == index_text(stored["title"], stored["text"])


def test_the_cli_says_how_many_more_results_match(archive):
    db = ("--db", str(archive.path))
    archive.close()
    cut = run_cli(*db, "search", "整改", "--limit", "1")
    assert cut.returncode == 0, cut.stderr
    assert cut.stdout.count("http://x/") == 1
    assert cut.stdout.endswith("… and 1 more result(s): --limit 2 shows all\n")
    whole = run_cli(*db, "search", "整改", "--limit", "2")
    assert whole.stdout.count("http://x/") == 2 and "more result" not in whole.stdout
    as_json = run_cli(*db, "search", "通报", "--limit", "1", "--json")
    assert len(json.loads(as_json.stdout)) == 1  # JSON stays a list of records
    assert as_json.stderr == "… and 1 more result(s): --limit 2 shows all\n"
    helped = " ".join(run_cli("search", "--help").stdout.split())
    assert "--limit INTEGER RANGE Show at most this many results" in helped
    assert "when more match, the output says how many more" in helped
