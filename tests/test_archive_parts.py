"""A notice split over several pages in the archive: one page, one version from the joined
text, every page's bytes stored as fetched (a `part` fetch under its own URL), so that a change
of any page is seen, re-extraction reads them all, and a WARC export replays each page."""

from warcio.archiveiterator import ArchiveIterator

from archive import Archive, PageContent, PagePart
from archive.warc import export_warc
from crawler.reextract import reextract
from notice.extract import extract
from notice.extract.pages import join_pages

URL = "http://www.x.gov.cn/xxgk/tzgg/202503/t20250325_731204.html"
PART = URL.removesuffix(".html") + "_1.html"
TITLE = "中共某区商务局党组关于区委第四轮巡察整改进展情况的通报"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><h1>{TITLE}</h1>'
        f'<div class="TRS_Editor">{body}</div></body></html>'
    ).encode()


FIRST = page("根据区委统一部署，区委第三巡察组对区商务局党组开展了巡察。" * 8, "一、提高政治站位")
SECOND = page("二、坚持问题导向，制定整改措施46条。" * 8, "中共某区商务局党组")


def record(archive: Archive, first: bytes, second: bytes):
    archive.upsert_portals([{"id": "p", "name": "某区"}])
    whole = join_pages([extract(first, URL, HTML), extract(second, PART, HTML)])
    content = PageContent(
        whole.text, whole.title, whole.published, metadata={"content_type": HTML["Content-Type"]}
    )
    parts = [PagePart(PART, second, 200, {**HTML, "ETag": '"p2"'})]
    return archive.record_page(
        URL, content, first, portal_id="p", headers={**HTML, "ETag": '"p1"'}, parts=parts
    )


def test_one_version_from_all_pages_and_any_pages_edit_is_a_new_one(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        assert record(archive, FIRST, SECOND).outcome == "new"
        version = archive.version(URL)
        assert version["text"].index("一、提高政治站位") < version["text"].index("46条")
        assert version["number"] == 1
        assert [p["url"] for p in version["metadata"]["parts"]] == [PART]
        assert archive.raw_html(URL) == FIRST
        assert [(p["url"], p["body"]) for p in archive.raw_parts(URL)] == [(PART, SECOND)]
        # the first page's validators do not speak for the second: none are kept
        assert archive.page(URL)["etag"] is None
        assert record(archive, FIRST, SECOND).outcome == "unchanged"
        chrome = SECOND.replace(b"</body>", b"<!-- 2 --></body>")
        assert record(archive, FIRST, chrome).outcome == "chrome-only"
        edited = SECOND.replace("46条".encode(), "48条".encode())
        result = record(archive, FIRST, edited)
        assert (result.outcome, result.version) == ("changed", 2)
        assert [p["body"] for p in archive.raw_parts(URL)] == [edited]
        assert [p["body"] for p in archive.raw_parts(URL, 1)] == [
            chrome.replace(b"<!-- 2 -->", b"")
        ]
        fetches = archive.fetches(URL)
        assert [f["outcome"] for f in fetches] == [
            "new",
            "part",
            "unchanged",
            "part",
            "chrome-only",
            "part",
            "changed",
            "part",
        ]
        assert fetches[1]["detail"] == f"page 2 of {URL}" and fetches[1]["version"] == 1
        assert [p["url"] for p in archive.list_pages()] == [URL]  # the part is no page


def test_reextraction_reads_every_page_and_warc_replays_them(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        record(archive, FIRST, SECOND)
        counts = reextract(archive)
        assert counts == {"checked": 1, "changed": 0, "failed": 0}
        out = tmp_path / "a.warc.gz"
        written, _ = export_warc(archive.db, out)
    with out.open("rb") as fh:
        responses = {
            r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
            for r in ArchiveIterator(fh)
            if r.rec_type == "response"
        }
    assert written == 2 and responses == {URL: FIRST, PART: SECOND}
