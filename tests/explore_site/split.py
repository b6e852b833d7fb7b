"""A district bureau (TRS-style) whose long notices are split over several pages: one at
t…_ID.html, t…_ID_1.html, t…_ID_2.html with the article's pager written by createPageHTML (no
link in the page), one at content.jsp?id=N and &page=2 with a plain 下一页 link. The closing
sections, contacts, issuer and date are only on the last page."""

import html

from .chrome import Skin, article, crumb, paragraphs
from .server import Answer, Request

PID = "split"
ROOT = "/split/"
HOME = ROOT + "index.html"
COLUMN = ROOT + "xxgk/tzgg/"
JSP = ROOT + "content.jsp"
JSP_IDS = {"8812"}
SOURCE = "区商务局"
SKIN = Skin(
    "某市某区商务局",
    (("首页", HOME), ("信息公开", ROOT + "xxgk/index.html"), ("通知公告", COLUMN + "index.html")),
    css="swj",
    generator="TRS WCM",
    footer="主办：某区商务局  技术支持：拓尔思",
)

PAGER = """<div class="page" id="page_div"><script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  for (var i = 0; i < _nPageCount; i++) {
    var name = i == 0 ? _sPageName + '.' + _sPageExt : _sPageName + '_' + i + '.' + _sPageExt;
    if (i == _nCurrIndex) { document.write('<span class="current">' + (i + 1) + '</span>'); }
    else { document.write('<a href="' + name + '">' + (i + 1) + '</a>'); }
  }
}
createPageHTML(%(count)d, %(index)d, "%(stem)s", "html");
</script></div>"""


def _stem(item) -> str:
    return f"t{item.date.replace('-', '')}_{item.id}"


def _path(item) -> str:
    if item.id in JSP_IDS:
        return f"{JSP}?id={item.id}"
    return f"{COLUMN}{item.date[:7].replace('-', '')}/{_stem(item)}.html"


def part_paths(item) -> list[str]:
    """The URL of each page of an article, first to last."""
    if item.id in JSP_IDS:
        return [_path(item)] + [f"{JSP}?id={item.id}&page={n}" for n in range(2, item.parts + 1)]
    stem = _path(item).removesuffix(".html")
    return [_path(item)] + [f"{stem}_{n}.html" for n in range(1, item.parts)]


def _jsp_pager(item, index: int) -> str:
    hrefs = [f"?id={item.id}"] + [f"?id={item.id}&amp;page={n}" for n in range(2, item.parts + 1)]
    links = [f'<a href="{href}">{n}</a>' for n, href in enumerate(hrefs, 1)]
    links[index] = f'<span class="current">{index + 1}</span>'
    if index + 1 < item.parts:
        links.append(f'<a href="?id={item.id}&amp;page={index + 2}">下一页</a>')
    return '<div class="art-pager">' + " ".join(links) + "</div>"


def _part(item, index: int) -> str:
    body = paragraphs(item.split()[index])
    if item.id in JSP_IDS:
        after = _jsp_pager(item, index)
    else:
        after = PAGER % {"count": item.parts, "index": index, "stem": _stem(item)}
    return SKIN.page(item.title, article(item, "通知公告", SOURCE, body=body, after=after))


def _route(site, request: Request) -> Answer | None:
    for item in site.items(PID):
        for index, path in enumerate(part_paths(item)):
            if request.target == path:
                return Answer.html(_part(item, index))
    if request.path == JSP:
        return Answer.html(SKIN.page("提示", "<p>信息不存在</p>"))
    return None


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    rows = "".join(
        f'<li><a href="{i.path}" title="{html.escape(i.title, True)}" target="_blank">'
        f"{html.escape(i.title)}</a><span>[{i.date}]</span></li>"
        for i in site.items(PID, "tzgg")
    )
    main = (
        crumb(("首页", HOME), ("通知公告", COLUMN + "index.html")) + f'<ul class="list">{rows}</ul>'
    )
    site.add(COLUMN + "index.html", SKIN.page("通知公告", main))
    site.add(COLUMN, SKIN.page("通知公告", main))
    site.add(
        ROOT + "xxgk/index.html",
        SKIN.page("信息公开", f'<a href="{COLUMN}index.html">通知公告</a>'),
    )
    site.add(
        HOME, SKIN.page(SKIN.name, '<div class="box"><a href="xxgk/index.html">信息公开</a></div>')
    )
    site.routes.append(lambda r: _route(site, r))
