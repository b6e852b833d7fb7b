"""A portal that cannot be reached is reported clearly; the others are still crawled."""

import re
import socket

from conftest import open_archive, run_cli, run_crawl


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_portal_is_reported(site, seeds_file, archive_path):
    port = _closed_port()
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
