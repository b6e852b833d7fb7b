"""List endpoints read without a browser: Hanweb dataproxy.jsp and JSON pages."""

import pytest

from crawler import list_api
from crawler.discovery import ListApi

from conftest import open_archive, run_crawl

HW = "sample-hw"


def posts(site) -> list[str]:
    return [path for method, path, _ in site.requests if method == "POST"]


def test_hanweb_api_found_in_the_page_and_paged_through(site, tmp_path, archive_path):
    seeds = tmp_path / "hw.toml"
    seeds.write_text(site.seeds_toml([HW]), "utf-8")
    result = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0 and not result.errors_logged, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        assert {p["url"] for p in archive.list_pages()} == {
            site.url(i.path) for i in site.notices([HW])
        }
    # 5 records, 2 per page: three POSTs with the column's parameters
    assert len(posts(site)) == 3
    assert "'portal/sample-hw/list_api_found': 1" in result.stderr


def test_hanweb_api_named_in_the_seed(site, tmp_path, archive_path):
    seeds = tmp_path / "hw.toml"
    api = (
        "[[portal.list_api]]\n"
        'kind = "hanweb"\n'
        f'url = "{site.url("/hw/module/web/jpage/dataproxy.jsp")}"\n'
        "per_page = 2\n"
        "params = { col = 1, appid = 1, webid = 3, columnid = 5678, unitid = 24680, permissiontype = 0 }\n"
    )
    seeds.write_text(site.seeds_toml([HW], {HW: api}), "utf-8")
    result = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        assert archive.stats()["pages"] == site.archived([HW])
    # the seed's API and the one found in the page are the same endpoint: paged once
    assert len(posts(site)) == 3


def test_json_api_named_in_the_seed(site, tmp_path, archive_path):
    seeds = tmp_path / "js.toml"
    api = (
        'render = "http"\n'
        "[[portal.list_api]]\n"
        'kind = "json"\n'
        f'url = "{site.url("/js/api/list.json")}"\n'
        'items = "data.list"\n'
    )
    seeds.write_text(site.seeds_toml(["sample-js"], {"sample-js": api}), "utf-8")
    result = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        urls = {p["url"] for p in archive.list_pages()}
    static = {site.url(i.path) for i in site.notices(["sample-js"]) if not i.scripted}
    assert urls == static
    # the notice whose body is built by script needs the browser, and the summary says so
    assert "note: sample-js builds pages with JavaScript" in result.stdout


def test_call_shapes():
    hanweb = ListApi(
        "hanweb",
        "http://x.gov.cn/module/web/jpage/dataproxy.jsp",
        (("columnid", "9"),),
        per_page=15,
    )
    call = list_api.call(hanweb, 3)
    assert call.method == "POST" and call.formdata == {"columnid": "9"}
    assert call.url.endswith("?startrecord=31&endrecord=45&perpage=15")
    json_api = ListApi("json", "http://x.gov.cn/api?x=1", (("channel", "7"),), page_param="p")
    assert list_api.call(json_api, 2).url == "http://x.gov.cn/api?x=1&channel=7&p=2"


def test_parse_replies():
    hanweb = ListApi(
        "hanweb", "http://x.gov.cn/dp.jsp", per_page=1, base_url="http://x.gov.cn/col/"
    )
    reply = "<datastore><totalrecord>2</totalrecord><recordset><record><![CDATA[<li><a href='/art/1.html' title='关于巡视整改情况的通报'>关于…</a></li>]]></record></recordset></datastore>"
    page = list_api.parse(hanweb, reply, 1, "http://x.gov.cn/dp.jsp")
    assert page.items == [("http://x.gov.cn/art/1.html", "关于巡视整改情况的通报")]
    assert page.has_more
    assert not list_api.parse(hanweb, reply, 2, "http://x.gov.cn/dp.jsp").has_more
    with pytest.raises(list_api.ListApiError, match="not a Hanweb"):
        list_api.parse(hanweb, "<html>blocked</html>", 1, "http://x.gov.cn/dp.jsp")
    json_api = ListApi("json", "http://x.gov.cn/api", items="data.rows", url_field="link")
    page = list_api.parse(
        json_api,
        '{"data": {"rows": [{"link": "a.html", "title": "t"}]}}',
        1,
        "http://x.gov.cn/api/",
    )
    assert page.items == [("http://x.gov.cn/api/a.html", "t")] and page.has_more
    with pytest.raises(list_api.ListApiError, match="no list"):
        list_api.parse(json_api, '{"data": {}}', 1, "http://x.gov.cn/api")
