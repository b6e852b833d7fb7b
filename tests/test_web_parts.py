"""The web view's parts, in-process: the compact diff, the short-search rewrite, inputs."""

import pytest
from web_client import WebClient

from archive.datasette import column_order
from archive.datasette.compact import compact_texts, preview
from archive.datasette.listing import since_date
from archive.datasette.pages import BadInput
from archive.datasette.short_search import PARAM, is_short, rewrite

OLD = "\n".join(f"第{i}段，整改措施{i}条。" for i in range(1, 31))
NEW = OLD.replace("整改措施7条", "整改措施8条").replace("第20段，整改措施20条。", "第20段。")


def test_compact_diff_folds_unchanged_runs_and_anchors_each_change():
    diff = compact_texts(OLD, NEW + "\n新增一段。", "v2")
    kinds = [(part.kind, part.paragraph) for part in diff.parts]
    assert kinds == [
        ("same", 1),
        ("change", 7),
        ("same", 8),
        ("change", 20),
        ("same", 21),
        ("insert", 31),
    ]
    assert [len(part.paragraphs) for part in diff.parts if part.kind == "same"] == [6, 12, 10]
    assert [part.anchor for part in diff.jumps] == ["v2-1", "v2-2", "v2-3"]
    change = diff.parts[1]
    assert change.old == [(False, "第7段，整改措施"), (True, "7"), (False, "条。")]
    assert change.new == [(False, "第7段，整改措施"), (True, "8"), (False, "条。")]
    assert change.figures == "7条 → 8条"
    assert diff.figures.startswith("7条 → 8条; − 20条")
    assert preview(change) == "第7段，整改措施8条。"


def test_identical_texts_have_nothing_to_jump_to():
    diff = compact_texts(OLD, OLD, "c1")
    assert not diff.changed and diff.jumps == [] and len(diff.parts) == 1


def test_preview_cuts_around_the_first_change():
    long = "甲" * 50 + "乙" + "丙" * 50
    part = compact_texts(long.replace("乙", "丁"), long, "v").parts[0]
    assert part.kind == "change"
    text = preview(part)
    assert text.startswith("…") and text.endswith("…") and "乙" in text


def test_only_short_searches_are_rewritten():
    assert is_short("巡视") and is_short("巡视 整改措施") and is_short("巡")
    assert not is_short("整改措施") and not is_short("  ")
    query = b"_search=%E5%B7%A1%E8%A7%86&_sort=title"
    assert rewrite(query) == f"{PARAM}=%E5%B7%A1%E8%A7%86&_sort=title".encode()
    trigram = b"_search=%E6%95%B4%E6%94%B9%E6%8E%AA"
    assert rewrite(trigram) == trigram


def test_since_is_a_china_day_or_a_time_or_a_week_ago():
    assert since_date("2025-01-31") == "2025-01-30T16:00:00Z"  # 00:00 in China
    assert since_date("2025-01-31T10:00:00Z") == "2025-01-31T10:00:00Z"
    assert since_date("2025-01-31T10:00:00+08:00") == "2025-01-31T02:00:00Z"
    assert since_date(None).endswith("T16:00:00Z")  # a week ago, at midnight in China
    with pytest.raises(BadInput, match="since: 'last week' is not a date"):
        since_date("last week")
    with pytest.raises(BadInput, match="2026-13-45"):
        since_date("2026-13-45")  # shaped like a date, but none


def test_notices_table_shows_the_title_first():
    columns = [{"name": n} for n in ("page_id", "url", "portal", "title", "text", "year")]
    assert column_order("notices", columns) == [3, 2, 4, 0, 1, 5]
    assert column_order("pages", columns) == [0, 1, 2, 3, 4, 5]


def test_a_notice_page_compares_any_two_of_its_versions(tmp_path):
    from archive import Archive, PageContent
    from archive.datasette.pages import notice

    url = "http://portal.example/t20251225_1.htm"
    with Archive(tmp_path / "a.db") as archive:
        for n in range(1, 14):
            text = (
                f"根据省委部署，现将巡视整改进展情况通报如下：\n制定{200 + n}条整改措施。\n结尾。"
            )
            content = PageContent(
                text=text,
                title="通报",
                published="2025-12-25",
                extractor="t",
                extractor_version="1",
            )
            archive.record_page(url, content, f"<p>{n}</p>".encode())

        def compared(**params) -> tuple[int, int, str]:
            page = notice(archive.db, url, params)["compare"]
            return page["old"]["number"], page["new"]["number"], page["diff"].figures

        assert compared() == (12, 13, "212条 → 213条")  # the last two
        assert compared(**{"from": "2", "to": "11"}) == (2, 11, "202条 → 211条")
        assert compared(upto="3") == (2, 3, "202条 → 203条")  # the older address
        assert compared(v="5") == (5, 13, "205条 → 213条")  # what changed since version 5
        page = notice(archive.db, url, {"v": "5"})
        assert page["shown"]["number"] == 5 and "205条" in page["shown"]["text"]
        assert page["structure"]["version"] == 5
        assert [e["event"] for e in page["timeline"]] == ["new"] + ["changed"] * 12
        assert all(e["stored"] and e["fetch"] for e in page["timeline"])
        assert page["figures"][13] == "212条 → 213条" and 1 not in page["figures"]


def _small_archive(path):
    from archive import Archive, PageContent

    texts = {
        "http://portal.example/a.htm": ("关于巡视整改情况的通报", "制定212条整改措施。"),
        "http://portal.example/b.htm": ("关于巡察整改情况的通报", "建立健全123项工作制度。"),
    }
    with Archive(path) as archive:
        for url, (title, text) in texts.items():
            content = PageContent(
                text=text, title=title, published="2025-12-25", extractor="t", extractor_version="1"
            )
            archive.record_page(url, content, b"<p></p>")


@pytest.mark.parametrize("indexed", [True, False])
def test_table_search_of_any_length_with_or_without_a_full_text_index(tmp_path, indexed):
    from archive import browse

    path = tmp_path / "small.db"
    _small_archive(path)
    metadata = browse.metadata_for(path)
    if not indexed:  # an archive whose search index Datasette cannot query
        for key in ("fts_table", "fts_pk", "searchmode"):
            metadata["databases"]["small"]["tables"]["notices"].pop(key, None)

    with WebClient(path, metadata) as web:

        def urls(term: str) -> list[str]:
            response = web.get(f"/small/notices.json?_shape=array&_search={term}")
            assert response.status_code == 200, response.text
            return sorted(row["url"] for row in response.json())

        short, one, long = urls("巡视"), urls("巡"), urls("整改措施")
        html = web.get("/small/notices").text
    assert short == ["http://portal.example/a.htm"]
    assert one == ["http://portal.example/a.htm", "http://portal.example/b.htm"]
    assert long == ["http://portal.example/a.htm"]
    assert 'name="_search"' in html  # the search box is offered either way
