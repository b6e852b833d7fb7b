"""Articles split over several pages, in-process: which pages a page names as its article's
(createPageHTML on a detail page, numbered links and 下一页, ?page=N), and their texts joined."""

from parsel import Selector

from crawler.article import article_pages
from notice.extract import Extraction
from notice.extract.pages import join_pages

BASE = "http://www.x.gov.cn"
TRS = "/xxgk/tzgg/202503/t20250325_731204"


def pages_of(url: str, body: str):
    return article_pages(Selector(text=f"<html><body>{body}</body></html>"), BASE + url)


def trs_pager(count: int, current: int, stem: str = "t20250325_731204") -> str:
    return f'<div id="page_div"><script>createPageHTML({count}, {current}, "{stem}", "html");</script></div>'


def test_create_page_html_on_a_detail_page_names_every_page():
    found = pages_of(TRS + ".html", "<p>正文</p>" + trs_pager(3, 0))
    assert found.index == 0 and found.pages == tuple(
        BASE + TRS + suffix for suffix in (".html", "_1.html", "_2.html")
    )
    later = pages_of(TRS + "_2.html", trs_pager(3, 2))
    assert later.index == 2 and later.first == BASE + TRS + ".html"


def test_a_pager_for_another_document_or_of_one_page_is_none():
    assert pages_of(TRS + ".html", trs_pager(1, 0)) is None
    assert pages_of(TRS + ".html", trs_pager(3, 0, "index")) is None


def test_numbered_links_and_next_in_the_text():
    pager = f'<a href="{TRS}_1.html">2</a><a href="{TRS}_1.html">下一页</a>'
    found = pages_of(TRS + ".html", "<p>一、</p>" + pager)
    assert found.index == 0 and found.pages == (BASE + TRS + ".html", BASE + TRS + "_1.html")
    # page 2 names page 1 and page 3: it is the second page of the article
    middle = pages_of(
        TRS + "_1.html", f'<a href="{TRS}.html">上一页</a> <a href="{TRS}_2.html">下一页</a>'
    )
    assert middle.index == 1 and middle.first == BASE + TRS + ".html"
    assert middle.named() == {
        0: BASE + TRS + ".html",
        1: BASE + TRS + "_1.html",
        2: BASE + TRS + "_2.html",
    }


def test_page_parameters_of_one_article():
    pager = '<a href="?id=8812">1</a> <span>2</span> <a href="content.jsp?id=8812&amp;page=3">下一页</a>'
    found = pages_of("/content.jsp?id=8812&page=2", pager)
    assert found.index == 1
    assert found.named() == {
        0: BASE + "/content.jsp?id=8812",
        1: BASE + "/content.jsp?id=8812&page=2",
        2: BASE + "/content.jsp?id=8812&page=3",
    }
    first = pages_of("/content.jsp?id=8812", '<a href="?id=8812&amp;page=2">2</a>')
    assert first.index == 0 and first.pages[1] == BASE + "/content.jsp?id=8812&page=2"


ECMS = "/html/jjjc/2025-06/4471"


def ecms_pager(current: int, count: int = 3) -> str:
    """An article pager that numbers further pages from 2 (`4471_2.html` is page 2): the
    first page links `_2`, `_3` and never `_1`."""
    links = [f'<a title="Total record">&nbsp;<b>{count}</b> </a>']
    for n in range(1, count + 1):
        href = f"{ECMS}.html" if n == 1 else f"{ECMS}_{n}.html"
        links.append(f"<b>{n}</b>" if n == current else f'<a href="{href}">{n}</a>')
    if current < count:
        links.append(f'<a href="{ECMS}_{current + 1}.html">下一页</a>')
    return '<div class="epages">' + "&nbsp;".join(links) + "</div>"


def test_further_pages_numbered_from_two_are_pages_two_three():
    """`_2` is the second page when no page of the article is `_1`."""
    pages = (BASE + ECMS + ".html", BASE + ECMS + "_2.html", BASE + ECMS + "_3.html")
    first = pages_of(ECMS + ".html", "<p>一、</p>" + ecms_pager(1))
    assert (first.index, first.pages) == (0, pages)
    middle = pages_of(ECMS + "_2.html", ecms_pager(2))
    assert (middle.index, middle.pages) == (1, pages)
    last = pages_of(ECMS + "_3.html", ecms_pager(3))
    assert (last.index, last.first, last.named()[1]) == (2, pages[0], pages[1])
    # only 下一页 on the first page: still page 2
    alone = pages_of(ECMS + ".html", f'<a href="{ECMS}_2.html">下一页</a>')
    assert alone.pages == pages[:2]


def test_other_articles_and_lists_are_no_pages_of_this_one():
    links = (
        '<a href="/xxgk/tzgg/202503/t20250324_731203.html">上一篇</a>'
        '<a href="/xxgk/tzgg/202503/t20250326_731205.html">下一篇</a>'
        '<a href="/xxgk/tzgg/index_1.html">2</a><a href="/content.jsp?id=8813">相关</a>'
    )
    assert pages_of(TRS + ".html", links) is None
    assert pages_of("/content.jsp?id=8812", links) is None


def test_pages_numbered_by_a_last_path_segment():
    # WordPress's <!--nextpage-->: /archives/812, /archives/812/2, /archives/812/3
    pager = '<div class="page-links"><span>1</span> <a href="/archives/812/2">2</a></div>'
    found = pages_of("/archives/812", pager + '<a href="/archives/816" rel="next">下一篇</a>')
    assert found.index == 0 and found.pages == (BASE + "/archives/812", BASE + "/archives/812/2")
    later = pages_of(
        "/archives/812/2/", '<a href="/archives/812/">1</a> <a href="/archives/812/3/">3</a>'
    )
    assert later.index == 1 and later.first == BASE + "/archives/812/"
    assert later.named()[2] == BASE + "/archives/812/3/"
    # /archives/14 is no page 14 of /archives: other articles are no pages of this one
    assert (
        pages_of(
            "/archives/14", '<a href="/archives/10">上一篇</a><a href="/archives/18">下一篇</a>'
        )
        is None
    )


def extraction(text: str, **fields) -> Extraction:
    return Extraction(title=fields.pop("title", "通报"), text=text, **fields)


def test_the_texts_of_an_articles_pages_are_joined_in_order():
    pages = [
        extraction(
            "关于巡察整改进展情况的通报\n一、总体情况\n第一段。\n1 2 3 下一页",
            published="2025-03-25",
            metadata={"method": "container"},
        ),
        extraction(
            "关于巡察整改进展情况的通报\n二、问题整改\n第二段。\n上一页 1 2 3 下一页",
            published=None,
        ),
        extraction(
            "三、下一步\n联系电话：0532-86121234\n中共某区商务局党组\n2025年3月25日\n共3页",
            source="区商务局",
        ),
    ]
    whole = join_pages(pages)
    assert whole.text.split("\n") == [
        "关于巡察整改进展情况的通报",
        "一、总体情况",
        "第一段。",
        "二、问题整改",
        "第二段。",
        "三、下一步",
        "联系电话：0532-86121234",
        "中共某区商务局党组",
        "2025年3月25日",
    ]
    assert whole.title == "通报" and whole.published == "2025-03-25" and whole.source == "区商务局"
    assert whole.metadata == {"method": "container", "pages": 3}
    assert join_pages(pages[:1]).text == "关于巡察整改进展情况的通报\n一、总体情况\n第一段。"
