"""Reading list pages: TRS pagers, numbered pagers, columns and candidate links."""

from parsel import Selector

from crawler.discovery import anchors, classify_links, trs_pages

BASE = "http://www.xm.gov.cn/zwgk/tzgg/index_1.html"


def test_trs_create_page_html_variants():
    old = trs_pages('<script>createPageHTML(4, 1, "index", "html");</script>', BASE)
    assert old == [
        f"http://www.xm.gov.cn/zwgk/tzgg/{n}"
        for n in ("index.html", "index_1.html", "index_2.html", "index_3.html")
    ]
    new = trs_pages("<script>createPageHTML('page_div',3,1,'index','shtml',45);</script>", BASE)
    assert new[-1] == "http://www.xm.gov.cn/zwgk/tzgg/index_2.shtml"
    assert trs_pages("<p>no pager</p>", BASE) == []
    # a long list is read up to LIST_MAX_PAGES, not a constant
    long = '<script>createPageHTML(1000, 0, "index", "htm");</script>'
    assert len(trs_pages(long, BASE)) == 200
    assert len(trs_pages(long, BASE, 1000)) == 1000
    assert trs_pages(long, BASE, 1000)[-1].endswith("/index_999.htm")


def roles(html: str, base: str = BASE) -> dict[str, str]:
    links, *_ = classify_links(Selector(text=html), base, ("xm.gov.cn",))
    return {link.url.rstrip("/").rsplit("/", 1)[-1]: link.role for link in links}


def test_link_roles():
    html = """
    <a href="./202512/t1.htm" title="中共厦门市思明区委关于巡视整改进展情况的通报">中共厦门市思明区委关于巡视…</a>
    <a href="./202512/t2.htm">思明区召开经济运行分析会</a>
    <a href="./202512/t3.htm">详情</a>
    <a href="/zwgk/xsxc/">巡视巡察</a>
    <a href="/bsfw/">办事服务</a>
    <a href="index_2.html">下一页</a>
    <a href="index_5.html">尾页</a>
    <a href="http://www.fujian.gov.cn/">巡视巡察</a>
    <a href="javascript:void(0)">打印</a>
    """
    assert roles(html) == {
        "t1.htm": "notice",
        "t3.htm": "candidate",
        "xsxc": "column",
        "index_2.html": "page",
        "index_5.html": "page",
    }


def test_page_number_urls_and_offsite_count():
    html = '<a href="list.jsp?pageNum=3">3</a><a href="http://other.cn/x">x</a>'
    links, offsite, _ = classify_links(
        Selector(text=html), "http://www.xm.gov.cn/list.jsp?pageNum=2", ("xm.gov.cn",)
    )
    assert [(link.url, link.role) for link in links] == [
        ("http://www.xm.gov.cn/list.jsp?pageNum=3", "page")
    ]
    assert offsite == 1


def test_seed_hints_mark_candidates():
    html = (
        '<ul class="items"><li><a href="/a/1.htm">第一条</a></li></ul><a href="/b/2.htm">第二条</a>'
    )
    links, *_ = classify_links(Selector(text=html), BASE, ("xm.gov.cn",), list_selector="ul.items")
    assert [(link.url.rsplit("/", 1)[-1], link.role) for link in links] == [("1.htm", "candidate")]
    links, *_ = classify_links(Selector(text=html), BASE, ("xm.gov.cn",), detail_pattern=r"/b/\d+")
    assert [(link.url.rsplit("/", 1)[-1], link.role) for link in links] == [("2.htm", "candidate")]


def test_column_titled_like_a_notice_is_a_list():
    from crawler.discovery import looks_like_list

    listing = """<html><head><title>巡视整改情况公开</title></head><body><h1>巡视整改情况公开</h1><ul>
    <li><a href="/a/t1.htm">中共某区委关于巡视整改进展情况的通报</a>[2025-12-25]</li>
    <li><a href="/a/t2.htm">中共某街道党工委关于区委第三轮巡察整改情况的通报</a>[2024-08-16]</li>
    </ul></body></html>"""
    selector = Selector(text=listing)
    links, *_ = classify_links(selector, BASE, ("xm.gov.cn",))
    assert looks_like_list(selector, links)
    notice = listing.replace("</ul>", "</ul>" + "<p>" + "整改措施落实情况。" * 150 + "</p>")
    selector = Selector(text=notice)
    links, *_ = classify_links(selector, BASE, ("xm.gov.cn",))
    assert not looks_like_list(selector, links)


