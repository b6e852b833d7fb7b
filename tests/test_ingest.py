"""The distributed writer in-process: the item codec, and applying queue messages once
(against a real redis-server and a real archive file)."""

import argparse
import json
from datetime import datetime

import pytest

from archive import PageContent
from archive.store import Archive
from bench.redis_server import redis_server
from crawler.distributed import codec, keys
from crawler.ingest import Ingest, merge_stats
from crawler.items import AttachmentItem, BlockedItem, GoneItem, PageItem
from crawler.work import extract_notice
from notice.extract import Extraction

from conftest import open_archive

URL = "http://www.example.gov.cn/xcgz/202407/t20240702_5.htm"
TEXT = "根据区委统一部署，区委第一巡察组对我单位开展了巡察。现将整改情况通报如下。"
HTML = (
    "<html><head><title>关于巡察整改情况的通报</title></head><body><h1>关于巡察整改情况的通报</h1>"
    f"<p>{TEXT}</p><p>{TEXT}</p></body></html>"
).encode()


@pytest.fixture
def server(tmp_path):
    with redis_server(tmp_path) as running:
        yield running


def page_item() -> PageItem:
    extracted = extract_notice(HTML, URL, {}, 200, ["www.example.gov.cn"])
    return PageItem(
        URL,
        "example",
        200,
        HTML,
        {"Content-Type": "text/html; charset=utf-8"},
        extraction=extracted.extraction,
        extracted=extracted,
        found_by="static link",
        attachments=[{"url": URL + ".pdf", "label": "附件"}],
    )


def test_items_round_trip_as_data_only():
    item = page_item()
    blocked = BlockedItem(URL, "example", "waf", "blocked", "请开启JavaScript", 403, True)
    attachment = AttachmentItem(URL + ".pdf", "example", 200, "pdf", b"%PDF\x00\xff", parent=URL)
    for original in (item, blocked, attachment, GoneItem(URL, "example", 410)):
        message = codec.read(codec.message("item", "run1", original))
        assert message["body"] == original
        assert message["run"] == "run1" and len(message["id"]) == 32
    decoded = codec.read(codec.message("item", "r", item))["body"]
    assert decoded.body == HTML and decoded.extracted.derived == item.extracted.derived
    assert decoded.extracted.derived.parsed.fields.inspection_body == "区委第一巡察组"
    assert decoded.extracted.attachments == item.extracted.attachments
    stats = {"start_time": datetime(2026, 1, 1), "k": (1, "a")}
    assert codec.read(codec.message("worker", "r", stats))["body"] == stats


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"\x80\x04 not json", "not JSON"),
        (b'{"id": "1", "kind": "item", "run": "r"}', "without id, kind, run and body"),
        (b'{"id": "1", "kind": "exec", "run": "r", "body": 1}', "unknown message kind"),
        (
            b'{"id": "1", "kind": "item", "run": "r", "body": {"~dc": "Popen", "f": {}}}',
            "unknown class 'Popen'",
        ),
        (
            b'{"id":"1","kind":"item","run":"r","body":{"~dc":"GoneItem","f":{"cmd":1}}}',
            "unknown fields \\['cmd'\\]",
        ),
    ],
)
def test_a_message_that_is_not_ours_is_refused(raw, why):
    with pytest.raises(codec.CodecError, match=why):
        codec.read(raw)


def test_only_the_projects_classes_are_encoded():
    with pytest.raises(codec.CodecError, match="not a crawl item class"):
        codec.message("item", "r", PageContent("t", "x"))
    with pytest.raises(codec.CodecError, match="cannot encode a Namespace"):
        codec.message("item", "r", argparse.Namespace())
    with pytest.raises(codec.CodecError, match="cannot encode a set"):
        codec.message("item", "r", {"a": {1}})


def test_run_statistics_merge():
    merged = merge_stats([{"a": 1, "e": [1], "r": "x"}, {"a": 2, "e": [2], "r": "y", "b": 1.5}])
    assert merged == {"a": 3, "e": [1, 2], "r": "y", "b": 1.5}


