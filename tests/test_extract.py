"""Extraction quality, gated by a pinned corpus and by the sample portal's pages."""

import json
import tomllib
from pathlib import Path

import pytest

from crawler.work import extract_notice
from demo.server import SampleSite
from notice.documents import extract_document, pdf_lines
from notice.errors import ExtractionError
from notice.extract import extract, page_title, parse_date, strip_site_suffix
from notice.normalize import clean_lines

from conftest import run_cli

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))["page"]


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED])
def test_corpus_page(case):
    result = extract((CORPUS / case["file"]).read_bytes(), case["url"], {})
    assert result.title == case["title"]
    assert result.published == case["published"]
    assert result.source == case.get("source")
    for key in ("date_source", "date_matches_url"):
        if key in case:
            assert result.metadata[key] == case[key], key
    if "attachments_only" in case:
        assert result.text == ""
        assert result.metadata["method"] == "attachments-only"
        assert [a["url"] for a in result.metadata["attachments"]] == case["attachments_only"]
    else:
        lines = result.text.splitlines()
        assert lines[0] == case["first_line"]
        assert lines[-1] == case["last_line"]
        assert result.text.count(case["first_line"]) == 1  # the body once
    for text in case["present"]:
        assert text in result.text, text
    for text in case["absent"]:
        assert text not in result.text + "\n", text
    if "encoding" in case:
        assert result.metadata["encoding"] == case["encoding"]


SITE = SampleSite("http://127.0.0.1:8000")
STATIC = [item for item in SITE.notices() if not item.scripted and not item.document]


@pytest.mark.parametrize("item", STATIC, ids=[i.path for i in STATIC])
def test_sample_portal_notice_pages(item):
    page = SITE.pages[item.path]
    result = extract(page.body, SITE.url(item.path), {"Content-Type": page.content_type})
    assert result.title == item.title
    assert result.published == item.date
    labels = {a["label"] for a in item.attachments}
    if item.paragraphs and set(item.paragraphs) <= labels:
        # a page that only names its files: no body, the attachments carry the notice
        assert (result.text, result.metadata["method"]) == ("", "attachments-only")
    else:
        assert result.text == clean_lines("\n".join(item.paragraphs))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2025-12-25 08:54", "2025-12-25"),
        ("2025年12月25日", "2025-12-25"),
        ("2022/3/9", "2022-03-09"),
        ("二〇二五年十二月二十五日", "2025-12-25"),
        ("二○二四年五月十日", "2024-05-10"),
        ("二〇二一年一月三十一日", "2021-01-31"),
        ("no date here", None),
        ("2025-13-40", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("标题关于巡视整改_厦门市人民政府", "标题关于巡视整改"),
        ("标题关于巡视整改-思明区人民政府网站", "标题关于巡视整改"),
        ("标题关于巡视整改_通知公告_厦门市人民政府", "标题关于巡视整改_通知公告"),
        ("2021-2025年规划纲要", "2021-2025年规划纲要"),
        ("关于巡视整改情况的通报 - 中央纪委国家监委网站", "关于巡视整改情况的通报"),
        # a document title naming its issuer (委员会) is no site suffix: 站名--栏目--标题
        (
            "某县政府网--巡察工作--中共某镇委员会关于巡察整改情况的通报",
            "某县政府网--巡察工作--中共某镇委员会关于巡察整改情况的通报",
        ),
    ],
)
def test_strip_site_suffix(title, expected):
    assert strip_site_suffix(title) == expected


def test_date_from_url_when_page_has_none():
    body = (
        "<html><head><title>关于巡视整改情况的通报</title></head><body><div id='zoom'>"
        + ("<p>正文段落，现将巡视整改情况予以公布。</p>" * 5)
        + "</div></body></html>"
    )
    result = extract(body.encode(), "http://x.gov.cn/col/202401/t20240115_99.html")
    assert result.published == "2024-01-15"


def test_an_attachment_only_notice_yields_its_file_for_the_crawl():
    """No body: the notice page is kept with empty text, and the file a script writes is
    fetched as its attachment."""
    url = "http://www.example.gov.cn/xcgz/202407/t20240702_5.htm"
    body = (CORPUS / "attachment-only.html").read_bytes()
    extracted = extract_notice(body, url, {}, 200, ["example.gov.cn"])
    assert extracted.notice_page
    assert extracted.extraction.text == ""
    assert [(f.url, f.label) for f in extracted.attachments] == [
        (
            "http://www.example.gov.cn/xcgz/202407/P020240702512345678901.doc",
            "中共某某县委关于县委第五轮巡察整改进展情况的通报.doc",
        )
    ]


def _file_page(body: str) -> bytes:
    return (
        "<html><head><title>中共某区委关于巡察整改情况的通报_某区人民政府</title></head><body>"
        "<div class='nav'><a href='/'>首页</a><a href='/zwgk/'>政务公开</a><a href='/hd/'>互动</a></div>"
        f"<h1>中共某区委关于巡察整改情况的通报</h1><div id='zoom'>{body}</div></body></html>"
    ).encode()


def test_a_page_that_only_names_its_files_is_attachments_only():
    files = "".join(
        f"<p>附件{n}：<a href='/u/tb{n}.pdf'>中共某区委关于巡察整改情况的通报（{n}）.pdf</a></p>"
        for n in range(1, 8)
    )
    result = extract(_file_page(files), "http://x.gov.cn/a/202401/t20240105_1.html")
    assert result.text == ""
    assert result.metadata["method"] == "attachments-only"
    assert len(result.metadata["attachments"]) == 7
    assert result.metadata["attachments"][-1] == {
        "url": "http://x.gov.cn/u/tb7.pdf",
        "label": "中共某区委关于巡察整改情况的通报（7）.pdf",
    }


