"""End to end: a real `scrapy crawl` of the sample portal on a real HTTP server."""

import json
import re

from crawler.summary import COLUMNS
from notice.normalize import clean_lines, content_hash

from conftest import open_archive, run_cli


def _by_url(archive) -> dict:
    return {page["url"]: page for page in archive.list_pages()}


def test_crawl_finds_exactly_the_notices_with_clean_text(site, crawl, archive_path):
    result = crawl()
    with open_archive(archive_path) as archive:
        pages = _by_url(archive)
        notices = {site.url(item.path) for item in site.notices(site.http_portals)}
        attachments = {site.url(a["path"]) for a in site.attachments(site.http_portals)}
        assert set(pages) == notices | attachments
        for item in site.notices(site.http_portals):
            version = archive.version(site.url(item.path))
            assert version["title"] == item.title
            assert version["published"] == item.date
            # every body paragraph, in order, and nothing else (no chrome string left)
            assert version["text"] == clean_lines("\n".join(item.paragraphs))
            assert content_hash(version["text"]) == content_hash("\n".join(item.paragraphs))
            assert version["extractor"] == ("pdf-text" if item.document else "gov-trafilatura")
    # the summary: one row per portal, its notices and files counted as archived
    for portal in site.http_portals:
        row = _summary_row(result.stdout, portal)
        assert row["notices"] == len(site.notices([portal])), (portal, row)
        assert row["files"] == len(site.attachments([portal])), (portal, row)
        assert row["new"] == site.archived([portal]), (portal, row)
        assert row["errors"] == 0, (portal, row)


def _summary_row(stdout: str, portal: str) -> dict[str, int]:
    """A portal's row of the crawl summary, by column name (the counts; "found by" follows)."""
    lines = stdout.splitlines()
    header = next(line.split() for line in lines if line.split()[:1] == ["portal"])
    row = next(line.split() for line in lines if line.split()[:1] == [portal])
    names = header[1 : 1 + len(COLUMNS)]
    assert names == [name for name, _ in COLUMNS], header
    return {name: int(value) for name, value in zip(names, row[1:], strict=False)}


def test_no_chrome_survives_extraction(site, crawl, archive_path):
    crawl()
    chrome = [
        "当前位置",
        "您当前的位置",
        "扫一扫",
        "字体大小",
        "打印",
        "关闭",
        "分享到",
        "i厦门微信",
        "闽政通APP",
        "网站标识码",
        "ICP备",
        "公网安备",
        "版权所有",
        "主办单位",
        "相关链接",
        "访问者",
        "责任编辑",
        "上一篇",
        "浏览次数",
        "发布时间",
    ]
    with open_archive(archive_path) as archive:
        for page in archive.list_pages():
            text = archive.version(page["url"])["text"]
            for word in chrome:
                assert word not in text, (word, page["url"])


def test_non_notices_are_not_archived_and_counted(site, crawl, archive_path):
    result = crawl()
    with open_archive(archive_path) as archive:
        urls = set(_by_url(archive))
    for item in site.non_notices(site.http_portals):
        assert site.url(item.path) not in urls
    # the 详情 link was fetched and decided from the page itself
    assert any(path.endswith("art_1234_4990.html") for _, path, _ in site.requests)
    # the column titled like a notice was read as a list, not archived
    assert "/xm/zwgk/xszg/" in [path for _, path, _ in site.requests]
    assert "portal/sample-xm/pages_seen" in result.stderr


def test_encodings_detected_and_recorded(site, crawl, archive_path):
    crawl()
    with open_archive(archive_path) as archive:
        gbk = archive.version(site.url("/ta/xxgk/content/2023-11/03/content_88.htm"))
        assert "林堃" in gbk["text"] and "王镕" in gbk["text"]
        assert gbk["metadata"]["encoding"] == "gb18030"
        assert gbk["metadata"]["header_charset_wrong"] is True
        utf8 = archive.version(site.url("/xm/zwgk/tzgg/202109/t20210930_1870.htm"))
        assert "巡视“回头看”" in utf8["text"]
        assert utf8["metadata"]["header_charset_wrong"] is True


def test_scope_robots_and_politeness(site, crawl):
    crawl()
    hosts = {headers.get("Host", "") for _, _, headers in site.requests}
    assert all(host.startswith("127.0.0.1") for host in hosts), hosts
    paths = [path for _, path, _ in site.requests]
    assert "/robots.txt" in paths
    assert not any(path.startswith("/xm/private/") for path in paths)
    agents = {headers.get("User-Agent", "") for _, _, headers in site.requests}
    assert all(agent.startswith("rectification-archive/") for agent in agents)
    # each page fetched once although several links lead to it
    pages = [p for p in paths if p != "/robots.txt"]
    assert len(pages) == len(set(pages))


def test_second_crawl_writes_no_version(site, crawl, archive_path):
    crawl()
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        assert archive.stats()["versions"] == site.archived(site.http_portals)
        outcomes = [
            f["outcome"] for page in archive.list_pages() for f in archive.fetches(page["url"])[1:]
        ]
    # portals that send validators answer 304; the Siming portal shows a visitor counter (its
    # pages are chrome-only changes); the Hanweb one sends no validators and is unchanged
    assert sorted(set(outcomes)) == ["chrome-only", "not-modified", "unchanged"]


