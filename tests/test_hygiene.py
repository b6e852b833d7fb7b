"""Hygiene: nothing left behind, nothing listening that should not."""

import json
import tempfile

import pyarrow.parquet as pq
from click.testing import CliRunner

from archive import Archive, PageContent
from archive.cli import cli


def test_datasette_leaves_no_metadata_file_behind(tmp_path, monkeypatch):
    db = tmp_path / "a.db"
    Archive(db).close()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = CliRunner().invoke(cli, ["--db", str(db), "datasette", "--help"])
    assert result.exit_code == 0, result.output
    assert list(scratch.iterdir()) == []


def _notice_archive(path) -> str:
    with Archive(path) as archive:
        archive.record_page(
            "http://x.gov.cn/t1.htm",
            PageContent(
                text="现将情况通报如下：\n制定212条整改措施，挽回资金116.5万元。",
                title="关于巡视整改进展情况的通报",
            ),
            b"x",
        )
    return str(path)


def test_csv_bom_for_excel(tmp_path):
    db = _notice_archive(tmp_path / "a.db")
    for flag in ("--bom", "--excel"):
        out = tmp_path / f"{flag}.csv"
        result = CliRunner().invoke(
            cli, ["--db", db, "export", "--notices", "--format", "csv", flag, "-o", str(out)]
        )
        assert result.exit_code == 0, result.stderr
        assert out.read_bytes().startswith(b"\xef\xbb\xbfurl,")
    plain = CliRunner().invoke(cli, ["--db", db, "export", "--notices", "--format", "csv"])
    assert plain.stdout.startswith("url,")
    refused = CliRunner().invoke(cli, ["--db", db, "export", "--bom"])
    assert refused.exit_code == 2 and "--bom is for --format csv" in refused.stderr


def test_parquet_keeps_integers(tmp_path):
    db = _notice_archive(tmp_path / "a.db")
    out = tmp_path / "n.parquet"
    result = CliRunner().invoke(
        cli, ["--db", db, "export", "--notices", "--format", "parquet", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    jsonl = json.loads(CliRunner().invoke(cli, ["--db", db, "export", "--notices"]).stdout)
    assert json.dumps(jsonl["counts"], ensure_ascii=False) == (
        '[{"measure": "整改措施", "number": 212, "unit": "条"}, '
        '{"measure": "资金", "number": 116.5, "unit": "万元"}]'
    )
    (row,) = pq.read_table(out).to_pylist()
    assert json.dumps(row["counts"], ensure_ascii=False) == (
        '[{"measure": "整改措施", "number": 212, "value": 212.0, "unit": "条"}, '
        '{"measure": "资金", "number": null, "value": 116.5, "unit": "万元"}]'
    )
    assert json.dumps(row["item_count"]) == json.dumps(jsonl["item_count"])
