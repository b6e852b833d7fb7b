"""Extraction quality, gated by a pinned corpus and by the sample portal's pages."""

import json
import tomllib
from pathlib import Path

import pytest

from archive.normalize import clean_lines
from crawler.demo_site import SampleSite
from crawler.exceptions import ExtractionError
from crawler.extract import extract, parse_date, strip_site_suffix

from conftest import run_cli

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text("utf-8"))["page"]


@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED])
def test_corpus_page(case):
    result = extract((CORPUS / case["file"]).read_bytes(), case["url"], {})
    assert result.title == case["title"]
    assert result.published == case["published"]
    assert result.source == case.get("source")
    lines = result.text.splitlines()
    assert lines[0] == case["first_line"]
    assert lines[-1] == case["last_line"]
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
