"""List mechanisms, in-process: build a page from a fixture, call detect(), assert on it."""

import json
from pathlib import Path

import pytest

from crawler import list_api
from crawler.lists import (
    Page,
    ajax,
    clicks,
    detail,
    discover,
    frames,
    hanweb,
    observed,
    onclick,
    paging,
    script_api,
    search,
    static,
    trs,
)

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
BASE = "http://www.x.gov.cn/col/"


def page(name: str, url: str = BASE + "index.html", **kwargs) -> Page:
    html = (FIXTURES / f"{name}.html").read_text("utf-8")
    return Page(url, html, ("x.gov.cn",), max_links=5000, **kwargs)


def roles(found) -> dict[str, str]:
    return {link.url.removeprefix("http://www.x.gov.cn"): link.role for link in found.links}


def test_static_links():
    assert roles(static.detect(page("static"))) == {
        "/col/202512/t20251225_1.htm": "notice",
        "/zwgk/xsxc/": "column",
        "/col/index_1.html": "page",
    }


def test_trs_create_page_html():
    found = trs.detect(page("trs", BASE + "index_1.shtml"))
    assert [link.url for link in found.links] == [
        BASE + "index.shtml",
        BASE + "index_1.shtml",
        BASE + "index_2.shtml",
    ]
    assert {link.role for link in found.links} == {"page"}


def test_query_paging_bracket_links_last_page_and_jump_menus():
    found = paging.detect(page("paging", "http://www.x.gov.cn/list.jsp?cid=12&page=1"))
    urls = {link.url.removeprefix("http://www.x.gov.cn/") for link in found.links}
    # [N] links and 尾页 of the same list (not of column 99), and both kinds of <select>
    assert {"list.jsp?cid=12&page=2", "list.jsp?cid=12&page=4", "list.jsp?cid=12&page=3"} <= urls
    assert not any("cid=99" in url for url in urls)
    assert "list_5.htm" in urls


def test_counted_pager_with_script_links():
    found = paging.detect(page("counted", "http://www.x.gov.cn/list.jsp?cid=3&pageNum=1"))
    assert [link.url.rsplit("=", 1)[1] for link in found.links] == ["1", "2", "3"]
    # a static list without a page parameter cannot be numbered from script links
    assert paging.detect(page("counted", BASE + "index.html")).links == []


def test_hanweb_columns_on_one_proxy_and_the_embedded_first_page():
    found = hanweb.detect(page("hanweb"))
    assert [dict(api.params)["columnid"] for api in found.apis] == ["101", "202"]
    assert {api.url for api in found.apis} == {"http://www.x.gov.cn/module/web/jpage/dataproxy.jsp"}
    assert [api.per_page for api in found.apis] == [10, 15]
    # two columns, two list APIs: identified by URL and parameters
    assert len({list_api.identity(api) for api in found.apis}) == 2
    assert roles(found) == {"/art/2025/12/25/art_101_9.html": "notice"}  # 规划: not a notice


def test_onclick_links():
    found = onclick.detect(page("onclick", "http://www.x.gov.cn/info/list.asp"))
    assert roles(found) == {
        "/info/showinfo.jsp?id=31": "notice",
        "/info/show.asp?infoid=32": "notice",
    }
    assert found.offsite == 1
    assert onclick.targets("window.open('a/b.jsp?id=1','_blank')") == ["a/b.jsp?id=1"]
    assert onclick.targets("doSomething()") == []


def test_frames_are_list_pages():
    found = frames.detect(page("frames", "http://www.x.gov.cn/xxgk/index.asp"))
    assert roles(found) == {"/xxgk/list.asp?cid=5": "frame", "/left.htm": "frame"}
    assert found.offsite == 1