def test_columns_named_for_inspections_are_read_even_as_topics():
    html = """
    <a href="/ztzl/xcgz/">巡察工作专题</a>
    <a href="/ztzl/wmcj/">文明城市创建专题</a>
    <a href="/bsfw/">办事服务</a>
    """
    assert roles(html) == {"xcgz": "column"}


def test_truncated_titles_cut_before_the_inspection_words_are_candidates():
    html = """
    <a href="info_show.asp?infoid=302">中共某某县民政局党组关于十四届县...</a>
    <a href="info_show.asp?infoid=303">某某县教育局党组关于县委第三…</a>
    <a href="info_show.asp?infoid=305">县委第二巡察组进驻县民政局开...</a>
    <a href="info_show.asp?infoid=306">县纪委监委开展第3次廉政教育活...</a>
    <a href="info_show.asp?infoid=307">关于县委巡察进驻某镇的公告...</a>
    """
    assert roles(html) == {
        "info_show.asp?infoid=302": "candidate",
        "info_show.asp?infoid=303": "candidate",
    }  # not what shows a look-alike's words (进驻): meeting news and announcements


def test_only_the_first_links_up_to_the_cap_are_read_and_the_rest_said():
    items = "".join(
        f'<a href="/news/{i}.html">新闻{i}</a><a name="x{i}">no href</a>' for i in range(7)
    )
    selector = Selector(text=f"<html><body>{items}</body></html>")
    assert anchors(selector, 3, "/@href").getall() == [
        "/news/0.html",
        "/news/1.html",
        "/news/2.html",
    ]
    assert len(anchors(selector)) == 7
    for cap, truncated in [(6, True), (7, False), (None, False)]:
        _, _, said = classify_links(selector, "http://x.gov.cn/", ("x.gov.cn",), max_links=cap)
        assert said is truncated, cap


def test_a_picture_link_is_judged_by_its_picture_words():
    html = """
    <a href="/zt/xcgz/"><img src="/images/xc.jpg" alt="巡察专栏"></a>
    <a href="/zwgk/tzgg/"><img src="/images/tz.png" title=" 通知 公告 "></a>
    <a href="/zwgk/xsxc/" title="巡视巡察"><img src="/images/xs.png"></a>
    <a href="/bsfw/"><img src="/images/bs.png" alt="办事服务"></a>
    """
    links, *_ = classify_links(Selector(text=html), BASE, ("xm.gov.cn",))
    assert [(link.url, link.label, link.role, link.wordless) for link in links] == [
        ("http://www.xm.gov.cn/zt/xcgz/", "巡察专栏", "column", False),
        ("http://www.xm.gov.cn/zwgk/tzgg/", "通知公告", "column", False),
        ("http://www.xm.gov.cn/zwgk/xsxc/", "巡视巡察", "column", False),
    ]


def test_a_wordless_picture_link_is_a_candidate_unless_words_name_its_page():
    html = """
    <div class="ztzl"><a href="/zt/xcgz/"><img src="/images/banner1.jpg"></a>
    <a href="/zt/xcgz/"><img src="/images/banner1b.jpg"></a>
    <a href="/images/big.jpg"><img src="/images/small.jpg"></a>
    <a href="/files/plan.pdf"><img src="/images/pdf.gif"></a>
    <a href="http://www.other.cn/zt/"><img src="/images/o.jpg"></a></div>
    <ul><li><a href="/a/t9.htm"><img src="/images/thumb.jpg"></a>
    <a href="/a/t9.htm">思明区召开经济运行分析会</a></li></ul>
    """
    links, offsite, _ = classify_links(Selector(text=html), BASE, ("xm.gov.cn",))
    assert [(link.url, link.role, link.wordless) for link in links] == [
        ("http://www.xm.gov.cn/zt/xcgz/", "candidate", True)
    ]
    assert offsite == 1
