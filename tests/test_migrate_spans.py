"""An archive written before the bigram search index and item spans migrates with nothing lost:
every text, every item and every search answer is the same after the migration."""

import sqlite3

from archive import Archive, PageContent
from archive.db import _statements
from archive.schema import APPLICATION_ID, MIGRATIONS
from archive.search import search
from notice import derive
from notice.normalize import clean_lines

from accuracy import read_notice

# the schema before the search_terms index (the migrations are ordered at merge, so find it)
BEFORE = next(i for i, script in enumerate(MIGRATIONS) if "search_terms USING fts5" in script)
SPLIT_ITEM = (
    "一、加强组织领导\n（一）压实责任。一是明确分工；二是定期调度。\n同时建立台账。\n二、完善制度"
)


def _pages() -> dict[str, list[tuple[str, str]]]:
    pages = {}
    for n, name in enumerate(("jialian-notice.txt", "haicang-notice.txt", "huitoukan-notice.txt")):
        meta, text = read_notice(name)
        pages[f"http://x/{n}"] = [(meta["title"], clean_lines(text))]
    first = pages["http://x/0"][0]
    pages["http://x/0"].append((first[0], first[1].replace("整改", "整治", 3)))  # 2 versions
    pages["http://x/9"] = [("巡察整改情况的通报", SPLIT_ITEM)]
    return pages


def _old_archive(path, pages) -> None:
    """An archive at the schema before, written as the code of that schema wrote it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:BEFORE]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {BEFORE}")
    for page_id, (url, versions) in enumerate(pages.items(), 1):
        conn.execute(
            "INSERT INTO pages (id, url, first_seen, state, current_version) "
            "VALUES (?, ?, '2026-01-01', 'live', ?)",
            [page_id, url, len(versions)],
        )
        for number, (title, text) in enumerate(versions, 1):
            version_id = conn.execute(
                "INSERT INTO versions (page_id, number, fetched_at, kind, title, text, "
                "content_hash, extractor, extractor_version) VALUES (?, ?, ?, 'new', ?, ?, "
                "'h', 'x', '1')",
                [page_id, number, f"2026-01-0{number}", title, text],
            ).lastrowid
            for item in derive.parse(title, text, None).items:
                conn.execute(
                    "INSERT INTO notice_items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        version_id,
                        item.position,
                        "/".join(item.path),
                        item.marker,
                        item.number,
                        len(item.path) + 1,
                        int(item.children == 0),
                        item.text,
                    ],
                )
        conn.execute(
            "INSERT INTO search_index (rowid, title, text) VALUES (?, ?, ?)",
            [page_id, title, text],
        )
    conn.close()


def _expected(pages, query: str) -> list[str]:
    terms = query.split()
    return sorted(
        url
        for url, versions in pages.items()
        if all(t in versions[-1][0] or t in versions[-1][1] for t in terms)
    )


QUERIES = [
    "巡视",
    "巡察",
    "整改",
    "整治",
    "项",
    "。",
    "嘉莲",
    "整改措施",
    "同时建立台账",
    "巡察 反馈",
    "氪氙",
    "思明区 整改",
    "2024",
    "压实责任。",
]


def test_migration_keeps_every_text_item_and_search_answer(tmp_path):
    path, pages = tmp_path / "old.db", _pages()
    _old_archive(path, pages)
    with Archive(path) as archive:
        for url, versions in pages.items():
            for number, (title, text) in enumerate(versions, 1):
                assert archive.version(url, number)["text"] == text
                items = archive.structure(url, number)["items"]
                parsed = derive.parse(title, text, None).items
                assert [i["text"] for i in items] == [i.text for i in parsed]
                assert [i["section_path"] for i in items] == ["/".join(i.path) for i in parsed]
        for query in QUERIES:
            found = sorted(r["url"] for r in search(archive.db, query, limit=100))
            assert found == _expected(pages, query), query
        tables = {r[0] for r in archive.db.execute("SELECT name FROM sqlite_master")}
        assert "search_index" not in tables and "search_terms" in tables
        # the item whose text is two pieces keeps its text; the others only their span
        kept = archive.db.execute("SELECT text FROM notice_items WHERE text IS NOT NULL")
        assert [row[0] for row in kept] == ["压实责任。\n同时建立台账。"]


def test_migrated_archive_answers_like_one_written_now(tmp_path):
    pages = _pages()
    _old_archive(tmp_path / "old.db", pages)
    with Archive(tmp_path / "new.db") as new, Archive(tmp_path / "old.db") as old:
        for url, versions in pages.items():
            for title, text in versions:
                new.record_page(url, PageContent(text, title), text.encode())
        for query in QUERIES:
            assert [r["url"] for r in search(old.db, query)] == [
                r["url"] for r in search(new.db, query)
            ], query
        for url in pages:
            assert old.structure(url)["items"] == new.structure(url)["items"]
