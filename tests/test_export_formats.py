"""Notice, item and version exports in JSONL, CSV and Parquet, validated by their JSON Schemas."""

import csv
import io
import json
import uuid

import jsonschema
import pyarrow.parquet as pq
import pytest

from archive import records
from archive.export import parquet_row

from conftest import run_cli

SIMING = "/sm/art/2025/12/25/art_1234_5678.html"


@pytest.fixture
def crawled(site, crawl, archive_path):
    crawl()
    return archive_path


def _export(db, *args: str) -> str:
    result = run_cli("--db", str(db), "export", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _validator(record_type: str) -> jsonschema.Draft202012Validator:
    schema = records.schema(record_type)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize(
    ("flag", "record_type"), [("--notices", "notices"), ("--items", "items"), (None, "versions")]
)
def test_jsonl_exports_match_their_schemas(crawled, flag, record_type):
    rows = [json.loads(line) for line in _export(crawled, *filter(None, [flag])).splitlines()]
    assert rows
    validator = _validator(record_type)
    for row in rows:
        errors = [e.message for e in validator.iter_errors(row)]
        assert errors == [], (row.get("url"), errors)
        assert list(row) == records.fields(record_type)


def test_notice_records_carry_fields_counts_attachments_and_their_warc_record(site, crawled):
    rows = {r["url"]: r for r in map(json.loads, _export(crawled, "--notices").splitlines())}
    siming = rows[site.url(SIMING)]
    assert (siming["issuer"], siming["kind"], siming["report_type"]) == (
        "中共厦门市思明区委",
        "巡视",
        "progress",
    )
    assert (siming["region"], siming["level"]) == ("厦门市思明区", "district")
    assert siming["counts"][0] == {"measure": "整改措施", "number": 212, "unit": "条"}
    assert siming["item_count"] == 69
    assert [a["content_kind"] for a in siming["attachments"]] == ["doc", "docx"]
    assert siming["warc_record_id"].startswith("<urn:uuid:")
    items = [json.loads(line) for line in _export(crawled, "--items").splitlines()]
    assert sum(1 for i in items if i["url"] == site.url(SIMING)) == 69
    first = next(i for i in items if i["url"] == site.url(SIMING))
    assert (first["section_path"], first["marker"], first["number"]) == ("", "一、", 1)


def test_csv_has_the_schema_columns_and_lists_as_json(site, crawled):
    reader = csv.DictReader(io.StringIO(_export(crawled, "--notices", "--format", "csv")))
    assert reader.fieldnames == records.fields("notices")
    row = next(r for r in reader if r["url"] == site.url(SIMING))
    assert json.loads(row["counts"])[1] == {"measure": "建章立制", "number": 123, "unit": "项"}


@pytest.mark.parametrize("record_type", ["notices", "items", "versions"])
def test_parquet_holds_the_same_records(crawled, tmp_path, record_type):
    out = tmp_path / f"{record_type}.parquet"
    flag = [] if record_type == "versions" else [f"--{record_type}"]
    result = run_cli("--db", str(crawled), "export", *flag, "--format", "parquet", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"{record_type} records written" in result.stderr
    table = pq.read_table(out)
    assert table.column_names == records.fields(record_type)
    jsonl = [json.loads(line) for line in _export(crawled, *flag).splitlines()]
    # compared as JSON text, so that 212 and 212.0 differ
    expected = [parquet_row(row, record_type) for row in jsonl]
    assert json.dumps(table.to_pylist(), ensure_ascii=False) == json.dumps(
        expected, ensure_ascii=False
    )


def test_since_gives_incremental_exports(crawled):
    assert _export(crawled, "--notices", "--since", "2999-01-01") == ""
    assert _export(crawled, "--items", "--since", "2999-01-01") == ""
    # one crawl: one event (new) per notice, so one record each, in event order
    since = _export(crawled, "--notices", "--since", "2000-01-01").splitlines()
    assert sorted(since) == sorted(_export(crawled, "--notices").splitlines())
    assert since == _export(crawled, "--notices", "--after", "0").splitlines()


def test_binary_formats_need_a_file(crawled):
    result = run_cli("--db", str(crawled), "export", "--format", "parquet")
    assert result.returncode == 2
    assert "--format parquet writes a file" in result.stderr


def test_warc_record_ids_are_the_uuid5_of_their_fetch():
    for fetch_id, url, at in [
        (1, "http://127.0.0.1/a.html", "2026-12-01T00:00:00Z"),
        (98765, "http://xm.gov.cn/通报/巡视整改.html?id=1", "2025-01-02T03:04:05Z"),
    ]:
        name = f"{fetch_id} {at} {url}"
        assert records.warc_record_id(fetch_id, url, at) == (
            f"<urn:uuid:{uuid.uuid5(records.WARC_NAMESPACE, name)}>"
        )
