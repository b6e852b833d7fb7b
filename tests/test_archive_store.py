"""The archive's change rules on a real SQLite file."""

import sqlite3

import pytest

from archive import Archive, PageContent, UnknownPage

URL = "http://portal.example/t20251225_1.htm"
TEXT = (
    "根据省委部署，现将巡视整改进展情况通报如下：\n制定212条整改措施。\n已建立健全123项工作制度。"
)


def content(text: str = TEXT, title: str = "中共某区委关于巡视整改进展情况的通报") -> PageContent:
    return PageContent(
        text=text, title=title, published="2025-12-25", extractor="t", extractor_version="1"
    )


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "a.db") as a:
        yield a


def test_new_then_unchanged(archive):
    assert archive.record_page(URL, content(), b"<p>1</p>").outcome == "new"
    result = archive.record_page(URL, content(), b"<p>1</p>")
    assert (result.outcome, result.version) == ("unchanged", None)
    assert len(archive.versions(URL)) == 1


def test_reflowed_text_is_not_a_change(archive):
    archive.record_page(URL, content(), b"a")
    reflowed = TEXT.replace("，", "，\n").replace("制定", "\u3000\u3000制定 ") + "\n\n"
    assert archive.record_page(URL, content(reflowed), b"b").outcome == "chrome-only"


def test_changed_figure_is_a_new_version(archive):
    archive.record_page(URL, content(), b"a")
    result = archive.record_page(URL, content(TEXT.replace("212条", "215条")), b"b")
    assert (result.outcome, result.version, result.kind) == ("changed", 2, "changed")
    assert "215条" in archive.version(URL)["text"]
    assert "212条" in archive.version(URL, 1)["text"]


def test_title_change_is_a_new_version(archive):
    archive.record_page(URL, content(), b"a")
    assert archive.record_page(URL, content(title="新标题关于巡视整改"), b"a").outcome == "changed"


def test_chrome_only_change(archive):
    archive.record_page(URL, content(), b"<footer>visits 1</footer>")
    result = archive.record_page(URL, content(), b"<footer>visits 2</footer>")
    assert result.outcome == "chrome-only"
    assert [f["outcome"] for f in archive.fetches(URL)] == ["new", "chrome-only"]


def test_revert_is_a_new_version_marked_as_revert(archive):
    archive.record_page(URL, content(), b"a")
    archive.record_page(URL, content(TEXT.replace("212条", "215条")), b"b")
    result = archive.record_page(URL, content(), b"a")
    assert (result.version, result.kind, result.reverts_to) == (3, "revert", 1)
    assert [v["kind"] for v in archive.versions(URL)] == ["new", "changed", "revert"]


def test_gone_and_back(archive):
    archive.record_page(URL, content(), b"a", at="2025-01-01T00:00:00Z")
    archive.record_gone(URL, 404, at="2025-02-01T00:00:00Z")
    page = archive.page(URL)
    assert (page["state"], page["state_since"]) == ("gone", "2025-02-01T00:00:00Z")
    archive.record_gone(URL, 410, at="2025-03-01T00:00:00Z")
    assert archive.page(URL)["state_since"] == "2025-02-01T00:00:00Z"
    result = archive.record_page(
        URL, content(TEXT + "\n补充一段。"), b"c", at="2025-04-01T00:00:00Z"
    )
    assert result.outcome == "changed"
    page = archive.page(URL)
    assert (page["state"], page["state_since"]) == ("live", "2025-04-01T00:00:00Z")
    fetches = archive.fetches(URL)
    assert [f["outcome"] for f in fetches] == ["new", "gone", "gone", "changed"]
    assert fetches[-1]["detail"] == "returned after being gone"


def test_gone_for_unknown_url_records_nothing(archive):
    assert archive.record_gone("http://x/unknown", 404).page_id is None
    assert archive.stats()["fetches"] == 0


