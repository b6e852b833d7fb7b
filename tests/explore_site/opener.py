"""A city finance bureau on an old JSP platform (GBK, the charset only in a meta tag): the
党建工作 list is `<li data-docid data-date>` rows with no link, opened in a new window by one
click listener on the document itself (no handler on the rows, no pointer cursor): it builds
`/opn/html/{yyyymm}/{docid}.html`. The list has two static pages; a long notice on page 2 is
split into `4633.html`, `4633_2.html`, `4633_3.html` by a pager that numbers from 2."""

import html

from .chrome import Skin, article, crumb, paragraphs
from .server import Answer, Request

PID = "opn"
ROOT = "/opn/"
HOME = ROOT + "index.jsp"
LIST = ROOT + "dj/list.jsp"
CID = "17"
PER_PAGE = 10
SOURCE = "市财政局办公室"
SKIN = Skin(
    "某市财政局",
    (("首页", HOME), ("财政动态", ROOT + "cz/list.jsp?cid=11"), ("党建工作", f"{LIST}?cid={CID}")),
    css="czj",
    footer="主办：某市财政局  地址：某市财政路6号  技术支持：某某软件",
)

# one listener on the document: a row is found from the clicked element upwards
OPENER = """<script type="text/javascript">
document.addEventListener('click', function (e) {
  var el = e.target;
  while (el && el !== document && !(el.getAttribute && el.getAttribute('data-docid'))) {
    el = el.parentNode;
  }
  if (!el || el === document) { return; }
  var month = el.getAttribute('data-date').substring(0, 6);
  window.open('/opn/html/' + month + '/' + el.getAttribute('data-docid') + '.html', '_blank');
});
</script>"""


def gbk(text: str, status: int = 200) -> Answer:
    """A page in GBK that says so only in its meta tag (the header names no charset)."""
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    return Answer(text.replace('<meta charset="utf-8">', meta).encode("gbk"), "text/html", status)


def _path(item) -> str:
    return f"{ROOT}html/{item.date[:7].replace('-', '')}/{item.id}.html"


def part_paths(item) -> list[str]:
    """The URL of each page of an article, first to last (`_2` is the second)."""
    stem = _path(item).removesuffix(".html")
    return [_path(item)] + [f"{stem}_{n}.html" for n in range(2, item.parts + 1)]


def _row(item) -> str:
    return (
        f'<li class="lb-item" data-docid="{item.id}" data-date="{item.date.replace("-", "")}">'
        f'<span class="lb-t">{html.escape(item.title)}</span>'
        f'<span class="lb-d">{item.date}</span></li>'
    )


def plain_pager(count: str, page: int, pages: int, go) -> str:
    """An old platform's pager of plain links: 首页, 上一页, 下一页, 尾页 (`go(n, label)`)."""
    return (
        f"{count} 第{page}/{pages}页 {go(1, '首页')} "
        + (go(page - 1, "上一页") if page > 1 else "上一页")
        + " "
        + (go(page + 1, "下一页") if page < pages else "下一页")
        + f" {go(pages, '尾页')}"
    )


def _list_page(site, page: int) -> Answer:
    items = site.items(PID, "djgz")
    pages = -(-len(items) // PER_PAGE)
    if not 1 <= page <= pages:
        return gbk(SKIN.page("提示", "<p>参数错误！</p>"))
    rows = "".join(_row(i) for i in items[(page - 1) * PER_PAGE : page * PER_PAGE])

    def go(n: int, label: str) -> str:
        return f'<a href="list.jsp?cid={CID}&amp;pg={n}">{label}</a>'

    pager = plain_pager(f"共{len(items)}条记录", page, pages, go)
    main = (
        crumb(("首页", HOME), ("党建工作", f"{LIST}?cid={CID}"))
        + f'<div class="lb"><h2>党建工作</h2><ul class="lb-list" id="lbList">{rows}</ul>'
        f'<div class="lb-pager">{pager}</div></div>{OPENER}'
    )
    return gbk(SKIN.page("党建工作", main))


def _pager(item, index: int) -> str:
    """The article's pager: its page count, the pages (the first without a suffix), 下一页."""
    paths = part_paths(item)
    names = [p.rsplit("/", 1)[1] for p in paths]
    links = [f'<a title="Total record">&nbsp;<b>{item.parts}</b> </a>']
    links += [
        f"<b>{n}</b>" if n == index + 1 else f'<a href="{name}">{n}</a>'
        for n, name in enumerate(names, 1)
    ]
    if index + 1 < item.parts:
        links.append(f'<a href="{names[index + 1]}">下一页</a>')
    return '<div class="epages">' + "&nbsp;".join(links) + "</div>"


def _part(item, index: int) -> Answer:
    if item.parts == 1:
        return gbk(SKIN.page(item.title, article(item, "党建工作", SOURCE)))
    body = paragraphs(item.split()[index])
    main = article(item, "党建工作", SOURCE, body=body, after=_pager(item, index))
    return gbk(SKIN.page(item.title, main))


def _route(site, request: Request) -> Answer | None:
    if request.path == LIST and request.query.get("cid") == CID:
        page = request.query.get("pg", "1")
        return _list_page(site, int(page) if page.isdigit() else 0)
    for item in site.items(PID):
        for index, path in enumerate(part_paths(item)):
            if request.path == path:
                return _part(item, index)
    return None


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    site.add(ROOT + "cz/list.jsp?cid=11", gbk(SKIN.page("财政动态", "<p>暂无信息</p>")))
    box = f'<div class="box"><a href="dj/list.jsp?cid={CID}">党建工作</a></div>'
    site.add(HOME, gbk(SKIN.page(SKIN.name, box)))
    site.routes.append(lambda r: _route(site, r))
