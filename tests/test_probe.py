"""`python -m crawler probe`: a portal checked before its first crawl, against real servers."""

import json

from click.testing import CliRunner

from crawler.cli import cli
from crawler.columns import column_rank
from crawler.fingerprints import cms_families
from demo.server import Page

from conftest import closed_port

WAF_PAGE = (
    "<html><head><title>访问被拒绝</title></head><body>您的访问已被网站防火墙拦截</body></html>"
)


def _probe(seeds, *args: str):
    result = CliRunner().invoke(cli, ["probe", str(seeds), "--json", *args])
    return result.exit_code, {r["portal"]: r for r in json.loads(result.stdout)}


def _portal(pid: str, url: str, *, robots: bool = True) -> str:
    extra = "" if robots else 'robots = false\nrobots_reason = "test"\n'
    return (
        f'[[portal]]\nid = "{pid}"\nname = "{pid}"\nregion = "测试"\nlevel = "county"\n'
        f'start_urls = ["{url}"]\nallowed_domains = ["127.0.0.1"]\n{extra}\n'
    )


def test_sample_portals_are_usable_and_described(site, tmp_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(site.seeds_toml(), "utf-8")
    code, reports = _probe(seeds)
    assert code == 0
    assert all(r["usable"] and r["reachable"] and r["status"] == 200 for r in reports.values())
    assert all(r["robots"] == "allowed" and r["tls"] == "none" for r in reports.values())
    xm = reports["sample-xm"]
    assert xm["cms"] == ["TRS"]
    assert "TRS createPageHTML pagination (in 通知公告)" in xm["mechanisms"]
    # the inspection column ranks first; robots.txt keeps the probe out of the private one
    assert xm["columns"][0]["url"].endswith("/xm/private/")
    assert "/xm/private/" not in [path for _, path, _ in site.requests]
    assert "Hanweb" in reports["sample-hw"]["cms"]
    assert "hanweb list API (page) (in 巡视巡察)" in reports["sample-hw"]["mechanisms"]
    # a list its script reads from a named JSON API needs no browser
    assert "json list API (script) (in 通知公告)" in reports["sample-js"]["mechanisms"]
    assert reports["sample-js"]["needs_browser"] is False
    assert reports["sample-js"]["explore"] is None
    assert "pagination links (in 信息公开)" in reports["sample-ta"]["mechanisms"]
    assert reports["sample-oldj"]["mechanisms"] == ["list in a frame (in 信息公开)"]
    assert reports["sample-hwx"]["search"].endswith("&q={q}")


def test_script_built_list_without_an_api_needs_a_browser(site, tmp_path):
    page = (
        "<html><head><title>通知公告</title></head><body><ul id='newslist'></ul>"
        "<script>fetch(window.listEndpoint()).then(render)</script></body></html>"
    )
    site.pages["/spa/"] = Page(page.encode(), "text/html; charset=utf-8")
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(_portal("spa", site.url("/spa/")), "utf-8")
    code, reports = _probe(seeds)
    assert code == 0
    assert reports["spa"]["needs_browser"] is True and reports["spa"]["mechanisms"] == []
    # the list is explored in the browser by render = "auto", for this reason
    assert reports["spa"]["explore"] == "filled by script"


def test_probe_is_polite(site, tmp_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(site.seeds_toml(["sample-ta"]), "utf-8")
    code, _ = _probe(seeds)
    assert code == 0
    # robots.txt, the start page and one list: nothing more
    assert [path for _, path, _ in site.requests] == [
        "/robots.txt",
        "/ta/index.htm",
        "/ta/xxgk/list.htm",
    ]


def test_moved_column_shows_its_redirect(site, tmp_path):
    site.redirect("/ta/old/", site.url("/ta/index.htm"), 301)
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(_portal("moved", site.url("/ta/old/")), "utf-8")
    code, reports = _probe(seeds)
    assert code == 0
    moved = reports["moved"]
    assert moved["redirects"] == [f"301 {site.url('/ta/index.htm')}"]
    assert moved["url"] == site.url("/ta/index.htm") and moved["status"] == 200


def test_missing_start_page_is_not_a_robots_verdict(site, tmp_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(_portal("moved-away", site.url("/ta/gone/")), "utf-8")
    code, reports = _probe(seeds)
    assert code == 1
    report = reports["moved-away"]
    assert report["robots"] == "allowed" and report["status"] == 404
    assert report["problems"][0] == f"HTTP 404 at {site.url('/ta/gone/')}"


def test_waf_page_is_not_usable(site, tmp_path):
    site.pages["/waf/"] = Page(WAF_PAGE.encode(), "text/html; charset=utf-8", 403)
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(_portal("walled", site.url("/waf/")), "utf-8")
    code, reports = _probe(seeds)
    assert code == 1
    assert reports["walled"]["blocked"] == "blocked (waf)"
    assert reports["walled"]["usable"] is False


def test_dead_host_and_tls_error_are_reported_first(site, tls_site, tmp_path):
    dead = closed_port()
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(
        site.seeds_toml(["sample-ta"])
        + "\n"
        + _portal("dead", f"http://127.0.0.1:{dead}/", robots=False)
        + _portal("badtls", f"{tls_site}/ta/index.htm"),
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["probe", str(seeds)])
    assert result.exit_code == 1
    headlines = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert [h.split(":")[0] for h in headlines] == ["dead", "badtls", "sample-ta"]
    _, reports = _probe(seeds)
    assert reports["dead"]["reachable"] is False
    assert "ConnectionRefusedError" in reports["dead"]["problems"][0]
    assert reports["dead"]["robots"] == "ignored by the seed (test)"
    assert reports["badtls"]["tls"] == "error"
    assert "TLS certificate not valid" in reports["badtls"]["problems"][0]


def test_one_portal_by_id_and_unknown_id(site, tmp_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(site.seeds_toml(), "utf-8")
    code, reports = _probe(seeds, "--portal", "sample-sm")
    assert code == 0 and list(reports) == ["sample-sm"]
    result = CliRunner().invoke(cli, ["probe", str(seeds), "--portal", "nope"])
    assert result.exit_code == 1 and "no portal 'nope'" in result.output


def test_cms_fingerprints():
    assert cms_families('<script>createPageHTML(5, 0, "index", "html");</script>') == ["TRS"]
    assert cms_families('<script src="/jcms_files/jcms1/web1/site/script/jquery.js">') == ["Hanweb"]
    assert cms_families('<a href="/gkmlpt/index">') == ["gkmlpt"]
    assert cms_families('<div id="UCAP-CONTENT">') == ["UCAP"]
    assert cms_families("fetch('/api-gateway/jpaas-publish-server/front/page/build/unit')") == [
        "JPaaS"
    ]
    assert cms_families('<link href="/EWB-FRONT/css/a.css">') == ["Epoint"]
    assert cms_families("<p>a timepoint and an endpoint</p>") == []


def test_column_rank_from_names_and_path_tokens():
    assert column_rank("巡视巡察", "http://x.gov.cn/a/") == 2
    assert column_rank("本级巡视巡察情况", "http://x.gov.cn/a/") == 2
    for token in ("xsxc", "xunshixuncha", "xszg", "xsgz", "xunshixc"):
        assert column_rank("专栏", f"http://x.gov.cn/gzdt/{token}/") == 2, token
    assert column_rank("通知公告", "http://x.gov.cn/zwgk/tzgg/") == 1
    assert column_rank("政务公开", "http://x.gov.cn/zwgk/") == 0
    assert column_rank("新闻", "http://x.gov.cn/xsxcx2/") == 0
