"""A county government's 信息公开 page: category tabs (`<li data-cat>`, one delegated handler)
and a year `<select>`; each change POSTs cat and year as a form to catList.do and replaces the
table with the HTML rows it answers. Only 通知公告/2025 is in the page; the notices are behind
the 整改通报 tab, for 2025 and (with the year select) 2024 and 2023. One tab opens another host."""

import html

from .chrome import Skin, article, crumb
from .server import Answer, Request

PID = "tab"
ROOT = "/tab/"
HOME = ROOT + "index.html"
PAGE = ROOT + "xxgk/index.html"
ENDPOINT = ROOT + "xxgk/catList.do"
TABS = {"tzgg": "通知公告", "xcgz": "巡察工作", "zgtb": "整改通报"}
YEARS = ("2025", "2024", "2023")
SOURCE = "县人民政府办公室"
SKIN = Skin(
    "某县人民政府",
    (("首页", HOME), ("信息公开", PAGE), ("走进某县", ROOT + "zjmx/index.html")),
    css="xzf",
    footer="主办：某县人民政府办公室  承办：某县大数据中心",
)


def _path(item) -> str:
    cat, year = item.list.split("/")
    return f"{ROOT}xxgk/{cat}/{year}/{item.id}.shtml"


def _rows(site, cat: str, year: str) -> str:
    items = site.items(PID, f"{cat}/{year}")
    if not items:
        return '<tr><td colspan="2" class="empty">暂无信息</td></tr>'
    return "".join(
        f'<tr><td><a href="{_path(i)}" target="_blank">{html.escape(i.title)}</a></td>'
        f"<td>{i.date}</td></tr>"
        for i in items
    )


def _list(site, request: Request) -> Answer | None:
    if request.path != ENDPOINT:
        return None
    if request.method != "POST":
        return Answer.html("<h1>405 Method Not Allowed</h1>", 405)
    form = request.form
    if form.get("cat") not in TABS or form.get("year") not in YEARS:
        return Answer.html('<tr><td colspan="2">参数错误</td></tr>')
    return Answer.html(_rows(site, form["cat"], form["year"]))


SCRIPT = """<script>
(function () {
  var state = {cat: 'tzgg', year: '2025'};
  function reload() {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '%(endpoint)s');
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    xhr.onload = function () { document.getElementById('infoBody').innerHTML = xhr.responseText; };
    xhr.send('cat=' + state.cat + '&year=' + state.year);
  }
  document.getElementById('tabs').addEventListener('click', function (e) {
    var li = e.target.closest('li');
    if (!li) { return; }
    if (li.getAttribute('data-href')) { window.open(li.getAttribute('data-href')); return; }
    var lis = this.querySelectorAll('li');
    for (var i = 0; i < lis.length; i++) { lis[i].className = ''; }
    li.className = 'on';
    state.cat = li.getAttribute('data-cat');
    reload();
  });
  document.getElementById('yearSel').addEventListener('change', function () {
    state.year = this.value;
    reload();
  });
})();
</script>"""


def _detail(site, request: Request) -> Answer | None:
    item = site.item_at(PID, request.path)
    if item is None:
        return None
    where = TABS[item.list.split("/")[0]]
    return Answer.html(SKIN.page(item.title, article(item, where, SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    on = {"tzgg": ' class="on"'}
    tabs = "".join(
        f'<li data-cat="{cat}"{on.get(cat, "")}>{name}</li>' for cat, name in TABS.items()
    )
    tabs += f'<li data-href="{site.offsite("/bsfw/")}">政务服务</li>'
    years = "".join(f'<option value="{y}">{y}年</option>' for y in YEARS)
    main = (
        crumb(("首页", HOME), ("信息公开", PAGE))
        + f'<div class="xxgk"><ul class="tab-nav" id="tabs">{tabs}</ul>'
        f'<div class="filter">年份：<select id="yearSel">{years}</select></div>'
        '<table class="info-table"><thead><tr><th>标题</th><th>发布日期</th></tr></thead>'
        f'<tbody id="infoBody">{_rows(site, "tzgg", "2025")}</tbody></table></div>'
        + SCRIPT
        % {"endpoint": ENDPOINT}
    )
    site.add(PAGE, SKIN.page("信息公开", main))
    site.add(ROOT + "zjmx/index.html", SKIN.page("走进某县", "<p>某县位于某省东部。</p>"))
    site.add(HOME, SKIN.page(SKIN.name, '<div class="banner">某县人民政府门户网站</div>'))
    site.routes += [lambda r: _list(site, r), lambda r: _detail(site, r)]
