"""A bureau portal on a modern front end: the 党建工作 list is empty in the page; its script
GETs the first five records from a feed API on load, and 查看更多 GETs the next five with the
opaque `cursor` the previous reply named (no page numbers, no offsets). Notices only in the
second and third replies."""

import base64
import hashlib
import json

from .chrome import Skin, article, crumb
from .server import Answer, Request

PID = "cur"
ROOT = "/cur/"
HOME = ROOT + "index.html"
COLUMN = ROOT + "channel/djgz.html"
API = ROOT + "api/feed"
SIZE = 5
SOURCE = "局机关党委"
SKIN = Skin(
    "某市交通运输局",
    (
        ("首页", HOME),
        ("新闻动态", ROOT + "channel/xwdt.html"),
        ("党建工作", COLUMN),
        ("政务服务", ROOT + "channel/zwfw.html"),
    ),
    css="jtj",
    footer="主办：某市交通运输局  技术支持：某某数字科技有限公司",
)


def _path(item) -> str:
    return f"{ROOT}article/{item.date[:7].replace('-', '')}/{item.id}.html"


def _cursor(item) -> str:
    raw = json.dumps({"t": item.datetime, "id": item.id}).encode()
    sign = hashlib.md5(raw + b"cursor-salt").hexdigest()[:8]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=") + "." + sign


def _after(items, cursor: str) -> list | None:
    """The items after the one a cursor names; None for a cursor this server never gave."""
    for index, item in enumerate(items):
        if _cursor(item) == cursor:
            return items[index + 1 :]
    return None


def _feed(site, request: Request) -> Answer | None:
    if request.path != API:
        return None
    items = site.items(PID, request.query.get("channel", ""))
    cursor = request.query.get("cursor")
    rest = items if cursor is None else _after(items, cursor)
    if not items or rest is None:
        return Answer.json({"code": 400, "msg": "参数错误", "data": None})
    page = rest[:SIZE]
    more = len(rest) > SIZE
    records = [
        {"articleId": i.id, "title": i.title, "publishTime": i.date, "link": _path(i)} for i in page
    ]
    data = {"records": records, "hasMore": more, "nextCursor": _cursor(page[-1]) if more else None}
    return Answer.json({"code": 0, "msg": "success", "data": data})


SCRIPT = """<script>
(function () {
  var cursor = null;
  var list = document.getElementById('articleList');
  var more = document.getElementById('loadMore');
  function load() {
    var url = '%(api)s?channel=djgz&size=%(size)d' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    fetch(url, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); })
      .then(function (res) {
        res.data.records.forEach(function (a) {
          var li = document.createElement('li');
          li.innerHTML = '<a target="_blank"></a><span class="time"></span>';
          li.firstChild.href = a.link;
          li.firstChild.textContent = a.title;
          li.lastChild.textContent = a.publishTime;
          list.appendChild(li);
        });
        cursor = res.data.nextCursor;
        more.style.display = res.data.hasMore ? '' : 'none';
      });
  }
  more.addEventListener('click', load);
  load();
})();
</script>"""


def _detail(site, request: Request) -> Answer | None:
    item = site.item_at(PID, request.path)
    if item is None:
        return None
    return Answer.html(SKIN.page(item.title, article(item, "党建工作", SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    main = (
        crumb(("首页", HOME), ("党建工作", COLUMN))
        + '<div class="channel"><h2>党建工作</h2><ul class="article-list" id="articleList"></ul>'
        '<button type="button" class="load-more" id="loadMore" style="display:none">查看更多</button>'
        f'<button type="button" class="to-gov" onclick="location.href=\'{site.offsite("/jtyst/")}\'">'
        "省交通运输厅</button></div>" + SCRIPT % {"api": API, "size": SIZE}
    )
    site.add(COLUMN, SKIN.page("党建工作", main))
    site.add(ROOT + "channel/xwdt.html", SKIN.page("新闻动态", '<ul class="article-list"></ul>'))
    site.add(ROOT + "channel/zwfw.html", SKIN.page("政务服务", "<p>办事指南</p>"))
    site.add(HOME, SKIN.page(SKIN.name, '<div class="banner">交通强市 人民满意</div>'))
    site.routes += [lambda r: _feed(site, r), lambda r: _detail(site, r)]