def test_script_named_apis():
    found = script_api.detect(page("script_api"))
    templates = [api.template.removeprefix("http://www.x.gov.cn") for api in found.apis]
    assert templates == [
        "/api/cms/list?channelId=7&pageNo={page}&pageSize=10",
        "/data/tzgg/page_{page}.json",
    ]
    call = list_api.call(found.apis[0], 3)
    assert call.url == "http://www.x.gov.cn/api/cms/list?channelId=7&pageNo=3&pageSize=10"
    assert found.needs_browser is None


def test_script_list_without_a_named_api_needs_the_browser():
    html = '<ul id="list"></ul><script>fetch(urls[k]).then(r => r.json())</script>'
    found = script_api.detect(Page(BASE, html, ("x.gov.cn",)))
    assert found.apis == [] and found.needs_browser == "script list"
    assert script_api.detect(Page(BASE, html, ("x.gov.cn",), rendered=True)).needs_browser is None


def test_discover_merges_mechanisms_first_finder_wins():
    found = discover(page("onclick", "http://www.x.gov.cn/info/list.asp"))
    assert found.via["http://www.x.gov.cn/info/showinfo.jsp?id=31"] == "onclick"
    found = discover(page("hanweb"))
    assert len(found.apis) == 2
    assert found.via["http://www.x.gov.cn/art/2025/12/25/art_101_9.html"] == "hanweb"


def test_json_list_payloads_found_anywhere():
    base = "http://www.x.gov.cn/tzgg/list.html"
    nested = {"code": 0, "data": {"total": 2, "rows": [
        {"id": 5, "title": "关于巡察整改情况的通报", "linkUrl": "/art/5.html"},
        {"docId": "6", "docTitle": "<em>巡察</em>工作动态"},
    ]}}  # fmt: skip
    assert list_api.records(nested, base) == [
        ("http://www.x.gov.cn/art/5.html", "关于巡察整改情况的通报"),
        ("http://www.x.gov.cn/tzgg/list.html?id=6", "巡察工作动态"),
    ]
    assert list_api.looks_like_list_payload([{"title": "t", "url": "/a"}])
    # URL fields other CMSes name otherwise (TRS docPubUrl, Epoint infourl); an image is not
    # the record's URL when the record names its own
    trs = {"datas": [{"docTitle": "关于巡视整改进展情况的通报", "docPubUrl": "./202512/t1.htm"}]}
    assert list_api.records(trs, base) == [
        ("http://www.x.gov.cn/tzgg/202512/t1.htm", "关于巡视整改进展情况的通报")
    ]
    epoint = [{"title": "巡察工作", "imgUrl": "/img/1.jpg", "infourl": "/xxgk/1.html"}]
    assert list_api.records(epoint, base) == [("http://www.x.gov.cn/xxgk/1.html", "巡察工作")]
    assert not list_api.looks_like_list_payload({"code": 0, "msg": "ok"})


@pytest.mark.parametrize(
    ("reply", "html"),
    [("<!DOCTYPE html><html><body>请开启JavaScript</body></html>", True), ("{garbage", False)],
)
def test_script_api_garbage_is_an_error_and_html_says_so(reply, html):
    api = script_api.detect(page("script_api")).apis[0]
    with pytest.raises(list_api.ListApiError) as err:
        list_api.parse(api, reply, 1, api.template)
    assert err.value.html is html


def test_jsonp_replies():
    api = script_api.detect(page("script_api")).apis[1]
    reply = 'cb({"list": [{"title": "关于巡视整改情况的通报", "url": "/a/1.html"}]});'
    assert list_api.parse(api, reply, 1, "http://www.x.gov.cn/data/tzgg/page_1.json").items == [
        ("http://www.x.gov.cn/a/1.html", "关于巡视整改情况的通报")
    ]


