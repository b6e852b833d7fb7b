"""Attachments: document files a notice links, and notices published only as a file."""

import json

import pytest

from notice.normalize import clean_lines

from conftest import open_archive, run_cli

SIMING = "/sm/art/2025/12/25/art_1234_5678.html"
DOCX = "/sm/module/download/downfile.jsp?classid=0&filename=siming-measures.docx"
DOC = "/sm/art/2025/12/25/P020251225_ledger.doc"
PDF = "/ta/xxgk/fj/P020241028.pdf"


def test_attachments_are_versioned_with_their_notice(site, crawl, archive_path):
    crawl()
    with open_archive(archive_path) as archive:
        docx = archive.version(site.url(DOCX))
        assert "2.建立健全123项工作制度。" in docx["text"].splitlines()
        assert "1 | 建立整改台账 | 区委办" in docx["text"].splitlines()  # its table
        assert docx["extractor"] == "docx-text"
        assert archive.page(site.url(DOCX))["content_kind"] == "docx"
        # an old .doc has no text we can read: stored, and versioned by its bytes
        doc = archive.version(site.url(DOC))
        assert doc["text"] == "" and doc["content_hash"].startswith("raw:")
        assert archive.raw_html(site.url(DOC)).startswith(b"\xd0\xcf\x11\xe0")
        linked = {a["url"]: a for a in archive.attachments(site.url(SIMING))}
        assert set(linked) == {site.url(DOCX), site.url(DOC)}
        assert linked[site.url(DOCX)]["label"] == "附件1：思明区巡视整改措施清单.docx"
        assert linked[site.url(DOC)]["version"] == 1
        # the notice keeps its attachment lines as text
        assert archive.version(site.url(SIMING))["text"].endswith("附件2：整改台账.doc")


def test_a_notice_published_only_as_a_pdf_is_a_notice(site, crawl, archive_path):
    crawl()
    item = next(i for i in site.notices() if i.path == PDF)
    with open_archive(archive_path) as archive:
        version = archive.version(site.url(PDF))
        assert version["title"] == item.title
        assert version["published"] == "2024-10-28"
        assert version["text"] == clean_lines("\n".join(item.paragraphs))  # wrapped lines joined
        assert archive.page(site.url(PDF))["content_kind"] == "pdf"
        found = archive.structure(site.url(PDF))
        assert found["fields"]["issuer"] == "中共厦门市海沧区委"
        assert found["fields"]["inspection_body"] == "省委第七巡视组"
        assert len(found["items"]) == 11


def test_changed_files_make_versions_and_unchanged_ones_do_not(site, crawl, archive_path):
    crawl()
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        assert [v["number"] for v in archive.versions(site.url(DOC))] == [1]
    site.pages[DOC].body = site.pages[DOC].body[:-4] + b"\x01\x02\x03\x04"
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        assert [v["number"] for v in archive.versions(site.url(DOC))] == [1, 2]
        assert [v["number"] for v in archive.versions(site.url(DOCX))] == [1]


def test_an_unreadable_pdf_is_dropped_and_counted_not_archived(tmp_path):
    from collections import Counter

    from archive import Archive
    from crawler.exceptions import ParseFailed
    from crawler.items import AttachmentItem
    from crawler.writer import ArchiveWriter

    url = "http://p.gov.cn/xxgk/fj/P020241028.pdf"  # a notice published only as a PDF
    item = AttachmentItem(url, "p", 200, "pdf", b"%PDF-1.4 this is not really a PDF", {})
    counts = Counter()
    with Archive(tmp_path / "a.db") as archive:
        writer = ArchiveWriter(
            archive, archive.begin_run(["p"]), lambda key, n=1: counts.update({key: n})
        )
        with pytest.raises(ParseFailed):
            writer.write(item)
        assert counts == {"portal/p/dropped/parse_failed": 1}
        assert not archive.has_page(url)


def test_show_lists_attachments_and_fields(site, crawl, archive_path):
    crawl()
    shown = run_cli("--db", str(archive_path), "show", site.url(SIMING))
    assert shown.returncode == 0, shown.stderr
    assert "attachment (docx): 附件1：思明区巡视整改措施清单.docx" in shown.stdout
    structured = run_cli("--db", str(archive_path), "show", site.url(SIMING), "--fields", "--json")
    found = json.loads(structured.stdout)
    assert found["fields"]["issuer"] == "中共厦门市思明区委"
    assert {"measure": "整改措施", "number": 212, "unit": "条"} in found["counts"]
    assert found["items"][0]["marker"] == "一、"
    text = run_cli("--db", str(archive_path), "show", site.url(SIMING), "--fields").stdout
    assert (
        "inspection_body    省委巡视九组" in text and "count              整改措施 212 条" in text
    )
