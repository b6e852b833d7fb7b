"""Copies are the same notice, not only alike: rectification notices are one template filled
in by every unit a round inspected, so their texts are 0.7 to 0.9 alike; a template filled in
by another unit is never a copy, a republication of one notice is."""

import json
import sqlite3

from archive import Archive, PageContent
from archive.copies import copies, republished
from archive.db import _statements, register_functions
from archive.schema import APPLICATION_ID, MIGRATIONS
from notice.identity import Identity, basis

from conftest import cli_output

UNITS = [  # one round inspected these units; each publishes its notice from the template
    ("中共某市林业局党组", "市委第一轮巡察", "市委第二巡察组", 9, 36),
    ("中共某市审计局党组", "市委第一轮巡察", "市委第一巡察组", 13, 52),
    ("中共某市水务局党组", "市委第一轮巡察", "市委第三巡察组", 8, 32),
    ("中共某市医疗保障局党组", "市委第二轮巡察", "市委第四巡察组", 6, 24),
    ("中共某市交通运输局党组", "市委第二轮巡察", "市委第一巡察组", 19, 76),
]


def _text(issuer: str, round_: str, team: str, problems: int, measures: int) -> str:
    return "\n".join(
        [
            f"根据市委统一部署，2025年5月8日至6月30日，{team}对{issuer[2:]}开展了{round_}，"
            "并于2025年8月16日反馈了巡察意见。按照党务公开原则和巡察工作有关要求，现将巡察"
            "整改进展情况予以公布。",
            "一、提高政治站位，扛牢整改主体责任",
            f"{issuer}把巡察整改作为重大政治任务，成立整改工作领导小组，书记担任组长，召开专题"
            f"会议研究部署，对照反馈意见梳理出{problems}个具体问题，逐项制定{measures}条整改"
            "措施，明确责任领导、责任单位和完成时限，实行清单化管理、销号式推进。",
            "二、坚持问题导向，推动反馈问题逐项整改",
            "（一）关于贯彻落实党中央决策部署不够到位的问题。健全学习贯彻机制，完善第一议题"
            "制度，建立重点任务台账，定期调度推进落实情况。",
            "（二）关于全面从严治党压力传导不够的问题。制定主体责任清单，开展廉政风险排查，"
            "梳理风险点并逐一制定防控措施。",
            "欢迎广大干部群众对整改落实情况进行监督。联系电话：0591-66000000。",
            issuer,
            "2025年9月12日",
        ]
    )


def _title(issuer: str, round_: str) -> str:
    return f"{issuer}关于{round_}整改进展情况的通报"


def _record(archive: Archive, url: str, unit: tuple, *, title: str | None = None) -> int:
    issuer, round_ = unit[0], unit[1]
    content = PageContent(text=_text(*unit), title=title or _title(issuer, round_))
    return archive.record_page(url, content, url.encode()).page_id