def test_search_form_of_the_page():
    html = """<form action="/jsearchfront/search.do" method="get"><input type="hidden"
    name="websiteid" value="33"><input type="text" name="q"><input type="hidden" name="pos"
    value="title,content"></form><form action="/login.do" method="post"><input name="user">
    </form>"""
    found = search.find_form(Page(BASE, html, ("x.gov.cn",)))
    assert found.template == (
        "http://www.x.gov.cn/jsearchfront/search.do?websiteid=33&pos=title%2Ccontent&q={q}"
    )
    assert found.url("巡察整改").endswith("&q=%E5%B7%A1%E5%AF%9F%E6%95%B4%E6%94%B9")
    was5 = '<form action="/was5/web/search"><input name="searchword"></form>'
    assert search.find_form(Page(BASE, was5, ("x.gov.cn",))).template.endswith("searchword={q}")
    for none in ('<form method="post" action="/login.do"><input name="user"></form>',
                 '<form method="post" action="http://so.other.cn/s.jsp"><input name="keyword"></form>',
                 '<form action="http://so.other.cn/s"><input name="q"></form>', "<p>no form</p>"):  # fmt: skip
        assert search.find_form(Page(BASE, none, ("x.gov.cn",))) is None
    assert "巡视整改" in search.terms()


def test_post_search_form_is_sent_as_a_form_post_in_the_page_charset():
    html = """<form name="f" method="POST" action="search.jsp"><input type="hidden" name="siteid"
    value="1"><input type="hidden" name="page" value="1"><input type="text" name="keyword">
    <input type="submit" value="搜索"></form>"""
    found = search.find_form(Page(BASE + "index.asp", html, ("x.gov.cn",)), "gb18030")
    assert (found.method, found.url("巡察整改")) == ("POST", "http://www.x.gov.cn/col/search.jsp")
    assert found.formdata("巡察整改", 2) == {"siteid": "1", "page": "2", "keyword": "巡察整改"}
    assert found.encoding == "gb18030" and found.pages_itself
    # a form that names its charset wins over the page's; a GET one is encoded in it too
    get = '<form action="/was5/web/search" accept-charset="GBK"><input name="searchword"></form>'
    gbk = search.find_form(Page(BASE, get, ("x.gov.cn",)), "utf-8")
    assert gbk.url("巡察").endswith("searchword=%D1%B2%B2%EC")
    assert search.Search(BASE + "s?q={q}").formdata("x") is None


def test_summary_says_how_notices_were_found():
    from crawler.summary import render

    stats = {"portal/p/notices": 3, "portal/p/found/list API": 2, "portal/p/found/search": 1}
    table = render(stats, ["p", "q"])
    row_p, row_q = table.splitlines()[2:4]
    assert row_p.endswith("list API 2, search 1") and row_q.endswith("-")
    assert "found by" in table.splitlines()[0]
    stats["portal/q/listing_incomplete"] = "list_pages_capped"
    assert "note: q: its lists were not all read (list_pages_capped)" in render(stats, ["p", "q"])


SHELL = """<html><head><title>某市纪委监委</title></head><body>
<div id="article" data-id="4999"><h1 class="title"></h1><div id="zoom"></div></div>
<script>var id = document.getElementById("article").getAttribute("data-id");
$.getJSON("/api/front/article/detail?articleId=" + id, function (d) { render(d); });</script>
</body></html>"""


def test_detail_shell_names_its_api():
    shell = Page(BASE + "art/2025/12/1/art_202_4999.html", SHELL, ("x.gov.cn",))
    assert detail.detail_api(shell) == "http://www.x.gov.cn/api/front/article/detail?articleId=4999"
    assert script_api.detect(shell).needs_browser is None  # a shell is not a script list
    without_id = SHELL.replace(' data-id="4999"', "")
    assert detail.page_id(Page(BASE + "show.jsp?id=77", without_id, ("x.gov.cn",))) == "77"
    assert detail.detail_api(Page(BASE, "<div></div>", ("x.gov.cn",))) is None


def test_article_from_a_detail_api_reply():
    reply = {"code": 200, "data": {"title": "关于巡察整改情况的<b>通报</b>", "content": "<p>正文</p>",
             "publishTime": "2025-12-01 10:00"}}  # fmt: skip
    page = detail.article_html(reply, "http://www.x.gov.cn/api/detail?id=1")
    assert "<title>关于巡察整改情况的通报</title>" in page and "<p>正文</p>" in page
    assert detail.article_html({"code": 404, "data": None}, "http://x/") is None