def _messages(run: str = "run1") -> list[bytes]:
    portals = [{"id": "example", "name": "某某区", "start_urls": ["http://www.example.gov.cn/"]}]
    return [
        codec.message("begin", run, {"portals": portals}),
        codec.message("item", run, page_item()),
        codec.message(
            "worker",
            run,
            {
                "worker": "w1",
                "stats": {"portal/example/pages_seen": 3, "finish_reason": "finished"},
            },
        ),
        codec.message(
            "end",
            run,
            {"reason": "finished", "lost": 0, "incomplete": {}, "listed": {"example": [URL]}},
        ),
    ]


def test_the_writer_applies_each_message_once_and_publishes_the_state(server, tmp_path):
    client = server.client()
    path = tmp_path / "archive.db"
    begin, item, worker, end = _messages()
    for raw in (begin, item, worker, end):
        client.lpush(keys.ITEMS, raw)
    with Archive(path) as archive:
        writer = Ingest(archive, client, server.url)
        summary = writer.consume(until_idle=0)
        assert (summary.applied, summary.skipped, len(summary.runs_finished)) == (4, 0, 1)
        # a writer killed after its commit, before LREM: the message is still in processing
        client.lpush(keys.PROCESSING, item)
        # and one killed before its commit: applied on restart
        again = codec.message("item", "run1", GoneItem(URL, "example", 404))
        client.lpush(keys.PROCESSING, again)
        restarted = Ingest(archive, client, server.url)
        summary = restarted.consume(until_idle=0)
        assert (summary.applied, summary.skipped) == (1, 1)
    assert client.llen(keys.PROCESSING) == client.llen(keys.ITEMS) == 0
    archive = open_archive(path)
    try:
        assert archive.db.execute("SELECT count(*) FROM versions").fetchone()[0] == 1
        outcomes = [r[0] for r in archive.db.execute("SELECT outcome FROM fetches ORDER BY id")]
        assert outcomes == ["new", "gone"]
        run = archive.db.execute("SELECT status, stats FROM runs").fetchone()
        stats = json.loads(run[1])
        assert run[0] == "finished"
        assert stats["portal/example/pages_seen"] == 3
        assert stats["portal/example/notices"] == 1 and stats["portal/example/new"] == 1
        assert stats["portal/example/delisted"] == 0
    finally:
        archive.close()
    state = json.loads(client.hget(keys.STATE, "example"))
    assert state["known"][URL]["etag"] is None and state["known"][URL]["state"] == "live"
    assert state["missing"] == [
        {"portal_id": "example", "parent": URL, "url": URL + ".pdf", "label": "附件"}
    ]
    assert client.exists(keys.STATE_AT)


def test_a_message_the_writer_cannot_read_is_kept_aside_not_run(server, tmp_path):
    client = server.client()
    client.lpush(keys.ITEMS, b'{"id":"1","kind":"item","run":"r","body":{"~dc":"eval"}}')
    with Archive(tmp_path / "archive.db") as archive:
        summary = Ingest(archive, client, server.url).consume(until_idle=0)
    assert summary.rejected == 1
    assert client.lrange(keys.REJECTED, 0, -1) == [
        b'{"id":"1","kind":"item","run":"r","body":{"~dc":"eval"}}'
    ]


def test_a_dropped_page_is_counted_in_its_run(server, tmp_path):
    client = server.client()
    begin = codec.message("begin", "r", {"portals": [{"id": "example", "name": "x"}]})
    empty = PageItem(URL, "example", 200, b"<p>x</p>", extraction=Extraction("首页", ""))
    client.lpush(keys.ITEMS, begin, codec.message("item", "r", empty))
    with Archive(tmp_path / "archive.db") as archive:
        Ingest(archive, client, server.url).consume(until_idle=0)
        counts = archive.db.execute("SELECT counts FROM ingested_messages WHERE kind = 'item'")
        assert json.loads(counts.fetchone()[0]) == {
            "portal/example/dropped/not_a_notice": 1,
            "item_dropped_count": 1,
            "item_dropped_reasons_count/NotANotice": 1,
        }
        assert archive.db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
