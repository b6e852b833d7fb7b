"""Re-extraction from stored raw HTML: a new version only where the extractor's text differs."""

from archive import Archive, PageContent
from crawler.reextract import reextract
from demo.server import SampleSite
from notice.extract import EXTRACTOR_VERSION

SITE = SampleSite("http://127.0.0.1:8000")
PATH = "/sm/art/2025/12/25/art_1234_5678.html"


def test_reextract_marks_extractor_change(tmp_path):
    _, item = SITE.find(PATH)
    page = SITE.pages[PATH]
    url = SITE.url(PATH)
    with Archive(tmp_path / "a.db") as archive:
        # as an older extractor would have left it: chrome in the text, a paragraph missing
        old_text = "当前位置: 首页 > 政务公开\n" + "\n".join(item.paragraphs[1:])
        archive.record_page(
            url,
            PageContent(
                text=old_text,
                title=item.title,
                extractor="gov-trafilatura",
                extractor_version="0.0.1",
                metadata={"content_type": page.content_type},
            ),
            page.body,
        )
        assert reextract(archive) == {"checked": 1, "changed": 1, "failed": 0}
        version = archive.version(url)
        assert (version["number"], version["kind"]) == (2, "reextract")
        assert version["extractor_version"] == EXTRACTOR_VERSION
        assert version["text"].startswith(item.paragraphs[0])
        assert version["blob_sha256"] == archive.version(url, 1)["blob_sha256"]
        # running it again changes nothing
        assert reextract(archive) == {"checked": 1, "changed": 0, "failed": 0}
        assert [f["outcome"] for f in archive.fetches(url)] == ["new"]


def _old_version(archive: Archive, path: str, **metadata) -> str:
    """Archive a sample page as an older extractor left it (chrome line in the text)."""
    _, item = SITE.find(path)
    page = SITE.pages[path]
    url = SITE.url(path)
    archive.record_page(
        url,
        PageContent(
            text="当前位置: 首页 > 政务公开\n" + "\n".join(item.paragraphs[1:]),
            title=item.title,
            extractor="gov-trafilatura",
            extractor_version="0.0.1",
            metadata={"content_type": page.content_type, **metadata},
        ),
        page.body,
        portal_id="sample-sm",
    )
    return url


def test_reextract_keeps_attachment_links(tmp_path):
    links = [{"url": SITE.url("/sm/art/2025/12/25/P020251225_ledger.doc"), "label": "附件2"}]
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_portals([{"id": "sample-sm", "name": "思明"}])
        url = _old_version(archive, PATH, attachment_links=links)
        assert reextract(archive)["changed"] == 1
        assert archive.version(url)["metadata"]["attachment_links"] == links
        assert [m["url"] for m in archive.missing_attachments(["sample-sm"])] == [links[0]["url"]]


def test_one_bad_page_or_blob_is_counted_and_the_rest_go_on(tmp_path):
    others = ["/sm/art/2025/3/10/art_1234_5101.html", "/sm/art/2024/8/16/art_1234_4990.html"]
    failures: list[dict] = []
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_portals([{"id": "sample-sm", "name": "思明"}])
        good = _old_version(archive, PATH)
        damaged = _old_version(archive, others[0])
        archive.db.execute(
            "UPDATE blobs SET data = ? WHERE sha256 = ?",
            [b"not compressed", archive.version(damaged)["blob_sha256"]],
        )
        broken_pdf = "http://127.0.0.1:8000/sm/P1.pdf"
        archive.record_page(
            broken_pdf,
            PageContent(text="", title="附件"),
            b"%PDF-1.4 truncated",
            content_kind="pdf",
        )
        gone = _old_version(archive, others[1])
        archive.record_gone(gone, 404)
        counts = reextract(archive, failures=failures)
        assert counts == {"checked": 1, "changed": 1, "failed": 2}
        assert archive.version(good)["kind"] == "reextract"
        assert archive.version(gone)["number"] == 1  # only live pages are re-extracted
    assert sorted(f["url"] for f in failures) == sorted([damaged, broken_pdf])
    assert "cannot be read" in next(f["error"] for f in failures if f["url"] == damaged)
    assert "cannot read PDF" in next(f["error"] for f in failures if f["url"] == broken_pdf)


def test_a_version_read_from_a_detail_api_is_re_extracted_from_its_stored_json(tmp_path):
    import json

    api = "http://127.0.0.1:8000/api/detail?articleId=9"
    title = "中共某县委关于县委第一轮巡察整改进展情况的通报"
    paragraphs = [
        "根据县委统一部署，县委第一巡察组对我单位开展了巡察。",
        "现将整改进展情况通报如下。",
    ]
    reply = {"code": 200, "data": {"title": title, "publishTime": "2025-12-01 10:00",
             "content": "".join(f"<p>{p}</p>" for p in paragraphs)}}  # fmt: skip
    body = json.dumps(reply, ensure_ascii=False).encode()
    meta = {"content_type": "application/json;charset=UTF-8", "detail_api": api}
    good, bad = "http://127.0.0.1:8000/art/9.html", "http://127.0.0.1:8000/art/10.html"
    failures: list[dict] = []
    with Archive(tmp_path / "a.db") as archive:
        for url, stored in ((good, body), (bad, b"<html>not the reply</html>")):
            archive.record_page(
                url,
                PageContent(
                    text="当前位置：首页\n" + paragraphs[0],  # as an older extractor left it
                    title=title,
                    extractor="gov-trafilatura",
                    extractor_version="0.0.1",
                    metadata=meta,
                ),
                stored,
            )
        assert reextract(archive, failures=failures) == {"checked": 1, "changed": 1, "failed": 1}
        version = archive.version(good)
        assert version["text"].splitlines() == paragraphs
        assert version["metadata"]["detail_api"] == api
        assert archive.raw_html(good) == body  # the stored bytes stay the reply's
    assert failures == [{"url": bad, "error": f"stored detail API reply: {api}: an HTML page"}]