class _FakeRequest:
    def __init__(self, resource_type: str, method: str = "GET") -> None:
        self.resource_type, self.method = resource_type, method


class _FakeResponse:
    """What a Playwright response event hands the handler (the parts it reads)."""

    def __init__(self, url: str, resource_type: str, content_type: str) -> None:
        self.url, self.request = url, _FakeRequest(resource_type)
        self.headers = {"content-type": content_type}


def test_observed_responses_become_paged_apis():
    observer = observed.ObservedResponses()
    api_url = "http://www.x.gov.cn/api/v1/articles?channel=tzgg&pageNo=1&pageSize=2"
    observer(_FakeResponse(api_url, "fetch", "application/json;charset=UTF-8"))
    observer(_FakeResponse("http://www.x.gov.cn/api/v1/config", "xhr", "application/json"))
    observer(_FakeResponse("http://www.x.gov.cn/list.html?page=2", "document", "text/html"))
    observer(_FakeResponse("http://www.x.gov.cn/a.png", "image", "image/png"))
    assert observer.urls == [api_url, "http://www.x.gov.cn/api/v1/config"]
    apis = observed.apis(observer.urls, BASE, ("x.gov.cn",))
    assert [api.template for api in apis] == [
        "http://www.x.gov.cn/api/v1/articles?channel=tzgg&pageNo={page}&pageSize=2"
    ]  # the config has no page parameter: not a list to page through
    assert list_api.call(apis[0], 2).url.endswith("pageNo=2&pageSize=2")
    assert observed.apis(["http://other.cn/api?page=1"], BASE, ("x.gov.cn",)) == []


def test_script_pager_needs_clicks():
    buttons = '<div>第1/3页 <a href="javascript:;" onclick="show(cur + 1)">下一页</a></div>'
    assert clicks.has_script_pager(Page(BASE, buttons, ("x.gov.cn",)))
    links = '<div><a href="index_1.html">下一页</a> <a href="javascript:;">打印</a></div>'
    assert not clicks.has_script_pager(Page(BASE, links, ("x.gov.cn",)))


def test_relative_script_api_templates_resolve_against_the_base_href():
    found = script_api.detect(page("script_api_relative", "http://www.x.gov.cn/col/list.html"))
    templates = [api.template.removeprefix("http://www.x.gov.cn") for api in found.apis]
    # against <base href>, not the page's URL; 第n页 and item_i are not URLs; offsite dropped
    assert templates == [
        "/zwgk/tzgg/api/list?channel=9&page={page}",
        "/zwgk/tzgg/list_{page}.json",
        "/zwgk/data/list_{page}.json",
    ]
    assert found.offsite == 1
    assert list_api.call(found.apis[1], 2).url == "http://www.x.gov.cn/zwgk/tzgg/list_2.json"
    without_base = page("script_api_relative", "http://www.x.gov.cn/col/list.html")
    without_base = Page(without_base.url, without_base.html.replace("<base", "<bse"), ("x.gov.cn",))
    assert script_api.detect(without_base).apis[0].template == (
        "http://www.x.gov.cn/col/api/list?channel=9&page={page}"
    )


def test_a_pager_of_script_page_numbers_needs_clicks():
    numbers = '<div><span class="page-num current">1</span> <span class="page-num">2</span></div>'
    assert clicks.has_script_pager(Page(BASE, numbers, ("x.gov.cn",)))
    onclick = '<div><a onclick="goPage(3)">3</a></div>'
    assert clicks.has_script_pager(Page(BASE, onclick, ("x.gov.cn",)))
    static = '<div><a href="index_1.html">2</a> <span class="page-num">1</span></div>'
    assert not clicks.has_script_pager(Page(BASE, static, ("x.gov.cn",)))
    assert clicks.page_number_control(3).match("[3]") and not clicks.page_number_control(3).match(
        "13"
    )