def test_edit_gives_version_two_and_diff_shows_it(site, crawl, archive_path):
    crawl()
    path = "/sm/art/2025/12/25/art_1234_5678.html"
    site.edit_text(path, "制定212条整改措施", "制定215条整改措施")
    crawl("-a", "full=1")
    url = site.url(path)
    with open_archive(archive_path) as archive:
        assert [v["number"] for v in archive.versions(url)] == [1, 2]
        assert archive.version(url, 2)["kind"] == "changed"
    out = run_cli("--db", str(archive_path), "diff", url, "--format", "json")
    assert out.returncode == 0, out.stderr
    blocks = json.loads(out.stdout)["blocks"]
    assert len(blocks) == 1
    changed = [s for s in blocks[0]["segments"] if s["op"] != "equal"]
    assert [(s["old"], s["new"]) for s in changed] == [("2", "5")]
    text = run_cli("--db", str(archive_path), "diff", url, "--no-color").stdout
    assert "[-2-]" in text and "{+5+}" in text


def test_footer_only_change_is_chrome_only(site, crawl, archive_path):
    crawl()
    path = "/xm/zwgk/tzgg/202202/t20220222_2061.htm"
    site.edit_raw(path, "版权所有：厦门市人民政府", "版权所有：厦门市人民政府 2026")
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        fetches = archive.fetches(site.url(path))
        assert [f["outcome"] for f in fetches] == ["new", "chrome-only"]
        assert len(archive.versions(site.url(path))) == 1


def test_removed_notice_is_gone_then_returns(site, crawl, archive_path):
    crawl()
    path = "/ta/xxgk/content/2023-11/03/content_88.htm"
    saved = site.pages[path]
    site.remove(path)
    # the list still links it, so the recrawl fetches it and sees 404
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        assert archive.page(site.url(path))["state"] == "gone"
    site.pages[path] = saved
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        page = archive.page(site.url(path))
        assert page["state"] == "live"
        fetches = archive.fetches(site.url(path))
        # it came back unchanged: its server answered 304 to the validators kept from before
        assert [f["outcome"] for f in fetches] == ["new", "gone", "not-modified"]
        assert fetches[-1]["detail"] == "returned after being gone"


def test_reextract_records_extractor_change_only_when_text_differs(site, crawl, archive_path):
    crawl()
    out = run_cli("reextract", "--db", str(archive_path), module="crawler")
    assert out.returncode == 0, out.stderr
    assert "0 with a new version" in out.stdout
    with open_archive(archive_path) as archive:
        assert archive.stats()["versions"] == site.archived(site.http_portals)


def test_offsite_redirect_not_followed(site, crawl):
    result = crawl()
    paths = [path for _, path, _ in site.requests]
    # the in-scope column was requested, its redirect to another host was not followed
    assert "/xm/zwgk/xsxc/" in paths
    assert "/xm/offsite.html" not in paths
    assert re.search(r"'portal/sample-xm/out_of_scope': [1-9]", result.stderr)


def test_moved_notice_records_redirect(site, crawl, archive_path):
    crawl()
    old = "/xm/zwgk/tzgg/202109/t20210930_1870.htm"
    new = "/xm/zwgk/tzgg/202109/t20210930_1870_new.htm"
    site.move(old, new)
    # the old URL is still linked from an older list page
    site.edit_raw(
        "/xm/zwgk/tzgg/index_1.html",
        "</ul>",
        f'<li><a href="{old}">中共厦门市集美区委关于巡视“回头看”整改情况的通报</a></li></ul>',
    )
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        page = archive.page(site.url(old))
        assert page["state"] == "redirected", archive.fetches(site.url(old))
        assert page["redirect_to"] == site.url(new)
        assert archive.page(site.url(new))["current_version"] == 1


def test_seed_can_opt_out_of_robots_with_a_reason(site, tmp_path, archive_path):
    from conftest import run_crawl

    seeds = tmp_path / "xm.toml"
    reason = 'robots = false\nrobots_reason = "the private column is public notices"\n'
    seeds.write_text(site.seeds_toml(["sample-xm"], {"sample-xm": reason}), "utf-8")
    result = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0
    assert "/xm/private/" in [path for _, path, _ in site.requests]


def test_columns_linked_only_by_pictures_are_read(site, crawl, archive_path):
    # the inspection column's link is a picture named by its alt; a 专题 is a picture with no
    # words at all (fetched last, as a candidate), and turns out to list the notices
    column = "/xm/zwgk/"
    site.edit_raw(
        column,
        '<a href="/xm/zwgk/xszg/">巡视整改情况公开</a>',
        '<a href="/xm/zwgk/xszg/"><img src="/xm/images/xszg.jpg" alt="巡视整改情况公开"></a>'
        '<a href="/xm/zt/xcgz/"><img src="/xm/images/banner.jpg"></a>',
    )
    site.pages["/xm/zt/xcgz/"] = site.pages["/xm/zwgk/xszg/"]
    crawl()
    requested = [path for _, path, _ in site.requests]
    assert "/xm/zwgk/xszg/" in requested
    assert "/xm/zt/xcgz/" in requested
    assert "/xm/images/xszg.jpg" not in requested and "/xm/images/banner.jpg" not in requested
    with open_archive(archive_path) as archive:
        assert set(_by_url(archive)) >= site.archived_urls(["sample-xm"])
