"""A portal that cannot be reached is reported clearly; the others are still crawled."""

import re

from demo.server import Page

from conftest import closed_port, open_archive, run_cli, run_crawl, settings


def test_unreachable_portal_is_reported(site, seeds_file, archive_path):
    port = closed_port()
    seeds_file.write_text(
        seeds_file.read_text("utf-8") + f'\n[[portal]]\nid = "dead"\nname = "不可达门户"\n'
        f'start_urls = ["http://127.0.0.1:{port}/"]\nallowed_domains = ["127.0.0.1"]\n',
        "utf-8",
    )
    result = run_crawl(seeds_file, archive_path, "-s", "BROWSER_ENABLED=False")
    log = "\n".join(
        line for line in result.stderr.splitlines() if "ERROR" in line or "WARN" in line
    )
    assert result.returncode == 1, log  # a whole portal failed
    assert "portal dead unreachable" in result.stderr
    # one line per failure (its robots.txt, its start page), no traceback
    logged = [line for line in result.stderr.splitlines() if re.match(r"\d{4}-\d\d-\d\d ", line)]
    dead = [line for line in logged if f"127.0.0.1:{port}/" in line]
    assert len(dead) == 2, dead
    assert f"Gave up retrying <GET http://127.0.0.1:{port}/robots.txt>" in dead[0]
    assert f"portal dead unreachable: http://127.0.0.1:{port}/ (" in dead[1]
    assert "Traceback" not in result.stderr
    # no Telnet console or remote-control server, and no deprecation warnings
    for word in ("Telnet", "telnet", "Remote control", "password", "DeprecationWarning"):
        assert word not in result.stderr, word
    summary = [line for line in result.stdout.splitlines() if line.startswith("dead")]
    assert summary and "UNREACHABLE" in summary[0]
    with open_archive(archive_path) as archive:
        found = {page["url"] for page in archive.list_pages()}
    assert found == site.archived_urls(site.http_portals), log
    report = run_cli("--db", str(archive_path), "run", "1")
    assert report.returncode == 0, report.stderr
    assert any(
        line.startswith("dead") and "UNREACHABLE" in line for line in report.stdout.splitlines()
    )
    assert f"http://127.0.0.1:{port}/" in report.stdout.split("errors:")[1]


def test_forty_portals_with_ten_unreachable(site, tmp_path, archive_path):
    """Ten dead hosts (nothing listens there) among forty portals: each is tried as often as
    the retry setting allows, all at once rather than one after another, and reported first."""
    live = site.http_portals
    toml = site.seeds_toml(live)
    for i in range(40 - 10 - len(live)):
        site.pages[f"/mini{i}/"] = Page(
            # an empty list of one page (a portal that read no list is incomplete: a problem)
            f"<html><head><title>门户{i}</title></head><body><h1>门户{i}</h1>"
            "<p>暂无信息 共1页</p></body></html>".encode(),
            "text/html; charset=utf-8",
        )
        toml += (
            f'\n[[portal]]\nid = "mini{i}"\nname = "门户{i}"\n'
            f'start_urls = ["{site.url(f"/mini{i}/")}"]\nallowed_domains = ["127.0.0.1"]\n'
        )
    port = closed_port()
    dead = [f"127.0.0.{i}" for i in range(2, 12)]  # loopback addresses nothing is bound to
    for n, host in enumerate(dead):
        toml += (
            f'\n[[portal]]\nid = "dead{n}"\nname = "不可达{n}"\n'
            f'start_urls = ["http://{host}:{port}/"]\nallowed_domains = ["{host}"]\n'
        )
    seeds = tmp_path / "forty.toml"
    seeds.write_text(toml, "utf-8")
    backoff = 1.5  # long enough that trying the hosts in turn would show, no longer
    result = run_crawl(
        seeds,
        archive_path,
        *settings(BROWSER_ENABLED=False, RETRY_TIMES=1, RETRY_BACKOFF_BASE=backoff),
    )
    assert result.returncode == 1
    assert "Crawl finished (finished)" in result.stdout
    for n, host in enumerate(dead):
        # robots.txt and the start page, each tried twice (RETRY_TIMES=1), then given up
        assert f"Gave up retrying <GET http://{host}:{port}/robots.txt> (failed 2 times)" in (
            result.stderr
        )
        assert result.stderr.count(f"portal dead{n} unreachable: http://{host}:{port}/") == 1
    rows = [line for line in result.stdout.splitlines() if line[:4] in ("dead", "mini", "samp")]
    assert len(rows) == 40
    # portals with problems first: every unreachable one before every portal without any
    unreachable = [i for i, row in enumerate(rows) if "UNREACHABLE" in row]
    fine = [i for i, row in enumerate(rows) if row.startswith("mini")]
    assert len(unreachable) == len(dead) and max(unreachable) < min(fine), rows
    # the dead hosts were waited on together: the whole crawl took less than trying them in
    # turn would have (each backs off twice: before its robots.txt's retry and its page's)
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", result.stderr).group(1))
    assert elapsed < len(dead) * 2 * backoff, elapsed
    with open_archive(archive_path) as archive:
        found = {page["url"] for page in archive.list_pages()}
    assert found == site.archived_urls(live)