def test_group_pagers_step_to_the_next_window_of_pages():
    found = paging.detect(page("group_pager", BASE + "index_6.html"))
    urls = {link.url.removeprefix(BASE) for link in found.links}
    # 下一组 and the ellipsis links lead past the numbers shown; not another folder's pager
    assert {"index_9.html", "index_4.html", "index_2.html", "index_5.html"} <= urls
    assert all(link.role == "page" for link in found.links)
    assert not any("other" in link.url or "zwgk" in link.url for link in found.links)


def test_pagers_of_path_segments_and_rel_next_are_the_lists_pages():
    # /page/N/ links numbered, 下一页 and rel="next" (in the pager or the head); another
    # column's /page/2/ and the next article (rel="next" on an article link) are not
    html = (
        '<html><head><link rel="next" href="/category/tzgg/page/2/"></head><body>'
        '<ul><li><a href="/archives/1017">关于开展燃气安全检查的通知</a></li></ul>'
        '<nav class="pagination"><span class="current">1</span>'
        '<a class="page-numbers" href="/category/tzgg/page/2/">2</a>'
        '<a class="page-numbers" href="/category/tzgg/page/3/">3</a>'
        '<a class="next page-numbers" href="/category/tzgg/page/2/">下一页</a></nav>'
        '<a rel="next" href="/category/tzgg/p/4">›</a>'
        '<a href="/category/gzdt/page/2/">2</a><a rel="next" href="/archives/1021">下一篇</a>'
        "</body></html>"
    )
    tzgg = "http://www.x.gov.cn/category/tzgg/"
    for url in (tzgg, tzgg + "page/2/"):
        found = discover(Page(url, html, ("x.gov.cn",), max_links=5000))
        pages = {link.url.removeprefix(tzgg) for link in found.links if link.role == "page"}
        assert {"page/2/", "page/3/", "p/4"} - {url.removeprefix(tzgg)} <= pages
        assert not any("gzdt" in link or "archives" in link for link in pages)
    # rel="next" alone, whatever its label: on a link, or in the head
    for alone in (
        '<a rel="next" href="/category/tzgg/page/2/">更早的文章</a>',
        '<html><head><link rel="prev nofollow" href="/x/"><link rel="next" href="page/2/">',
    ):
        found = paging.detect(Page(tzgg, alone, ("x.gov.cn",)))
        assert [link.url for link in found.links] == [tzgg + "page/2/"]


def test_static_links_count_the_article_entries_of_a_page():
    # a page of news in a mixed column: no notice, but two article links (not its pager)
    found = static.detect(page("mixed_page", "http://www.x.gov.cn/node_105_2.htm"))
    assert found.entries == 2
    assert not [link for link in found.links if link.role in ("notice", "candidate")]


def test_numbered_items_of_one_folder_are_entries_of_a_list_page():
    # a later page of a list of /archives/ID items, none a notice: not past the list's end;
    # an article's 上一篇/下一篇 (two of one folder) and numbered columns are no list's entries
    items = "".join(
        f'<li><a href="/archives/{n}">街道召开第{n}次例会</a></li>' for n in (1021, 1025, 1029)
    )
    pager = '<a href="/category/tzgg/page/4/">4</a><a href="/col/101/">工作动态</a>'
    url = "http://www.x.gov.cn/category/tzgg/page/3/"
    assert static.detect(Page(url, f"<ul>{items}</ul>{pager}", ("x.gov.cn",))).entries == 3
    article = '<a href="/archives/1017">上一篇</a><a href="/archives/1025">下一篇</a>' + pager
    assert static.detect(Page(url, article, ("x.gov.cn",))).entries == 0


