"""A notice's files are listed with it, never as notices of their own; a file that is itself
the notice (published only as a PDF) stays a notice."""

import json

import pytest
from click.testing import CliRunner

from archive import Archive, PageContent
from archive.cli import cli
from archive.feed import changes

NOTICE = "http://p.gov.cn/t20251225_1.htm"
FILE = "http://p.gov.cn/P020251225_1.doc"
PDF_NOTICE = "http://p.gov.cn/P020251226_2.pdf"


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        at = "2026-11-01T00:00:00Z"
        archive.record_page(
            NOTICE, PageContent(text="制定212条整改措施。", title="巡视整改情况的通报"), b"n", at=at
        )
        archive.record_page(
            FILE,
            PageContent(text="整改台账：问题1项。", title="附件2：整改台账.doc"),
            b"d1",
            content_kind="doc",
            at=at,
        )
        archive.link_attachment(NOTICE, FILE, "附件2：整改台账", at=at)
        archive.record_page(
            PDF_NOTICE,
            PageContent(text="整改情况如下。", title="关于巡察整改情况的通报"),
            b"%PDF",
            content_kind="pdf",
            at=at,
        )
        later = "2026-11-02T00:00:00Z"
        archive.record_page(
            FILE,
            PageContent(text="整改台账：问题2项。", title="附件2：整改台账.doc"),
            b"d2",
            content_kind="doc",
            at=later,
        )
    return str(path)


def test_notice_export_lists_notices_with_their_files(db):
    result = CliRunner().invoke(cli, ["--db", db, "export", "--notices"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["url"] for r in rows) == [PDF_NOTICE, NOTICE]
    notice = next(r for r in rows if r["url"] == NOTICE)
    assert [a["url"] for a in notice["attachments"]] == [FILE]


def test_notices_view_leaves_files_out(db):
    with Archive(db, create=False) as archive:
        rows = archive.db.execute("SELECT url, attachment_count FROM notices ORDER BY url")
        assert rows.fetchall() == [(PDF_NOTICE, 0), (NOTICE, 1)]


def test_change_feed_lists_notices_and_changes_of_their_files(db):
    with Archive(db, create=False) as archive:
        rows = changes(archive.db, "2026-11-01")
    # newest first, as the event log has them: a file's first version too is its notice's
    assert [(r["kind"], r["url"]) for r in rows] == [
        ("file-changed", FILE),
        ("new", PDF_NOTICE),
        ("file-new", FILE),
        ("new", NOTICE),
    ]
    assert rows[0]["notice_url"] == rows[2]["notice_url"] == NOTICE
    assert rows[0]["title"] == "巡视整改情况的通报 · 附件2：整改台账"
    assert "问题[-1-]{+2+}项" in rows[0]["summary"]
    assert [a["url"] for a in rows[3]["attachments"]] == [FILE]
    text = CliRunner().invoke(cli, ["--db", db, "changes", "--since", "2026-11-01"]).stdout
    assert "[new] 附件2" not in text and "new          附件2" not in text
    assert f"file: 附件2：整改台账 {FILE}" in text
