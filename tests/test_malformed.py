"""Malformed content and crawler traps: bounded, counted, never crashing the crawl."""

import gzip
import os

from demo.server import Page
from notice.urls import canonical_url

from conftest import link_from_list, open_archive, run_crawl, settings

NOTICE = "/ta/xxgk/content/2023-11/03/content_88.htm"
TITLE = "中共厦门市同安区委关于巡视整改情况的通报"
HTML = "text/html; charset=utf-8"
LINKS = 6_000  # more than the crawl's PAGE_MAX_LINKS (5,000)


def test_hostile_pages_are_bounded(site, tmp_path, archive_path):
    real = site.pages[NOTICE].body
    pages = {
        "/ta/bad/truncated.htm": Page(real[: len(real) // 2], "text/html"),
        "/ta/bad/binary.htm": Page(os.urandom(20000), "text/html"),
        "/ta/bad/empty.htm": Page(b"", "text/html"),
        "/ta/bad/huge.htm": Page(
            b"<html><body>" + "巡".encode() * 2_000_000 + b"</body></html>", HTML
        ),
        "/ta/bad/bomb.htm": Page(
            gzip.compress(b"\0" * 50_000_000), HTML, headers={"Content-Encoding": "gzip"}
        ),
        "/ta/bad/links.htm": Page(
            (
                "<html><title>更多链接</title><body>"
                + "".join(f'<a href="/ta/x/{i}.htm">第{i}条</a>' for i in range(LINKS))
                + "</body></html>"
            ).encode(),
            HTML,
        ),
    }
    site.pages.update(pages)
    for path in pages:
        link_from_list(site, path, "更多" if path.endswith("links.htm") else TITLE)
    link_from_list(site, "/trap/calendar?day=0", "巡视巡察")  # an endless calendar, one column deep
    link_from_list(site, f"{NOTICE};jsessionid=ABC123", TITLE)  # the same notice with a session id
    seeds = tmp_path / "ta.toml"
    seeds.write_text(
        site.seeds_toml(["sample-ta"]).replace('"127.0.0.1"]', '"127.0.0.1"]\nmax_depth = 6')
    )
    result = run_crawl(
        seeds,
        archive_path,
        *settings(BROWSER_ENABLED=False, DOWNLOAD_MAXSIZE=4000000, LIST_MAX_PAGES=5),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    paths = [path for _, path, _ in site.requests]
    # the notice was fetched once although linked with a session id too
    assert paths.count(NOTICE) == 1
    # the calendar was not followed forever
    assert sum(p.startswith("/trap/calendar") for p in paths) <= 6
    assert "/ta/bad/links.htm" in paths, paths
    # the page of LINKS links was read only up to the link limit; none of its links are notices
    assert "'portal/sample-ta/links_truncated': 1" in result.stderr
    with open_archive(archive_path) as archive:
        urls = {page["url"] for page in archive.list_pages()}
        assert site.url(NOTICE) in urls
        for bad in ("binary", "empty", "huge", "bomb"):
            assert site.url(f"/ta/bad/{bad}.htm") not in urls
        errors = {
            f["url"]: f["detail"]
            for f in archive.db.query("SELECT url, detail FROM fetches WHERE outcome = 'error'")
        }
        assert any("huge" in url for url in errors)
        assert any("bomb" in url for url in errors)
        assert archive.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert "'portal/sample-ta/dropped/parse_failed'" in result.stderr  # the empty page


def test_session_ids_do_not_make_new_pages():
    base = "http://www.xm.gov.cn/a/t20250101_1.htm"
    assert canonical_url(base + ";jsessionid=ABC") == base
    assert canonical_url(base + "?sid=9&PHPSESSID=x") == base
