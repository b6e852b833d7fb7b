"""An old GBK JSP/ASP county site: table layouts, links as `javascript:void(0)` with
`onclick="window.open('showinfo.jsp?id=N')"`, the column list inside an `<iframe>`, query
paging (`list.jsp?cid=12&page=N`, [N] links, 下一页/尾页, a `<select>` jump menu), unknown
ids answering 200 with 信息不存在, a notice published only as a PDF behind a short page, and a
site search that is a `<form method="post">` (its query in GBK, its result pages numbered by a
hidden field): the one notice of an unlisted channel is found only through it."""

import html

from ..server import Item, Page
from .texts import Notice, news_item, notice_item

PID = "sample-oldj"
ROOT = "/oldj/"
PER_PAGE = 2
PORTAL = {
    "id": PID,
    "name": "某县人民政府（样例旧站）",
    "region": "某县",
    "level": "county",
    "home": ROOT + "index.asp",
    "render": "http",
    "encoding": "gb18030",
    "code_built": True,
}
SEARCH = ROOT + "search.jsp"
SEARCH_PER_PAGE = 2
PDF_LABEL = "附件：中共某县某镇委员会关于县委第二轮巡察整改情况的通报.pdf"


def items() -> list[Item]:
    show = ROOT + "showinfo.jsp?id="
    first = Notice(
        "中共某县委",
        "十一届省委第四轮巡视",
        "省委第三巡视组",
        ("3月6日", "4月30日", "6月12日"),
        2025,
        37,
        126,
        "0599-1234567",
    )
    second = Notice(
        "中共某县农业农村局党组",
        "县委第二轮巡察",
        "县委第一巡察组",
        ("4月1日", "5月20日", "7月2日"),
        2024,
        18,
        55,
        "0599-7654321",
        "巡察",
    )
    return [
        notice_item(
            show + "201",
            "中共某县委关于十一届省委第四轮巡视整改进展情况的通报",
            first,
            "2025-09-12 10:00",
        ),
        news_item(
            show + "202", "中央第三生态环境保护督察组交办问题整改情况公示", "2025-08-02 09:00"
        ),
        Item(
            path=show + "203",
            title="中共某县某镇委员会关于县委第二轮巡察整改情况的通报",
            datetime="2025-07-20 16:00",
            source="某镇党委",
            paragraphs=[PDF_LABEL],
            notice=True,
            attachments=[
                {
                    "file": "haicang-notice.pdf",
                    "path": ROOT + "upload/2025/07/xczg.pdf",
                    "label": PDF_LABEL,
                }
            ],
        ),
        news_item(show + "204", "关于2025年第二季度安全生产检查情况的通报", "2025-07-01 08:30"),
        news_item(show + "205", "县委第二巡察组召开巡察工作反馈会", "2025-06-20 15:00"),
        notice_item(
            show + "206",
            "中共某县农业农村局党组关于县委第二轮巡察整改进展情况的通报",
            second,
            "2024-10-18 11:00",
        ),
    ]


def unlisted() -> Item:
    """A notice of a channel no page links: only the site search finds it."""
    third = Notice(
        "中共某县水利局党组",
        "县委第三轮巡察",
        "县委第二巡察组",
        ("5月6日", "6月20日", "8月1日"),
        2025,
        14,
        41,
        "0599-7650000",
        "巡察",
    )
    return notice_item(
        ROOT + "showinfo.jsp?id=207",
        "中共某县水利局党组关于县委第三轮巡察整改情况的通报",
        third,
        "2025-08-30 10:00",
    )


def _page(title: str, main: str) -> bytes:
    text = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"<title>{html.escape(title)}-某县人民政府</title></head><body>"
        f'<form name="form1" method="post" action="{SEARCH}"><input type="hidden" '
        'name="siteid" value="1"><input type="hidden" name="page" value="1">站内搜索：'
        '<input type="text" name="keyword" size="20"><input type="submit" value="搜索"></form>'
        '<table width="960" align="center"><tr><td class="nav">'
        f'<a href="{ROOT}index.asp">首页</a>｜<a href="{ROOT}xxgk.asp">信息公开</a>｜'
        f'<a href="{ROOT}bsdt.asp">办事大厅</a>｜<a href="javascript:void(0)" '
        "onclick=\"window.open('/oldj/hdjl.asp')\">互动交流</a></td></tr></table>"
        f"{main}"
        '<table width="960" align="center"><tr><td>版权所有：某县人民政府办公室　'
        "技术支持：某县信息中心<br>网站标识码：3500000001　闽ICP备01000001号</td></tr></table>"
        "</body></html>"
    )
    return text.encode("gb18030")


