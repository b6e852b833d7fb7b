"""A quiet removal is seen the night it happens: once a portal's listing is complete, the
known notices no list links any more are fetched before the crawl ends (spider_idle),
whatever the revisit policy says."""

from conftest import open_archive


def test_unlisted_and_removed_notice_is_seen_gone_in_the_next_crawl(site, crawl, archive_path):
    crawl()
    removed = "/ta/xxgk/content/2023-11/03/content_88.htm"  # old: not due for weeks
    kept = "/sm/art/2024/8/16/art_1234_4990.html"
    site.unlist(removed)
    site.remove(removed)
    site.unlist(kept)  # taken off its list, still answering
    site.requests.clear()
    result = crawl()  # no full=1: the revisit policy alone would not fetch them
    paths = [path for _, path, _ in site.requests]
    assert removed in paths and kept in paths
    with open_archive(archive_path) as archive:
        assert archive.page(site.url(removed))["state"] == "gone"
        page = archive.page(site.url(kept))
        assert page["state"] == "live" and page["delisted_since"] is not None
    assert "'portal/sample-ta/unlisted_checked': 1" in result.stderr
    # the notice's attachments are linked by it, not by lists: not checked as unlisted
    assert "'portal/sample-sm/unlisted_checked': 1" in result.stderr
    # other old notices, still listed and not due, were not fetched again
    assert "/xm/zwgk/tzgg/202109/t20210930_1870.htm" not in paths
