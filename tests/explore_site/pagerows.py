"""A county bureau on an old JSP platform (GBK, the charset only in a meta tag) whose 通知公告
column is `<tr class="row" data-id>` table rows with no link, opened in a new window by one
jQuery-style listener on the document (`$(document).on('click', '.row', …)`) that builds
`/prw/web/info/view.jsp?infoId={id}&lmid=44`. The column has two pages linked by a plain pager
(`list.jsp?lmid=44&page=2`, `&page=1`): a rows rule learned on one page reads the other, over
HTTP. A notice is on each page (page 2 holds two rows, the notice the second: too few for
the rows to say the page needs the browser). The 工作动态 column (lmid=45) has
rows of the same shape and no notice."""

import html

from .chrome import Skin, article, crumb
from .opener import gbk, plain_pager
from .server import Request

PID = "prw"
ROOT = "/prw/"
HOME = ROOT + "index.jsp"
LIST = ROOT + "web/list.jsp"
VIEW = ROOT + "web/info/view.jsp"
PER_PAGE = 10
COLUMNS = {"44": "通知公告", "45": "工作动态"}
SOURCE = "县住建局办公室"
SKIN = Skin(
    "某县住房和城乡建设局",
    tuple((title, f"{LIST}?lmid={lmid}") for lmid, title in COLUMNS.items()),
    css="zjj",
    footer="主办：某县住房和城乡建设局  地址：某县建设路18号  技术支持：某某网络",
)

# a small jQuery look-alike: one delegated listener on the document
OPENER = """<script type="text/javascript">
function $(target) {
  return {
    on: function (type, selector, handler) {
      target.addEventListener(type, function (e) {
        var row = e.target.closest ? e.target.closest(selector) : null;
        if (row) { handler.call(row, e); }
      });
    },
    data: function (name) { return target.getAttribute('data-' + name); }
  };
}
$(document).on('click', '.row', function () {
  var id = $(this).data('id');
  window.open('/prw/web/info/view.jsp?infoId=' + id + '&lmid=' + LMID);
});
</script>"""


def _path(item) -> str:
    return f"{VIEW}?infoId={item.id}&lmid={item.list[2:]}"


def _row(item) -> str:
    return (
        f'<tr class="row" data-id="{item.id}"><td class="t">{html.escape(item.title)}</td>'
        f'<td class="d">[{item.date}]</td></tr>'
    )


def _list_page(site, lmid: str, page: int):
    items = site.items(PID, f"lm{lmid}")
    pages = max(1, -(-len(items) // PER_PAGE))
    if not 1 <= page <= pages:
        return gbk(SKIN.page("提示", "<p>参数错误！</p>"))
    rows = "".join(_row(i) for i in items[(page - 1) * PER_PAGE : page * PER_PAGE])

    def go(n: int, label: str) -> str:
        return f'<a href="list.jsp?lmid={lmid}&amp;page={n}">{label}</a>'

    pager = plain_pager(f"共{len(items)}条", page, pages, go)
    title = COLUMNS[lmid]
    main = (
        crumb(("首页", HOME), (title, f"{LIST}?lmid={lmid}"))
        + f'<div class="lm"><h2>{title}</h2><table class="lm-list">{rows}</table>'
        f'<div class="lm-pager">{pager}</div></div>'
        f"<script>var LMID = '{lmid}';</script>{OPENER}"
    )
    return gbk(SKIN.page(title, main))


def _route(site, request: Request):
    query = request.query
    if request.path == LIST and query.get("lmid") in COLUMNS:
        page = query.get("page", "1")
        return _list_page(site, query["lmid"], int(page) if page.isdigit() else 0)
    if request.path == VIEW:
        item = site.find(PID, query.get("infoId", ""))
        if item is not None and item.list == f"lm{query.get('lmid')}":
            return gbk(SKIN.page(item.title, article(item, COLUMNS[item.list[2:]], SOURCE)))
    return None


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    boxes = "".join(
        f'<div class="box"><a href="web/list.jsp?lmid={lmid}">{title}</a></div>'
        for lmid, title in COLUMNS.items()
    )
    site.add(HOME, gbk(SKIN.page(SKIN.name, boxes)))
    site.routes.append(lambda r: _route(site, r))