def test_jsonp_data_pages_named_as_js_files():
    found = script_api.detect(page("script_api_jsonp", "http://www.x.gov.cn/xcgz/"))
    # the paged data file is a list API; a paged script of a js folder is not
    assert [api.template for api in found.apis] == ["http://www.x.gov.cn/xcgz/data/list_{page}.js"]
    reply = 'jsonpCallback({"total": 9, "list": [{"title": "关于巡察整改情况的通报", "url": "./202510/t20251018_2.html"}]});'
    assert list_api.parse(
        found.apis[0], reply, 2, "http://www.x.gov.cn/xcgz/data/list_2.js"
    ).items == [("http://www.x.gov.cn/xcgz/202510/t20251018_2.html", "关于巡察整改情况的通报")]


def test_script_api_urls_built_with_the_scripts_constants():
    # '…?page=' + page + '&sid=' + SID: the constant is part of the URL (a timestamp is not),
    found = script_api.detect(page("script_api_constants", "http://www.x.gov.cn/gkml/index"))
    # and before the page's prefix: '/data/' + columnId + '/list_' + page
    assert [api.template for api in found.apis] == [
        "http://www.x.gov.cn/gkml/api/all/0?page={page}&sid=757&size=20&t=",
        "http://www.x.gov.cn/data/4431/list_{page}.json",
    ]
    call = list_api.call(found.apis[0], 3)
    assert call.url == "http://www.x.gov.cn/gkml/api/all/0?page=3&sid=757&size=20&t="


def test_ajax_data_objects_name_paged_list_apis():
    found = ajax.detect(page("ajax_data", "http://www.x.gov.cn/col/col1010/index.html"))
    urls = [list_api.call(api, 2).url.removeprefix("http://www.x.gov.cn") for api in found.apis]
    # JPaaS's page number inside a JSON parameter, and a plain one; not a POST, not a call
    # whose data holds a value the script does not give
    assert urls == [
        "/api-gateway/jpaas-publish-server/front/page/build/unit?webId=3&pageId=1010"
        "&pageType=column&tagId=%E5%BD%93%E5%89%8D%E6%A0%8F%E7%9B%AElist"
        "&paramJson=%7B%22pageNo%22%3A2%2C%22pageSize%22%3A15%7D",
        "/api/notes/list?channelId=12&page=2&size=10",
    ]


def test_json_replies_carrying_an_html_fragment_list():
    api = ajax.detect(page("ajax_data", "http://www.x.gov.cn/col/col1010/index.html")).apis[0]
    reply = {"success": True, "data": {"total": 19, "html": (
        "<ul><li><a href='/art/2025/10/14/art_1010_16.html' title='关于巡察整改情况的通报'>关于巡察"
        "整改…</a></li></ul><div class='page'><a href='javascript:loadList(3)'>下一页</a></div>")}}  # fmt: skip
    parsed = list_api.parse(api, json.dumps(reply), 2, api.template)
    assert parsed.items == [
        ("http://www.x.gov.cn/art/2025/10/14/art_1010_16.html", "关于巡察整改情况的通报")
    ]
    assert parsed.has_more
    assert not list_api.parse(api, '{"data": {"html": "<ul></ul>"}}', 3, api.template).has_more


def test_observed_apis_paged_by_a_number_inside_a_json_parameter():
    url = (
        "http://www.x.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?webId=3"
        "&paramJson=%7B%22pageNo%22%3A1%2C%22pageSize%22%3A15%7D"
    )
    apis = observed.apis([url], BASE, ("x.gov.cn",))
    assert list_api.call(apis[0], 4).url.endswith(
        "webId=3&paramJson=%7B%22pageNo%22%3A4%2C%22pageSize%22%3A15%7D"
    )
    assert observed.apis([url.replace("pageNo", "size")], BASE, ("x.gov.cn",)) == []


def test_onclick_calls_of_the_pages_own_opener_functions():
    found = onclick.detect(page("opener_functions", "http://www.x.gov.cn/cms/list.jsp?columnId=31"))
    assert roles(found) == {
        "/cms/detail.jsp?id=901": "notice",
        "/cms/info_show.asp?cid=5&infoid=903": "notice",
    }  # the 推进会 news is not followed; a tab switch opens nothing
