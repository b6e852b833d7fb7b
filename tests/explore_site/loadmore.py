"""A district government portal (TRS-style paths) whose 巡察专栏 shows six items and a 加载更多
button: each press GETs the next six as an HTML fragment by offset (`start`), appended to the
list; an empty fragment ends it. Notices only in the second and third fragments."""

import html

from .chrome import Skin, article, crumb
from .server import Answer, Request

PID = "lm"
ROOT = "/lm/"
HOME = ROOT + "index.html"
COLUMN = ROOT + "zwgk/xczl/"
MORE = ROOT + "ajax/getMoreArticles.jsp"
BATCH = 6
CHANNEL = "1520"
SOURCE = "区委巡察办"
SKIN = Skin(
    "某市某区人民政府",
    (
        ("首页", HOME),
        ("政务公开", ROOT + "zwgk/index.html"),
        ("政务服务", ROOT + "zwfw/index.html"),
    ),
    css="qzf",
    generator="TRS WCM",
    footer="主办：某区人民政府办公室  承办：某区政务服务数据管理局",
)


def _path(item) -> str:
    ym = item.date[:7].replace("-", "")
    return f"{COLUMN}{ym}/t{item.date.replace('-', '')}_{item.id}.html"


def _rows(items) -> str:
    return "".join(
        f'<li><a href="{_path(i)}" target="_blank" title="{html.escape(i.title, True)}">'
        f"{html.escape(i.title)}</a><span>{i.date}</span></li>\n"
        for i in items
    )


SCRIPT = """<script>
(function () {
  var loaded = %(batch)d;
  var btn = document.getElementById('btnMore');
  btn.addEventListener('click', function () {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '%(more)s?chnlid=%(channel)s&start=' + loaded + '&num=%(batch)d');
    xhr.onload = function () {
      var text = xhr.responseText.replace(/^\\s+|\\s+$/g, '');
      if (!text) { btn.textContent = '没有更多了'; btn.className = 'more-btn disabled'; return; }
      document.getElementById('newsList').insertAdjacentHTML('beforeend', text);
      loaded += %(batch)d;
    };
    xhr.send();
  });
})();
</script>"""


def _more(site, request: Request) -> Answer | None:
    if request.path != MORE:
        return None
    query = request.query
    if query.get("chnlid") != CHANNEL or not query.get("start", "").isdigit():
        return Answer.html("")
    start, num = int(query["start"]), min(int(query.get("num") or BATCH), 20)
    return Answer.html(_rows(site.items(PID, "xczl")[start : start + num]))


def _detail(site, request: Request) -> Answer | None:
    item = site.item_at(PID, request.path)
    if item is None:
        return None
    return Answer.html(SKIN.page(item.title, article(item, "巡察专栏", SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    items = site.items(PID, "xczl")
    main = (
        crumb(("首页", HOME), ("政务公开", ROOT + "zwgk/index.html"), ("巡察专栏", COLUMN))
        + '<div class="list-con"><div class="list-title">巡察专栏</div>'
        f'<ul class="newsList" id="newsList">\n{_rows(items[:BATCH])}</ul>'
        '<div class="more-wrap"><a class="more-btn" id="btnMore" href="javascript:void(0);">'
        "加载更多</a></div></div>" + SCRIPT % {"batch": BATCH, "more": MORE, "channel": CHANNEL}
    )
    site.add(COLUMN, SKIN.page("巡察专栏", main))
    site.add(COLUMN + "index.html", SKIN.page("巡察专栏", main))
    portal = (
        crumb(("首页", HOME), ("政务公开", ROOT + "zwgk/index.html")) + '<div class="zwgk-menu">'
        '<a href="xczl/">巡察专栏</a><a href="../zwfw/index.html">办事服务</a></div>'
    )
    site.add(ROOT + "zwgk/index.html", SKIN.page("政务公开", portal))
    site.add(ROOT + "zwfw/index.html", SKIN.page("政务服务", "<p>请前往某省网上办事大厅办理。</p>"))
    site.add(
        HOME,
        SKIN.page(
            SKIN.name,
            '<div class="banner">某区人民政府欢迎您</div><div class="entry">'
            '<a href="zwgk/index.html">政务公开</a><a href="zwfw/index.html">政务服务</a></div>',
        ),
    )
    site.routes += [lambda r: _more(site, r), lambda r: _detail(site, r)]
