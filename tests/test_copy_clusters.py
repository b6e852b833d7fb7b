"""Copy clusters stay true: a page whose new version is no longer a copy leaves its cluster,
and a similarity reads the same whichever page of the pair is asked."""

import json

from texts import paragraphs

from archive import Archive, PageContent
from archive.copies import copies, republished

from conftest import cli_output


def _text(seed: int) -> str:
    return paragraphs(seed, 8, words=40, vocabulary=16)


def _url(n: int) -> str:
    return f"http://p{n}.gov.cn/t20251225_{n}.htm"


def _record(archive: Archive, n: int, text: str) -> int:
    return archive.record_page(
        _url(n), PageContent(text=text, title="巡视整改情况通报"), text.encode()
    ).page_id


def _cluster_urls(archive: Archive, page_id: int) -> list[str]:
    return sorted(r["url"] for r in copies(archive.db, page_id))


def test_a_page_rewritten_into_another_notice_leaves_its_cluster(tmp_path):
    db = tmp_path / "a.db"
    text = _text(1)
    with Archive(db) as archive:
        first = _record(archive, 1, text)
        second = _record(archive, 2, text + "\n转载时加的一句。")
        third = _record(archive, 3, text.replace("项。", "项；"))
        assert _cluster_urls(archive, first) == [_url(1), _url(2), _url(3)]
        _record(archive, 2, _text(2))  # the second page now carries another notice
        assert _cluster_urls(archive, first) == [_url(1), _url(3)]
        assert _cluster_urls(archive, second) == [_url(2)]
        assert (
            archive.db.execute(
                "SELECT count(*) FROM copy_pairs WHERE (page_a = ? OR page_b = ?) AND similarity >= 0.7",
                [second, second],
            ).fetchone()[0]
            == 0
        )
        assert [len(c["copies"]) for c in republished(archive.db)] == [2]
        _record(archive, 1, _text(3))  # and the first too: the cluster is gone
        assert republished(archive.db) == []
        assert _cluster_urls(archive, third) == [_url(3)]
    listed = cli_output("--db", str(db), "copies", _url(2), "--json")
    assert [r["url"] for r in json.loads(listed)] == [_url(2)]
    report = cli_output("--db", str(db), "diff", "--cluster", _url(3))
    assert report == "(no other copies)\n"


def test_a_chain_of_copies_splits_where_it_breaks(tmp_path):
    ours, other = _text(4).splitlines(), _text(40).splitlines()
    with Archive(tmp_path / "a.db") as archive:
        a = _record(archive, 1, "\n".join(ours))
        _record(archive, 2, "\n".join(ours[:7] + other[:1]))
        c = _record(archive, 3, "\n".join(ours[:6] + other[:2]))
        # a and c are copies only through b: a-b and b-c reach the threshold, a-c does not
        pair = "SELECT similarity FROM copy_pairs WHERE page_a = ? AND page_b = ?"
        assert archive.db.execute(pair, [a, c]).fetchone()[0] < 0.7
        assert len(copies(archive.db, a)) == 3
        _record(archive, 2, _text(5))  # the middle copy is rewritten
        assert [r["page_id"] for r in copies(archive.db, a)] == [a]
        assert [r["page_id"] for r in copies(archive.db, c)] == [c]


def test_similarity_is_the_same_from_either_page(tmp_path):
    text = _text(6)
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        one = _record(archive, 1, text)
        _record(archive, 2, text + "\n附：联系电话。")
        three = _record(archive, 3, text + "\n附：联系电话。\n另：监督邮箱。\n再：通讯地址。")
        for page in (one, three):
            rows = copies(archive.db, page)
            assert {r["page_id"] for r in rows} == {1, 2, 3}
        for a in (1, 2, 3):
            for b in (1, 2, 3):
                sim_ab = next(r["similarity"] for r in copies(archive.db, a) if r["page_id"] == b)
                sim_ba = next(r["similarity"] for r in copies(archive.db, b) if r["page_id"] == a)
                assert sim_ab == sim_ba
    reports = [cli_output("--db", str(db), "diff", "--cluster", _url(n)) for n in (1, 2, 3)]
    assert reports[0] == reports[1] == reports[2]
    assert "similarity" in reports[0]
