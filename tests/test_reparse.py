"""Fields and items are stored with each new version, and rebuilt by `reparse`."""

from archive import Archive, PageContent

from accuracy import read_notice
from conftest import run_cli

URL = "https://www.example.gov.cn/art/2024/8/16/art_1_1.html"


def _record(path) -> None:
    meta, text = read_notice("jialian-notice.txt")
    with Archive(path) as archive:
        archive.record_page(URL, PageContent(text, meta["title"], meta["date"][:10]), text.encode())


def test_new_versions_are_parsed_as_they_are_written(tmp_path):
    path = tmp_path / "archive.db"
    _record(path)
    with Archive(path) as archive:
        found = archive.structure(URL)
    assert found["fields"]["issuer"] == "中共厦门市思明区嘉莲街道工作委员会"
    assert found["fields"]["item_count"] == len(found["items"]) == 12
    assert found["items"][3] | {"text": ""} == {
        "position": 4,
        "section_path": "二、/（一）",
        "marker": "一是",
        "number": 1,
        "depth": 3,
        "leaf": 1,
        "text": "",
    }


def test_reparse_fills_versions_archived_before_and_redoes_all_on_request(tmp_path):
    path = tmp_path / "archive.db"
    _record(path)
    with Archive(path) as archive:
        with archive.db.atomic():  # as an archive made before fields existed
            for table in ("notice_fields", "notice_counts", "notice_items"):
                archive.db.execute(f"DELETE FROM {table}")
        assert archive.structure(URL)["fields"] == {}
    result = run_cli("--db", str(path), "reparse")
    assert result.returncode == 0 and result.stdout.strip() == "1 versions parsed"
    assert run_cli("--db", str(path), "reparse").stdout.strip() == "0 versions parsed"
    assert run_cli("--db", str(path), "reparse", "--all").stdout.strip() == "1 versions parsed"
    with Archive(path) as archive:
        assert archive.structure(URL)["fields"]["inspection_round"] == "区委第三轮"
        assert len(archive.structure(URL)["counts"]) == 4
