"""The change feed: records and Atom, with hostile page text escaped."""

import xml.etree.ElementTree as ET

from archive import Archive, PageContent
from archive.feed import changes, to_atom

NS = {"a": "http://www.w3.org/2005/Atom"}
EVIL = "关于巡视整改<script>alert('x')</script> & 情况\x07的通报"


def test_atom_escapes_page_text_and_parses(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        url = "http://x.gov.cn/t1.htm?a=1&b=<2>"
        archive.record_page(
            url, PageContent(text="制定212条", title=EVIL), b"1", at="2026-01-01T00:00:00Z"
        )
        archive.record_page(
            url, PageContent(text="制定215条<b>", title=EVIL), b"2", at="2026-01-02T00:00:00Z"
        )
        archive.record_gone(url, 404, at="2026-01-03T00:00:00Z")
        archive.record_gone(url, 404, at="2026-01-04T00:00:00Z")  # still gone: no new event
        rows = changes(archive.db, "2026-01-01")
        assert [r["kind"] for r in rows] == ["gone", "changed", "new"]
        assert changes(archive.db, "2026-01-02T12:00:00Z")[0]["kind"] == "gone"
        feed = to_atom(rows)
    assert "<script>" not in feed and "<b>" not in feed
    root = ET.fromstring(feed)
    entries = root.findall("a:entry", NS)
    assert entries[1].find("a:title", NS).text == "[changed] " + EVIL.replace("\x07", "")
    assert "制定21[-2-]{+5+}" in entries[1].find("a:summary", NS).text
    assert entries[0].find("a:link", NS).get("href") == url
    assert root.find("a:updated", NS).text == "2026-01-03T00:00:00Z"


def test_empty_feed_is_valid():
    root = ET.fromstring(to_atom([]))
    assert root.findall("a:entry", NS) == [] and root.find("a:id", NS).text