def test_one_template_filled_in_by_other_units_is_not_a_copy(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        ids = [_record(archive, f"http://city.gov.cn/{n}.html", u) for n, u in enumerate(UNITS)]
        pairs = archive.db.execute("SELECT similarity, basis FROM copy_pairs").fetchall()
        # alike enough that text similarity alone made them one notice of five copies
        assert len(pairs) == 10 and all(0.7 <= s < 0.95 for s, _ in pairs), pairs
        assert all(why is None for _, why in pairs)
        assert republished(archive.db) == []
        for page_id in ids:
            assert [row["page_id"] for row in copies(archive.db, page_id)] == [page_id]


def test_a_republication_is_a_copy_and_says_why(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        own = _record(archive, "http://lyj.city.gov.cn/1.html", UNITS[0])
        other = _record(archive, "http://city.gov.cn/2.html", UNITS[1])
        # the city's portal republishes the 林业局 notice under a title of its own
        again = _record(
            archive, "http://city.gov.cn/xczg/9.html", UNITS[0], title="市林业局巡察整改情况公开"
        )
        rows = copies(archive.db, own)
        assert [r["page_id"] for r in rows] == [own, again]
        assert rows[1]["same_notice"] == "issuer and round"
        assert (rows[1]["issuer"], rows[1]["round"]) == ("中共某市林业局党组", "市委第一轮")
        assert rows[1]["similarity"] == 1.0
        assert [r["page_id"] for r in copies(archive.db, other)] == [other]
    listed = cli_output("--db", str(db), "copies", "http://city.gov.cn/xczg/9.html")
    assert "issuer 中共某市林业局党组 · round 市委第一轮  (same issuer and round)" in listed
    clusters = json.loads(cli_output("--db", str(db), "republished", "--json"))
    assert [[c["same_notice"] for c in cluster["copies"]] for cluster in clusters] == [
        ["this page", "issuer and round"]
    ]


def test_without_an_issuer_the_titles_decide():
    title = "关于区委第三轮巡察整改情况的通报"
    unknown = Identity(None, "区委第三轮", title)
    assert basis(unknown, Identity("中共某区水利局党组", "区委第三轮", title)) == "title and round"
    assert basis(unknown, Identity(None, None, "中共某区教育局党组关于巡察整改情况的通报")) is None
    # one round written with and without its 届; one unit with and without its city
    assert basis(
        Identity("中共厦门市思明区委", "十一届省委第六轮", "a"),
        Identity("思明区委", "省委第六轮", "b"),
    ) == ("issuer and round")
    assert (
        basis(Identity("中共某县委", None, "a"), Identity("中共某县委办公室党支部", None, "a"))
        is None
    )
    assert (
        basis(Identity("中共某县委", "省委第五轮", "a"), Identity("中共某县委", "省委第六轮", "a"))
        is None
    )


# the schema before copies knew what a notice is (the migrations are ordered at merge)
BEFORE = next(i for i, script in enumerate(MIGRATIONS) if "ADD COLUMN basis" in script)


def test_the_migration_derives_the_clusters_again(tmp_path):
    """An archive whose clusters joined one template's units: after the migration, only the
    republication is a copy."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    register_functions(conn)
    for script in MIGRATIONS[:BEFORE]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {BEFORE}")
    pages = [*UNITS, UNITS[0]]  # page 6 republishes page 1
    for page_id, unit in enumerate(pages, 1):
        conn.execute(
            "INSERT INTO pages (id, url, first_seen, state, current_version) "
            "VALUES (?, ?, '2026-01-01T00:00:00Z', 'live', 1)",
            [page_id, f"http://city.gov.cn/{page_id}.html"],
        )
        conn.execute(
            "INSERT INTO versions (id, page_id, number, fetched_at, kind, title, text, "
            "content_hash, extractor, extractor_version) VALUES (?, ?, 1, "
            "'2026-01-01T00:00:00Z', 'new', ?, ?, 'h', 'x', '1')",
            [page_id, page_id, _title(unit[0], unit[1]), _text(*unit)],
        )
        conn.execute(
            "INSERT INTO notice_fields (version_id, parser_version, issuer, inspection_round) "
            "VALUES (?, '1', ?, ?)",
            [page_id, unit[0], unit[1].removesuffix("巡察")],
        )
        conn.execute("INSERT INTO copy_clusters VALUES (?, 1)", [page_id])  # all one cluster
    for a in range(1, len(pages) + 1):
        for b in range(a + 1, len(pages) + 1):
            conn.execute(
                "INSERT INTO copy_pairs VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
                [a, b, 1.0 if (a, b) == (1, 6) else 0.8],
            )
    conn.close()
    with Archive(path) as archive:
        clusters = republished(archive.db)
        assert [[c["page_id"] for c in cluster["copies"]] for cluster in clusters] == [[1, 6]]
        assert clusters[0]["copies"][1]["same_notice"] == "issuer and round"
        for page_id in (2, 3, 4, 5):
            assert [row["page_id"] for row in copies(archive.db, page_id)] == [page_id]