def test_redirect_error_and_not_modified(archive):
    archive.record_page(URL, content(), b"a", headers={"ETag": '"abc"', "Last-Modified": "Mon"})
    page = archive.page(URL)
    assert (page["etag"], page["last_modified"]) == ('"abc"', "Mon")
    archive.record_not_modified(URL)
    archive.record_error(URL, "HTTP 503", status=503)
    archive.record_redirect(URL, "http://portal.example/new.htm")
    page = archive.page(URL)
    assert (page["state"], page["redirect_to"]) == ("redirected", "http://portal.example/new.htm")
    outcomes = [f["outcome"] for f in archive.fetches(URL)]
    assert outcomes == ["new", "not-modified", "error", "redirected"]
    assert len(archive.versions(URL)) == 1


def test_blobs_are_stored_once_and_compressed(archive):
    body = ("<html>" + "巡视整改" * 2000 + "</html>").encode()
    archive.record_page(URL, content(), body)
    archive.record_page(URL.replace("1.htm", "2.htm"), content(), body)
    row = archive.db.execute("SELECT count(*), sum(size), sum(stored_size) FROM blobs").fetchone()
    assert row[0] == 1 and row[2] < row[1] / 10
    assert archive.raw_html(URL) == body


def test_versions_are_append_only(archive):
    archive.record_page(URL, content(), b"a")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        archive.db.execute("UPDATE versions SET text = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        archive.db.execute("DELETE FROM versions")


def test_failed_fetch_transaction_leaves_nothing(archive, monkeypatch):
    archive.record_page(URL, content(), b"a")

    def boom(*args, **kwargs):
        raise RuntimeError("crash in the middle of a fetch")

    monkeypatch.setattr(archive, "_insert_fetch", boom)
    with pytest.raises(RuntimeError):
        archive.record_page(URL, content(TEXT + "\n新段落"), b"b")
    assert len(archive.versions(URL)) == 1
    assert archive.page(URL)["current_version"] == 1


def test_reextract_adds_version_only_when_text_differs(archive):
    archive.record_page(URL, content(), b"a")
    assert archive.add_reextracted(URL, content()) is None
    assert archive.add_reextracted(URL, content(TEXT + "\n漏掉的段落")) == 2
    assert archive.version(URL)["kind"] == "reextract"
    with pytest.raises(UnknownPage):
        archive.add_reextracted("http://x/none", content())


def test_runs_count_outcomes(archive):
    run = archive.begin_run(["p1"])
    archive.record_page(URL, content(), b"a", run_id=run)
    archive.record_page(URL, content(), b"a", run_id=run)
    archive.finish_run(run, "finished", {"elapsed_time_seconds": 1.5})
    row = archive.db.execute("SELECT status, counts, finished_at FROM runs").fetchone()
    assert row[0] == "finished" and '"new": 1' in row[1] and '"unchanged": 1' in row[1]
    assert archive.stats()["last_run"]["status"] == "finished"


def test_not_modified_brings_a_gone_page_back(archive):
    archive.record_page(URL, content(), b"a")
    archive.record_gone(URL, 404)
    archive.record_not_modified(URL)
    page = archive.page(URL)
    assert page["state"] == "live"
    assert archive.fetches(URL)[-1]["detail"] == "returned after being gone"


def test_bodies_of_a_portal_share_a_dictionary_and_read_back_exactly(tmp_path):
    import zlib

    chrome = "".join(f'<li><a href="/col/{i}/">栏目{i}</a></li>' for i in range(300))
    bodies = [f"<html><ul>{chrome}</ul><p>通报正文第{n}号</p></html>".encode() for n in range(3)]
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_portals([{"id": "x", "name": "X"}])
        for n, body in enumerate(bodies):
            archive.record_page(
                f"https://x.gov.cn/{n}.html",
                PageContent(f"正文{n}", "关于巡视整改情况的通报"),
                body,
                portal_id="x",
            )
        rows = archive.db.execute("SELECT codec, stored_size FROM blobs ORDER BY rowid").fetchall()
        assert rows[0][0] == "zstd" and all(c.startswith("zstd+dict:") for c, _ in rows[1:])
        assert rows[1][1] < len(zlib.compress(bodies[1], 9)) / 3  # the chrome costs nearly nothing
        for n, body in enumerate(bodies):
            assert archive.raw_html(f"https://x.gov.cn/{n}.html") == body
