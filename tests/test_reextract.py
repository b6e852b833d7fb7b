"""Re-extraction from stored raw HTML: a new version only where the extractor's text differs."""

from archive import Archive, PageContent
from crawler.demo_site import SampleSite
from crawler.extract import EXTRACTOR_VERSION
from crawler.reextract import reextract

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
