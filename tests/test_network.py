"""Network faults: timeouts, resets, 5xx with backoff, redirect loops, DNS and TLS failures.

Each is reported for its portal; one dead portal never stops the others.
"""

from conftest import link_from_list, open_archive, run_cli, run_crawl, settings

TITLE = "中共厦门市同安区委关于巡视整改情况的通报"


def test_faults_are_reported_per_portal(site, tmp_path, archive_path):
    for path in ("/trap/slow.htm", "/trap/reset.htm", "/trap/503.htm", "/trap/loop-a.htm"):
        link_from_list(site, path, TITLE)
    seeds = tmp_path / "s.toml"
    dns = '\n[[portal]]\nid = "nodns"\nname = "无解析"\nstart_urls = ["http://portal.invalid/"]\nallowed_domains = ["portal.invalid"]\n'
    seeds.write_text(site.seeds_toml(["sample-ta", "sample-sm"]) + dns, "utf-8")
    result = run_crawl(
        seeds, archive_path, *settings(BROWSER_ENABLED=False, DOWNLOAD_TIMEOUT=1, RETRY_TIMES=2)
    )
    assert result.returncode == 1  # a whole portal (nodns) failed
    assert "portal nodns unreachable" in result.stderr and "DNS" in result.stderr
    with open_archive(archive_path) as archive:
        # the other portals were crawled completely
        assert {p["url"] for p in archive.list_pages()} == site.archived_urls(
            ["sample-ta", "sample-sm"]
        )
        errors = {
            f["url"].rsplit("/", 1)[1]: f["detail"]
            for f in archive.db.query("SELECT url, detail FROM fetches WHERE outcome = 'error'")
        }
    assert "Timeout" in errors["slow.htm"] or "took longer" in errors["slow.htm"]
    assert "reset.htm" in errors
    assert errors["503.htm"] == "HTTP 503"
    paths = [path for _, path, _ in site.requests]
    assert paths.count("/trap/503.htm") == 3  # the first try and two retries, with backoff
    assert "'retry/backoff_seconds'" in result.stderr
    assert paths.count("/trap/loop-a.htm") == 1 and paths.count("/trap/loop-b") == 1
    report = run_cli("--db", str(archive_path), "run", "1").stdout
    assert "UNREACHABLE" in report and "portal.invalid" in report and "HTTP 503" in report


def _tls_seeds(tmp_path, base: str):
    seeds = tmp_path / "tls.toml"
    seeds.write_text(
        f'[[portal]]\nid = "oldtls"\nname = "旧证书门户"\nstart_urls = ["{base}/ta/index.htm"]\n'
        'allowed_domains = ["127.0.0.1"]\n',
        "utf-8",
    )
    return seeds


def test_invalid_certificate_is_refused_by_default(tls_site, tmp_path, archive_path):
    result = run_crawl(_tls_seeds(tmp_path, tls_site), archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 1
    assert "portal oldtls unreachable" in result.stderr


def test_invalid_certificate_can_be_allowed(site, tls_site, tmp_path, archive_path):
    result = run_crawl(
        _tls_seeds(tmp_path, tls_site),
        archive_path,
        "-s",
        "BROWSER_ENABLED=False",
        "-s",
        "TLS_ALLOW_INVALID=True",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with open_archive(archive_path) as archive:
        assert archive.stats()["pages"] == site.archived(["sample-ta"])
