"""Portals behind anti-bot vendors, served by a real local server answering as each vendor's
challenge does (status, headers, body): each is `blocked (vendor)` in the probe, the crawl's
summary and the health ledger, never unreachable, and nothing of it is archived."""

import json

from click.testing import CliRunner

from crawler.cli import cli
from demo.server import Page

from conftest import cli_output, open_archive, run_crawl
from vendor_pages import VENDORS

NAMES = sorted(VENDORS)


def _portal_id(i: int) -> str:
    return f"walled{i}"


def _serve_challenges(site) -> str:
    """Each vendor's challenge as a portal's start page; the seeds of those portals."""
    seeds = []
    for i, name in enumerate(NAMES):
        challenge = VENDORS[name]
        site.pages[f"/walled{i}/"] = Page(
            challenge.body.encode(),
            "text/html; charset=utf-8",
            challenge.status,
            headers=dict(challenge.headers),
        )
        seeds.append(
            f'[[portal]]\nid = "{_portal_id(i)}"\nname = "{name}门户"\nregion = "测试"\n'
            f'level = "county"\nstart_urls = ["{site.url(f"/walled{i}/")}"]\n'
            'allowed_domains = ["127.0.0.1"]\n'
        )
    return "\n".join(seeds)


def test_the_probe_names_each_vendor(site, tmp_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(_serve_challenges(site), "utf-8")
    result = CliRunner().invoke(cli, ["probe", str(seeds), "--json"])
    assert result.exit_code == 1
    reports = {r["portal"]: r for r in json.loads(result.stdout)}
    for i, name in enumerate(NAMES):
        report = reports[_portal_id(i)]
        label = VENDORS[name].vendor or VENDORS[name].rule
        assert report["blocked"] == f"blocked ({label})", report
        assert not any("unreachable" in p or p.startswith("HTTP ") for p in report["problems"])
        advice = 'render = "browser"' in report["problems"][-1]
        assert advice == VENDORS[name].passable, report["problems"]


def test_a_crawl_reports_blocked_portals_by_vendor(site, tmp_path, archive_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(_serve_challenges(site), "utf-8")
    result = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False", log_level=None)
    assert result.returncode == 1, result.stderr[-3000:]  # a portal could not be read
    assert "unreachable" not in (result.stdout + result.stderr).lower()
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if "walled" in line}
    with open_archive(archive_path) as archive:
        assert archive.stats()["versions"] == 0  # nothing of a blocked portal is archived
        ledger = {
            row["portal_id"]: row
            for row in archive.db.query("SELECT * FROM health_ledger WHERE run_id = 1")
        }
    for i, name in enumerate(NAMES):
        pid, challenge = _portal_id(i), VENDORS[name]
        label = challenge.vendor or challenge.rule
        assert rows[pid].endswith(f"BLOCKED ({label})"), rows[pid]
        assert f"portal {pid} blocked ({label}) at {site.url(f'/walled{i}/')}" in result.stderr
        browser_note = f"note: {pid} answers a JavaScript cookie challenge" in result.stdout
        assert browser_note == challenge.passable, result.stdout
        assert (ledger[pid]["blocked_by"], ledger[pid]["reachable"]) == (label, 0)
        assert f"health: {pid} new -> blocked (blocked by {label})" in result.stdout
    states = json.loads(cli_output("--db", str(archive_path), "health", "--json"))
    assert {s["portal"]: s["state"] for s in states} == {
        _portal_id(i): "blocked" for i in range(len(NAMES))
    }


def test_a_portal_opted_in_to_the_browser_passes_a_javascript_challenge(
    site, tmp_path, archive_path
):
    """加速乐's challenge in front of a portal: over HTTP it is blocked; with render =
    "browser", Chromium runs the challenge's script (the cookie assembled from single
    characters, the page loaded again, as any visitor's browser does) and the portal's
    notices are archived. The crawler itself sends no cookie."""
    challenge = VENDORS["加速乐"]
    home = site.pages["/sm/index.html"]
    cookies_sent = []

    def walled(method, path, query, form, headers):
        if not path.startswith("/walled-js/"):
            return None
        cookie = headers.get("Cookie", "")
        cookies_sent.append(cookie)
        if "__jsl_clearance_s=" in cookie:
            return home
        return Page(
            challenge.body.encode(),
            "text/html; charset=utf-8",
            challenge.status,
            headers=dict(challenge.headers),
        )

    site.routes.append(walled)
    portal = (
        '[[portal]]\nid = "walled-js"\nname = "加速乐门户"\nregion = "测试"\nlevel = "county"\n'
        f'start_urls = ["{site.url("/walled-js/")}"]\nallowed_domains = ["127.0.0.1"]\n'
    )
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(portal, "utf-8")
    over_http = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False", log_level=None)
    assert over_http.returncode == 1
    assert "BLOCKED (加速乐)" in over_http.stdout
    assert cookies_sent == [""]  # no cookie of its own, none computed

    seeds.write_text(portal + 'render = "browser"\n', "utf-8")
    rendered = run_crawl(seeds, archive_path, log_level=None)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    assert "BLOCKED" not in rendered.stdout
    assert any("__jsl_clearance_s=" in cookie for cookie in cookies_sent)
    with open_archive(archive_path) as archive:
        notices = archive.db.execute(
            "SELECT count(*) FROM notices WHERE portal = 'walled-js'"
        ).fetchone()[0]
    assert notices == sum(item.notice for item in site.items["sample-sm"]) > 0, rendered.stdout
    assert "health: walled-js blocked -> ok" in rendered.stdout
