"""Real `scrapy crawl`s of the explore portals whose notices only the sources crawlers read
(smp: a sitemap index with gzipped yearly sitemaps; rss: feeds) or only article joining
reaches (split: notices over several pages), from their home pages and domain alone, without
a browser; then recrawls: what changed is seen, what was judged is not fetched again."""

import gzip
import json
from pathlib import Path

import pytest
from explore_site import serve, sitemap
from explore_site.server import Answer

from notice.urls import canonical_url

from conftest import open_archive, run_crawl

PIDS = ("smp", "rss", "split")


def seeds(site, folder: Path, pids=PIDS) -> Path:
    from test_explore_portals import HOMES

    path = folder / "seeds.toml"
    path.write_text(
        "\n".join(
            f'[[portal]]\nid = "{pid}"\nname = "{site.portals[pid].name}"\n'
            f'start_urls = ["{site.url(HOMES[pid])}"]\nallowed_domains = ["127.0.0.1"]\n'
            for pid in pids
        ),
        "utf-8",
    )
    return path


def crawl(site, folder: Path, *extra: str, pids=PIDS) -> dict:
    """Crawl; the run's stats (no error logged)."""
    archive = folder / "archive.db"
    result = run_crawl(seeds(site, folder, pids), archive, "-s", "BROWSER_ENABLED=False", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.errors_logged, result.stderr[-5000:]
    with open_archive(archive) as db:
        row = next(iter(db.db.query("SELECT stats FROM runs ORDER BY id DESC LIMIT 1")))
    return json.loads(row["stats"])


def archived(folder: Path, site, pid: str) -> set[str]:
    prefix = site.url(f"/{pid}/")
    with open_archive(folder / "archive.db") as archive:
        return {p["url"] for p in archive.list_pages() if p["url"].startswith(prefix)}


def notices(site, pid: str) -> set[str]:
    return {canonical_url(site.url(i.path)) for i in site.notices(pid)}


def fetched_paths(site, start: int) -> list[str]:
    return [r.target for r in site.requests[start:]]


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    with serve() as site:
        stats = crawl(site, folder)
        yield site, folder, stats, len(site.requests)


def test_sitemaps_feeds_and_split_notices_find_every_notice_and_no_near_miss(first):
    site, folder, stats, _ = first
    for pid in PIDS:
        assert archived(folder, site, pid) == notices(site, pid), pid
    assert stats["portal/smp/found/sitemap"] == 2 and stats["portal/rss/found/feed"] == 2
    assert stats["portal/smp/source_skipped/not_article"] == 2  # the home page and column
    assert stats["portal/split/articles_joined"] == 2
    # every article of the sitemaps was fetched to be judged: 2 notices, 7 others dropped
    assert stats["portal/smp/source_fetched"] == 9


def test_every_list_of_the_crawl_is_in_its_coverage(first):
    _, folder, stats, _ = first
    with open_archive(folder / "archive.db") as archive:
        found = {p["portal"]: p for p in archive.coverage()["portals"]}
    assert all(found[pid]["complete"] for pid in PIDS), found
    kinds = sorted(row["kind"] for row in found["smp"]["lists"])
    # the 通知公告 column (its five latest), the index and its four sitemaps
    assert kinds == ["list", "sitemap", "sitemap", "sitemap", "sitemap", "sitemap index"]
    gz = next(r for r in found["smp"]["lists"] if r["list_url"].endswith("articles-2024.xml.gz"))
    assert (gz["stated_items"], gz["read_items"], gz["complete"]) == (3, 3, True)
    feeds = [r for r in found["rss"]["lists"] if r["kind"] == "feed"]
    assert sorted(r["stated_items"] for r in feeds) == [5, 6]
    assert stats["portal/smp/lists"] == 6 and stats["portal/smp/lists_incomplete"] == 0


def test_a_recrawl_reads_lastmod_and_fetches_only_what_changed(first):
    site, folder, _, before = first
    site.publish_later()  # a notice in the 2024 sitemap (dated back), one in the Atom feed
    edited = next(i for i in site.notices("smp") if i.id == "24817")
    edited.paragraphs[1] += "（已更新）"
    # its sitemap says it changed: later than the first crawl fetched it
    name = sitemap.ROOT + "sitemap/articles-2024.xml.gz"
    xml = gzip.decompress(site.pages[name].body).decode()
    xml = xml.replace(
        f"{edited.path}</loc><lastmod>{edited.date}", f"{edited.path}</loc><lastmod>2099-01-01"
    )
    site.pages[name] = Answer(gzip.compress(xml.encode(), mtime=0), "application/x-gzip")
    stats = crawl(site, folder)
    for pid in ("smp", "rss"):
        assert archived(folder, site, pid) == notices(site, pid), pid
    with open_archive(folder / "archive.db") as archive:
        assert archive.version(site.url(edited.path))["number"] == 2
        for url in archived(folder, site, "smp") | archived(folder, site, "rss"):
            assert archive.page(url)["delisted_since"] is None, url
    # the near misses judged by the first crawl are not fetched again (their lastmod is the same)
    again = fetched_paths(site, before)
    misses = [i.path for i in site.non_notices("smp") if i.list == "sitemap"]
    assert misses and not set(misses) & set(again), again
    assert stats["portal/smp/source_skipped/judged_before"] >= len(misses)


def test_an_edit_on_page_two_of_a_split_notice_is_a_new_version(tmp_path):
    with serve() as site:
        crawl(site, tmp_path, pids=("split",))
        item = next(i for i in site.notices("split") if i.parts == 3)
        url = site.url(item.path)
        edited = next(n for n, p in enumerate(item.paragraphs) if "风险点31个" in p)
        assert item.paragraphs[edited] in item.split()[1]  # on the second page
        item.paragraphs[edited] = item.paragraphs[edited].replace("31个", "33个")
        every = ("-s", 'REVISIT_POLICY={"*": 0}')
        crawl(site, tmp_path, *every, pids=("split",))
        with open_archive(tmp_path / "archive.db") as archive:
            versions = archive.versions(url)
            text = archive.version(url)["text"]
            fetches = archive.fetches(url)
        assert [v["number"] for v in versions] == [1, 2] and "梳理风险点33个" in text
        assert archived(tmp_path, site, "split") == notices(site, "split")  # no page of its own
        parts = [f for f in fetches if f["outcome"] == "part"]
        assert len(parts) == 4 and {f["version"] for f in parts} == {1, 2}
        crawl(site, tmp_path, *every, pids=("split",))  # nothing changed: unchanged
        with open_archive(tmp_path / "archive.db") as archive:
            assert archive.fetches(url)[-3]["outcome"] == "unchanged"
            assert len(archive.versions(url)) == 2
