"""A district education bureau whose lists are table rows, not links: `<tr data-id data-ch>`
with one click handler on the table that builds the article's URL from the row's data (the
id's first six digits are the folder). The 巡察整改 list is such a table (and is itself no
notice); so is 党建动态. The page holds no link to any article."""

import html

from .chrome import Skin, article, crumb
from .server import Answer, Request

PID = "row"
ROOT = "/row/"
HOME = ROOT + "index.html"
SECTION = ROOT + "djyd/index.html"
LISTS = {"xczg": "巡察整改", "djdt": "党建动态"}
SOURCE = "区教育局党委办"
SKIN = Skin(
    "某区教育局",
    (("首页", HOME), ("教育动态", ROOT + "jydt/index.html"), ("党建园地", SECTION)),
    css="edu",
    footer="主办：某区教育局  地址：某区学前路12号  技术支持：某某软件",
)


def _path(item) -> str:
    return f"{ROOT}html/{item.list}/{item.id[:6]}/{item.id}.html"


SCRIPT = """<script>
function buildUrl(ch, id) { return '/row/html/' + ch + '/' + id.substring(0, 6) + '/' + id + '.html'; }
document.getElementById('newsTable').addEventListener('click', function (e) {
  var tr = e.target.closest('tr[data-id]');
  if (tr) { window.location.href = buildUrl(tr.getAttribute('data-ch'), tr.getAttribute('data-id')); }
});
</script>"""


def _list_page(site, name: str) -> str:
    rows = "".join(
        f'<tr class="news-row" data-id="{i.id}" data-ch="{name}" style="cursor:pointer">'
        f'<td class="t">{html.escape(i.title)}</td><td class="d">{i.date}</td></tr>'
        for i in site.items(PID, name)
    )
    main = (
        crumb(("首页", HOME), ("党建园地", SECTION), (LISTS[name], f"{name}.html"))
        + f'<div class="list"><h2>{LISTS[name]}</h2><table id="newsTable" class="news">'
        f"{rows}</table></div>{SCRIPT}"
    )
    return SKIN.page(LISTS[name], main)


def _route(site, request: Request) -> Answer | None:
    for name in LISTS:
        if request.path == f"{ROOT}djyd/{name}.html":
            return Answer.html(_list_page(site, name))
    item = site.item_at(PID, request.path)
    if item is None:
        return None
    return Answer.html(SKIN.page(item.title, article(item, LISTS[item.list], SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    menu = "".join(f'<li><a href="{name}.html">{title}</a></li>' for name, title in LISTS.items())
    site.add(
        SECTION,
        SKIN.page("党建园地", crumb(("首页", HOME), ("党建园地", SECTION)) + f"<ul>{menu}</ul>"),
    )
    site.add(ROOT + "jydt/index.html", SKIN.page("教育动态", "<p>暂无信息</p>"))
    site.add(HOME, SKIN.page(SKIN.name, '<div class="banner">办好人民满意的教育</div>'))
    site.routes.append(lambda r: _route(site, r))
