"""An ASP.NET WebForms bureau site: the 巡察工作 list pages by `__doPostBack` (an AspNetPager),
each page a form POST back to NewsList.aspx carrying __VIEWSTATE and __EVENTVALIDATION; a stale
or missing view state answers the framework's error page. Notices on pages 2 and 3. A 友情链接
select opens other hosts."""

import base64
import hashlib
import html

from .chrome import Skin, article, crumb
from .server import Answer, Request

PID = "wf"
ROOT = "/wf/"
HOME = ROOT + "Default.aspx"
LIST = ROOT + "News/NewsList.aspx"
PER_PAGE = 5
PAGER = "ctl00$ContentPlaceHolder1$AspNetPager1"
CLASSES = {"7": "巡察工作", "3": "通知公告"}
SOURCE = "市住建局办公室"
SKIN = Skin(
    "某市住房和城乡建设局",
    (
        ("首页", HOME),
        ("机构概况", ROOT + "About/Index.aspx"),
        ("通知公告", LIST + "?ClassID=3"),
        ("巡察工作", LIST + "?ClassID=7"),
    ),
    css="zjj",
    footer="主办：某市住房和城乡建设局  地址：某市东大道88号  技术支持：某某网络科技",
)


def _state(class_id: str, page: int) -> str:
    """The view state a page carries: opaque to a client, checked on postback."""
    mac = hashlib.sha1(f"NewsList|{class_id}|{page}".encode()).hexdigest()[:20]
    return base64.b64encode(f"/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWBAIB|{mac}".encode()).decode()


def _valid(class_id: str, state: str) -> int | None:
    """The page a posted view state was issued for, or None."""
    for page in range(1, 20):
        if _state(class_id, page) == state:
            return page
    return None


def _pager(page: int, count: int, total: int) -> str:
    def post(n: int, label: str) -> str:
        return f"<a href=\"javascript:__doPostBack('{PAGER}','{n}')\">{label}</a>"

    links = [post(1, "首页") if page > 1 else "<span>首页</span>"]
    links.append(post(page - 1, "上一页") if page > 1 else "<span>上一页</span>")
    links += [
        f'<span class="cpb">{n}</span>' if n == page else post(n, str(n))
        for n in range(1, count + 1)
    ]
    links.append(post(page + 1, "下一页") if page < count else "<span>下一页</span>")
    links.append(post(count, "尾页") if page < count else "<span>尾页</span>")
    return (
        f'<div id="ctl00_ContentPlaceHolder1_AspNetPager1" class="paginator">'
        f"共{total}条记录 页次：{page}/{count} 每页：{PER_PAGE}条 " + " ".join(links) + "</div>"
    )


SCRIPT = """<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
if (!theForm) { theForm = document.aspnetForm; }
function __doPostBack(eventTarget, eventArgument) {
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }
}
//]]>
</script>"""


def _list_page(site, class_id: str, page: int) -> str:
    items = site.items(PID, class_id)
    count = max(1, -(-len(items) // PER_PAGE))
    rows = "".join(
        f'<tr><td class="dot">·</td><td><a href="ShowNews.aspx?NewsID={i.id}" target="_blank" '
        f'title="{html.escape(i.title, True)}">{html.escape(i.title)}</a></td>'
        f'<td class="date">{i.date}</td></tr>'
        for i in items[(page - 1) * PER_PAGE : page * PER_PAGE]
    )
    name = CLASSES[class_id]
    main = (
        f'<form name="aspnetForm" method="post" action="./NewsList.aspx?ClassID={class_id}" '
        'id="aspnetForm"><div>'
        '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
        '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
        f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{_state(class_id, page)}" />'
        f"</div>{SCRIPT}"
        '<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="7A8C3B21" />'
        '<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" '
        'value="/wEdAAMZ0y1Bq8HkX2n1kVQfD3y2" />'
        + crumb(("首页", HOME), (name, f"NewsList.aspx?ClassID={class_id}"))
        + f'<div class="list-box"><h2>{name}</h2><table class="news-table">{rows}</table>'
        + _pager(page, count, len(items))
        + "</div>"
        + '<div class="links">友情链接：<select name="ctl00$ddlLinks" '
        "onchange=\"if(this.value!=''){window.open(this.value);}\">"
        '<option value="">--政府网站--</option>'
        f'<option value="{site.offsite("/zwfw/")}">某省政务服务网</option>'
        f'<option value="{site.offsite("/mohurd/")}">住房和城乡建设部</option>'
        "</select></div></form>"
    )
    return SKIN.page(name, main)


ERROR = (
    "<html><head><title>Validation of viewstate MAC failed.</title></head><body>"
    "<h1>Server Error in '/' Application.</h1><h2><i>Validation of viewstate MAC failed.</i></h2>"
    "</body></html>"
)


def _list(site, request: Request) -> Answer | None:
    class_id = request.query.get("ClassID")
    if request.path != LIST or class_id not in CLASSES:
        return None
    if request.method == "GET":
        return Answer.html(_list_page(site, class_id, 1))
    form = request.form
    if _valid(class_id, form.get("__VIEWSTATE", "")) is None or "__EVENTVALIDATION" not in form:
        return Answer.html(ERROR, 500)
    if form.get("__EVENTTARGET") != PAGER or not form.get("__EVENTARGUMENT", "").isdigit():
        return Answer.html(_list_page(site, class_id, 1))
    return Answer.html(_list_page(site, class_id, int(form["__EVENTARGUMENT"])))


def _detail(site, request: Request) -> Answer | None:
    if request.path != ROOT + "News/ShowNews.aspx":
        return None
    item = site.find(PID, request.query.get("NewsID", ""))
    if item is None:
        return Answer.html(SKIN.page("提示", "<script>alert('该信息不存在或已删除！');</script>"))
    return Answer.html(SKIN.page(item.title, article(item, CLASSES[item.list], SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = f"{ROOT}News/ShowNews.aspx?NewsID={item.id}"
    latest = "".join(
        f'<li><a href="News/ShowNews.aspx?NewsID={i.id}">{html.escape(i.title)}</a></li>'
        for i in site.items(PID, "3")[:3]
    )
    main = (
        '<div class="banner">建设美丽城市 共建幸福家园</div>'
        f'<div class="box"><h3>通知公告<a class="more" href="News/NewsList.aspx?ClassID=3">更多&gt;&gt;</a>'
        f"</h3><ul>{latest}</ul></div>"
        '<div class="box"><h3>巡察工作<a class="more" href="News/NewsList.aspx?ClassID=7">更多&gt;&gt;</a>'
        "</h3><p>巡察工作专栏</p></div>"
    )
    site.add(HOME, SKIN.page(SKIN.name, main))
    site.add(
        ROOT + "About/Index.aspx",
        SKIN.page("机构概况", "<p>市住房和城乡建设局是市政府工作部门。</p>"),
    )
    site.routes += [lambda r: _list(site, r), lambda r: _detail(site, r)]