def _list(entries: list[Item], index: int, count: int) -> bytes:
    rows = "".join(
        f'<tr><td width="80%">·<a href="javascript:void(0)" '
        f"onclick=\"window.open('showinfo.jsp?id={i.path.rsplit('=', 1)[1]}')\">"
        f"{html.escape(i.title)}</a></td><td>{i.date}</td></tr>"
        for i in entries
    )
    numbers = " ".join(f'<a href="list.jsp?cid=12&page={n}">[{n}]</a>' for n in range(1, count + 1))
    nxt = f'<a href="list.jsp?cid=12&page={index + 2}">下一页</a> ' if index + 1 < count else ""
    options = "".join(f'<option value="{n}">第{n}页</option>' for n in range(1, count + 1))
    pager = (
        f"<tr><td colspan=2>共{count}页 {numbers} {nxt}"
        f'<a href="list.jsp?cid=12&page={count}">尾页</a> 转到'
        "<select onchange=\"location.href='list.jsp?cid=12&page='+this.value\">"
        f"{options}</select></td></tr>"
    )
    body = f'<table width="100%" class="list">{rows}{pager}</table>'
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"<title>信息公开列表</title></head><body>{body}</body></html>"
    ).encode("gb18030")


def _detail(item: Item) -> bytes:
    tools = (
        '【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">'
        "关闭</a>】"
    )
    if item.attachments:  # a short page: the notice is the file it links
        body = "".join(
            f'<p><a href="{a["path"]}">{html.escape(a["label"])}</a></p>' for a in item.attachments
        )
        tools = ""
    else:
        body = "".join(f"<p>\u3000\u3000{html.escape(p)}</p>" for p in item.paragraphs)
    main = (
        '<table width="960" align="center"><tr><td align="center" class="title">'
        f"<b>{html.escape(item.title)}</b></td></tr>"
        f"<tr><td align=center>发布日期：{item.date}　来源：{html.escape(item.source)}　"
        f'{tools}</td></tr><tr><td class="content">{body}</td></tr></table>'
    )
    return _page(item.title, main)


def _results(hits: list[Item], number: int, more: bool) -> bytes:
    rows = "".join(
        f'<tr><td><a href="{i.path}" target="_blank">{html.escape(i.title)}</a></td>'
        f"<td>{i.date}</td></tr>"
        for i in hits
    )
    nxt = (
        '<a href="javascript:document.form1.page.value=' + str(number + 1) + ";"
        'document.form1.submit()">下一页</a>'
    )
    main = (
        f'<table width="960" align="center" class="search">{rows or "<tr><td>无相关信息</td></tr>"}'
        f"<tr><td>第{number}页 {nxt if more else ''}</td></tr></table>"
    )
    return _page("搜索结果", main)


def install(site) -> None:
    entries = items()
    hidden = unlisted()
    site.portals.append(PORTAL)
    site.items[PID] = [*entries, hidden]
    html_type = "text/html"  # no charset in the header: the page's gb2312 meta (GBK) decides
    home = (
        '<table width="960" align="center"><tr><td><b>县务公开</b><ul>'
        f'<li><a href="{ROOT}xxgk.asp">信息公开</a></li>'
        f'<li><a href="{ROOT}tzgg.asp">通知公告</a></li></ul></td></tr></table>'
    )
    site.pages[ROOT + "index.asp"] = Page(_page("某县人民政府", home), html_type)
    column = (
        '<table width="960" align="center"><tr><td>当前位置：首页 &gt; 信息公开</td></tr>'
        '<tr><td><iframe src="list.jsp?cid=12&page=1" width="100%" height="600" '
        'frameborder="0" scrolling="no"></iframe></td></tr></table>'
    )
    site.pages[ROOT + "xxgk.asp"] = Page(_page("信息公开", column), html_type)
    empty = (  # the home page's other column: nothing published in it yet
        '<table width="960" align="center"><tr><td>当前位置：首页 &gt; 通知公告</td></tr>'
        "<tr><td>暂无信息</td></tr></table>"
    )
    site.pages[ROOT + "tzgg.asp"] = Page(_page("通知公告", empty), html_type)
    chunks = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
    for index, chunk in enumerate(chunks):
        path = f"{ROOT}list.jsp?cid=12&page={index + 1}"
        site.pages[path] = Page(_list(chunk, index, len(chunks)), html_type)
    for item in [*entries, hidden]:
        site.pages[item.path] = Page(_detail(item), html_type)
        for attachment in item.attachments:
            site._put_document(attachment["path"], attachment["file"])

    def missing(method: str, path: str, query: dict, form: dict, headers: dict) -> Page | None:
        """Unknown ids answer 200 with 信息不存在, as these sites do."""
        if path.startswith(ROOT + "showinfo.jsp") and site._lookup(path) is None:
            return Page(_page("提示", "<p>信息不存在或已删除！</p>"), html_type)
        return None

    def search(method: str, path: str, query: dict, form: dict, headers: dict) -> Page | None:
        """The site search: a form POST, numbered by its hidden `page` field."""
        if method != "POST" or not path.startswith(SEARCH):
            return None
        words = form.get("keyword", "")
        number = int(form.get("page") or 1)
        hits = [i for i in [*entries, hidden] if words and words in i.title]
        start = (number - 1) * SEARCH_PER_PAGE
        chunk = hits[start : start + SEARCH_PER_PAGE]
        return Page(_results(chunk, number, start + SEARCH_PER_PAGE < len(hits)), html_type)

    site.routes += [missing, search]
