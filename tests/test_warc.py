"""WARC export: stored responses as WARC records with a CDXJ index that points at them."""

import json
import subprocess
import sys
import zipfile

from warcio.archiveiterator import ArchiveIterator

from archive.warc import surt

from conftest import open_archive, run_cli

SIMING = "/sm/art/2025/12/25/art_1234_5678.html"


def _records(path):
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            yield record.rec_type, record.rec_headers, record.content_stream().read()


def test_warc_replays_every_stored_response_and_versions_cite_their_record(
    site, crawl, archive_path, tmp_path
):
    crawl()
    crawl("-a", "full=1")  # the same bodies again: revisit records
    out = tmp_path / "archive.warc.gz"
    result = run_cli("--db", str(archive_path), "export", "--format", "warc", "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = list(_records(out))
    assert records[0][0] == "warcinfo"
    responses: dict[str, list] = {}
    for rec_type, headers, body in records:
        if rec_type == "response":
            responses.setdefault(headers.get_header("WARC-Target-URI"), []).append((headers, body))
    with open_archive(archive_path) as archive:
        for page in archive.list_pages():
            # the payload is the stored body (pages with a visitor counter differ each time)
            bodies = [body for _, body in responses[page["url"]]]
            assert archive.raw_html(page["url"]) in bodies
    siming_headers = responses[site.url(SIMING)][0][0]
    assert siming_headers.get_header("WARC-Date").endswith("Z")
    revisits = [h for t, h, _ in records if t == "revisit"]
    assert revisits and all(h.get_header("WARC-Refers-To-Target-URI") for h in revisits)
    # each notice version cites the record it came from
    notices = run_cli("--db", str(archive_path), "export", "--notices").stdout.splitlines()
    cited = {json.loads(line)["url"]: json.loads(line)["warc_record_id"] for line in notices}
    assert cited[site.url(SIMING)] == siming_headers.get_header("WARC-Record-ID")


def test_cdxj_index_is_sorted_and_points_at_the_records(site, crawl, archive_path, tmp_path):
    crawl()
    out = tmp_path / "notices.warc.gz"
    run_cli("--db", str(archive_path), "export", "--format", "warc", "-o", str(out))
    lines = (tmp_path / "notices.cdxj").read_text("utf-8").splitlines()
    assert lines == sorted(lines) and lines
    data = out.read_bytes()
    for line in lines:
        key, timestamp, raw = line.split(" ", 2)
        entry = json.loads(raw)
        assert key == surt(entry["url"]) and len(timestamp) == 14
        chunk = data[int(entry["offset"]) : int(entry["offset"]) + int(entry["length"])]
        (record,) = _records_from_bytes(chunk, tmp_path)
        assert record[1].get_header("WARC-Target-URI") == entry["url"]
        assert record[1].get_header("WARC-Record-ID") == entry["record_id"]
    mimes = {json.loads(line.split(" ", 2)[2])["mime"] for line in lines}
    assert {"text/html", "application/pdf"} <= mimes


def _records_from_bytes(chunk: bytes, tmp_path):
    path = tmp_path / "one.warc.gz"
    path.write_bytes(chunk)
    return list(_records(path))


def test_surt_keys():
    assert surt("http://www.Example.gov.cn/a/B.html?z=1&a=2") == "cn,gov,example)/a/b.html?a=2&z=1"
    assert surt("http://127.0.0.1:8080/") == "1,0,0,127:8080)/"


def test_wacz_is_valid_and_replays_its_notices(site, crawl, archive_path, tmp_path):
    """`export --format wacz`: the `wacz` package's validator accepts it, and every notice in
    its pages list is found through its index at its offset in the stored WARC, as
    ReplayWeb.page finds it."""
    crawl()
    crawl("-a", "full=1")
    out = tmp_path / "notices.wacz"
    result = run_cli("--db", str(archive_path), "export", "--format", "wacz", "-o", str(out))
    assert result.returncode == 0, result.stderr
    validated = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "Validation succeeded" in validated.stdout
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    with zipfile.ZipFile(out) as wacz:
        warc_info = wacz.getinfo("archive/data.warc.gz")
        assert warc_info.compress_type == zipfile.ZIP_STORED  # replay seeks into it
        data = wacz.read("archive/data.warc.gz")
        index = wacz.read("indexes/index.cdxj").decode().splitlines()
        header, *pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
    assert header["format"] == "json-pages-1.0"
    with open_archive(archive_path) as archive:
        notices = {row["url"]: row["title"] for row in archive.db.query("SELECT * FROM notices")}
    assert {p["url"] for p in pages} == set(notices)
    entries = {}
    for line in index:
        _surt_key, timestamp, entry = line.split(" ", 2)
        entries[(json.loads(entry)["url"], timestamp)] = json.loads(entry)
    for page in pages:
        assert page["title"] == notices[page["url"]]
        stamp = page["ts"].replace("-", "").replace("T", "").replace(":", "").rstrip("Z")
        entry = entries[(page["url"], stamp)]
        chunk = data[int(entry["offset"]) : int(entry["offset"]) + int(entry["length"])]
        (record,) = _records_from_bytes(chunk, tmp_path)
        assert record[0] in ("response", "revisit")
        assert record[1].get_header("WARC-Target-URI") == page["url"]
    # a wacz is a file: no standard output
    refused = run_cli("--db", str(archive_path), "export", "--format", "wacz")
    assert refused.returncode == 2 and "give one with -o FILE" in refused.stderr