def test_a_short_body_that_refers_to_its_file_is_kept():
    page = _file_page(
        "<p>现将巡察整改情况予以公布，具体见附件。</p>"
        "<p>附件：<a href='/u/tb.pdf'>中共某区委关于巡察整改情况的通报.pdf</a></p>"
    )
    result = extract(page, "http://x.gov.cn/a/202401/t20240105_1.html")
    assert result.metadata["method"] != "attachments-only"
    assert result.text.splitlines()[0] == "现将巡察整改情况予以公布，具体见附件。"
    assert "中共某区委关于巡察整改情况的通报.pdf" in result.text


def test_empty_body_raises_the_documented_error():
    with pytest.raises(ExtractionError, match="http://x/1"):
        extract(b"", "http://x/1")


def test_binary_body_gives_no_title():
    # not an error: it is decoded as best it can be, and a page without a title is no notice
    result = extract(b"\x00\x01\x02\xff\xfe" * 50, "http://x/2")
    assert result.title is None


def test_extract_command_on_a_saved_file():
    path = CORPUS / "ccdi-style.html"
    result = run_cli(
        "extract",
        str(path),
        "--url",
        "https://www.ccdi.gov.cn/x/t20220329_1.html",
        module="crawler",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["notice"] is True
    assert data["published"] == "2022-03-29"
    assert "细化整改措施386条" in data["text"]


def test_pdf_text_has_no_page_numbers_or_running_header():
    """A notice printed with a running header and `— 1 —` footers reads as one text: the
    print furniture is gone and a paragraph broken by the page end is whole again."""
    doc = extract_document((CORPUS / "paged-notice.pdf").read_bytes(), "pdf")
    lines = doc.text.splitlines()
    assert doc.metadata["pages"] == 2
    assert "— 1 —" not in doc.text and "— 2 —" not in doc.text
    assert "中共某某县委办公室文件" not in doc.text
    assert lines[0] == "中共某某县委关于县委第八轮巡察整改进展情况的通报"
    assert lines[-2:] == ["中共某某县委", "2024年9月30日"]
    fourth = next(line for line in lines if line.startswith("四、"))
    assert fourth.endswith("制定整改措施9条，已完成7条，建立完善制度4项。")
    assert fourth.count("局党组逐条对照反馈意见") == 6


def test_pdf_lines_keep_numbers_inside_a_page():
    """A bare number is a page number only at a page's edge; in a table it is a cell."""
    pages = ["通报标题\n序号\n1\n整改措施\n36\n第 1 页 共 2 页", "2\n续表\n12\n完成\n- 2 -"]
    assert pdf_lines(pages) == ["通报标题", "序号", "1", "整改措施", "36", "续表", "12", "完成"]


def test_the_archive_keeps_an_attachment_only_notice(tmp_path):
    """The pipeline records the page (empty text, its outcome and date source in the version's
    metadata) instead of dropping it as empty, so its files have a notice to belong to."""
    from scrapy.utils.test import get_crawler

    from archive import Archive
    from crawler.items import PageItem
    from crawler.pipelines import ArchivePipeline

    url = "http://www.example.gov.cn/xcgz/202407/t20240702_5.htm"
    body = (CORPUS / "attachment-only.html").read_bytes()
    item = PageItem(url, "example", 200, body, extraction=extract(body, url, {}))
    pipeline = ArchivePipeline(get_crawler(), str(tmp_path / "a.db"))
    pipeline.archive = Archive(tmp_path / "a.db")
    pipeline.archive.upsert_portals([{"id": "example", "name": "某某县"}])
    try:
        pipeline.process_item(item)
        version = pipeline.archive.version(url)
    finally:
        pipeline.archive.close()
    assert version["text"] == ""
    assert version["metadata"]["method"] == "attachments-only"
    assert version["metadata"]["date_source"] == "info-bar"


def test_control_characters_are_dropped_not_fatal():
    # a NUL before the document and a stray control byte in the text (Word, broken templates)
    page = (
        "\x00<html><head><title>关于巡察整改情况的通报</title></head><body><script></script>\x01"
        "<h1>关于巡察整改情况的通报</h1><p>根据区委统一部署，区委第一巡察组对我单位开展了巡察。\x0b现将整改情况通报如下。</p>"
        "</body></html>"
    )
    result = extract(page.encode(), "http://www.x.gov.cn/a.html")
    assert result.title == "关于巡察整改情况的通报"
    assert "开展了巡察。现将整改情况通报如下。" in result.text
    assert not any(ch in result.text for ch in "\x00\x01\x0b")


def test_a_page_not_extracted_gets_the_title_extraction_would_find():
    """The spider's title of a page it does not extract (a list, a column) is read as
    extraction reads it: past a stray </html> from a header include, without hidden headings."""
    html = (
        "<html><head><title>关于巡察整改情况的通报_某区人民政府网</title></head><body>"
        "<div class='top'>某区人民政府网</body></html></div>"
        "<h1 style='display: none'>关于巡察整改情况的通报</h1>"
        "<h1>中共某区委关于巡察整改情况的通报</h1><div id='zoom'>"
        + "<p>根据区委统一部署，区委巡察组对本单位开展了常规巡察。现将整改情况予以公布。</p>" * 6
        + "</div></body></html>"
    )
    headers = {"Content-Type": "text/html; charset=utf-8"}
    assert page_title(html) == "中共某区委关于巡察整改情况的通报"
    assert page_title(html) == extract(html.encode(), "http://p.gov.cn/a.htm", headers).title
    assert page_title("") is None  # nothing to parse
