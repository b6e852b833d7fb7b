"""Copies of a notice across portals and URLs: matching, clusters, diffs with figures."""

import json

import pytest
from texts import paragraphs

from archive import Archive, PageContent
from archive.copies import copies, republished
from notice.signature import jaccard, shingles

from conftest import cli_output, open_archive, run_cli, run_crawl

SM = "/sm/art/2025/12/25/art_1234_5678.html"
HW = "/hw/art/2025/12/25/art_5678_100.html"  # the Siming notice republished on another portal
XM = "/xm/zwgk/tzgg/202202/t20220222_2061.htm"  # another notice with the same title pattern


def test_republished_copy_with_an_edited_paragraph_is_matched(site, crawl, archive_path):
    site.edit_text(HW, "制定212条整改措施", "制定215条整改措施")
    site.edit_text(HW, "“三合一”场所排查整改率99.8%", "“三合一”场所排查整改率99.5%")
    crawl()
    with open_archive(archive_path) as archive:
        rows = copies(archive.db, archive.page(site.url(SM))["id"])
        assert [r["url"] for r in rows] == [site.url(SM), site.url(HW)]
        assert 0.7 <= rows[1]["similarity"] < 1.0
        assert [r["url"] for r in copies(archive.db, archive.page(site.url(XM))["id"])] == [
            site.url(XM)
        ]
        clusters = republished(archive.db)
        assert sorted(len(c["copies"]) for c in clusters) == [2, 2]  # Siming and Tong'an notices
    out = cli_output("--db", str(archive_path), "diff", site.url(SM), site.url(HW))
    assert "figures: 212条 → 215条; 99.8% → 99.5%" in out
    listed = cli_output("--db", str(archive_path), "copies", site.url(HW))
    assert "sample-sm" in listed and "this page" in listed
    clusters = json.loads(cli_output("--db", str(archive_path), "republished", "--json"))
    urls = [sorted(row["url"] for row in cluster["copies"]) for cluster in clusters]
    assert sorted([site.url(SM), site.url(HW)]) in urls and len(urls) == 2


def test_in_place_edit_stays_in_its_cluster_and_cluster_report(site, tmp_path, archive_path):
    # the Huli copy is archived a run before the Siming page: it is the first published copy
    # (both pages say 2025-12-25), so the cluster report compares Siming's page with it
    hw_only = tmp_path / "hw.toml"
    hw_only.write_text(site.seeds_toml(["sample-hw"]), "utf-8")
    everything = tmp_path / "all.toml"
    everything.write_text(site.seeds_toml(site.http_portals), "utf-8")
    for seeds in (hw_only, everything):
        assert run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False").returncode == 0
    site.edit_text(SM, "已建立健全123项工作制度", "已建立健全125项工作制度<script>x</script>")
    result = run_crawl(everything, archive_path, "-s", "BROWSER_ENABLED=False", "-a", "full=1")
    assert result.returncode == 0, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        assert archive.page(site.url(SM))["current_version"] == 2
        cluster = copies(archive.db, archive.page(site.url(SM))["id"])
        assert [r["url"] for r in cluster] == [site.url(HW), site.url(SM)]
    page = cli_output(
        "--db", str(archive_path), "diff", "--cluster", site.url(SM), "--format", "html"
    )
    assert "figures: 123项 → 125项" in page
    assert "<script>x" not in page and "&lt;script&gt;" in page
    assert page.count("<table>") == 1
    text = cli_output("--db", str(archive_path), "diff", "--cluster", site.url(HW))
    assert "figures: 123项 → 125项" in text
    assert text == cli_output("--db", str(archive_path), "diff", "--cluster", site.url(SM))


OPENING = "根据区委统一部署，区委巡察组对本单位开展了常规巡察，并反馈了巡察意见。按照党务公开原则和巡察工作有关要求，现将巡察整改情况予以公布。"
CLOSING = "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。联系电话：0592-1234567。"


def _body(seed: int, count: int = 12) -> str:
    return paragraphs(seed, count, words=30)


def _record(archive, n: int, text: str, title="中共某区委关于区委巡察整改情况的通报") -> int:
    return archive.record_page(
        f"http://x.gov.cn/t{n}.htm", PageContent(text=text, title=title), str(n).encode()
    ).page_id


def test_same_issuer_same_title_different_notices_do_not_cluster(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        first = _record(archive, 1, "\n".join([OPENING, _body(1), CLOSING]))
        second = _record(archive, 2, "\n".join([OPENING, _body(2), CLOSING]))
        assert len(copies(archive.db, first)) == 1 and len(copies(archive.db, second)) == 1


def test_copy_with_other_spacing_and_punctuation_is_identical(tmp_path):
    text = "\n".join([OPENING, _body(3), CLOSING])
    other = text.replace("，", ",").replace("。", ". ").replace("\n", "\n\u3000\u3000")
    assert jaccard(shingles(text), shingles(other)) == 1.0
    with Archive(tmp_path / "a.db") as archive:
        first = _record(archive, 1, text)
        _record(archive, 2, other)
        assert [r["similarity"] for r in copies(archive.db, first)] == [1.0, 1.0]


def test_threshold_is_a_setting(tmp_path):
    text = "\n".join([OPENING, _body(4), CLOSING])
    edited = text.replace(text.splitlines()[3], _body(5, 1))
    with Archive(tmp_path / "a.db", copy_threshold=0.99) as archive:
        first = _record(archive, 1, text)
        _record(archive, 2, edited)
        assert len(copies(archive.db, first)) == 1
        pair = archive.db.execute("SELECT similarity FROM copy_pairs").fetchone()[0]
        assert 0.7 < pair < 0.99
        archive.copy_threshold = 0.7
        assert archive.index_copies(rebuild=True) == 2
        assert len(copies(archive.db, first)) == 2


def test_matching_never_compares_all_pairs(tmp_path, monkeypatch):
    from archive import copies as copies_module

    compared = []
    original = copies_module.jaccard
    monkeypatch.setattr(copies_module, "jaccard", lambda a, b: compared.append(1) or original(a, b))
    with Archive(tmp_path / "a.db") as archive:
        for n in range(300):
            _record(archive, n, _body(1000 + n, 6), title=f"通报{n}")
        _record(archive, 999, _body(1000 + 7, 6), title="转载")
    # 300 distinct notices and one copy: a handful of band collisions, not 45,000 comparisons
    assert len(compared) < 300


@pytest.mark.parametrize(
    "command", [["copies", "http://nope"], ["diff", "--cluster", "http://nope"]]
)
def test_unknown_url_errors(tmp_path, command):
    Archive(tmp_path / "a.db").close()
    result = run_cli("--db", str(tmp_path / "a.db"), *command)
    assert result.returncode == 1
    assert result.stderr == "Error: no page in the archive with URL http://nope\n"
