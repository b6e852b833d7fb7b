"""A 纪委监委 site built as a hash-routed single-page app: `#/list/xsxc` and the other views are
drawn by script; every API call is a POST with a JSON body and an `Authorization: Bearer` token
taken from a guest login (no token, no data). The 巡视巡察 channel has two pages (下一页 button);
articles are `detail.html?id=N` shells showing 正在加载…… until the detail API fills them."""

import hashlib
import os

from .chrome import FILL_SCRIPT, Skin, record, shell
from .server import Answer, Request

PID = "spa"
ROOT = "/spa/"
HOME = ROOT + "index.html"
API = ROOT + "api/"
SIZE = 6
CHANNELS = {"gzdt": ("1001", "工作动态"), "xsxc": ("1005", "巡视巡察")}
SOURCE = "市纪委监委"
SKIN = Skin(
    "清风某市",
    (("首页", HOME),),
    css="qf",
    generator="Vue.js",
    footer="主办：中共某市纪律检查委员会 某市监察委员会",
)
SECRET = os.urandom(8).hex()


def token() -> str:
    return hashlib.sha256(SECRET.encode()).hexdigest()[:32]


def _path(item) -> str:
    return f"{ROOT}detail.html?id={item.id}"


def _authorized(request: Request) -> bool:
    return request.headers.get("Authorization") == f"Bearer {token()}"


def _page(site, body: dict) -> dict:
    channel = next((k for k, (cid, _) in CHANNELS.items() if cid == body.get("channelId")), None)
    if channel is None:
        return {"code": 500, "msg": "栏目不存在"}
    items = site.items(PID, channel)
    current, size = int(body.get("current") or 1), min(int(body.get("size") or SIZE), 20)
    rows = items[(current - 1) * size : current * size]
    records = [{"id": i.id, "title": i.title, "publishTime": i.date} for i in rows]
    pages = max(1, -(-len(items) // size))
    data = {
        "records": records,
        "total": len(items),
        "current": current,
        "size": size,
        "pages": pages,
    }
    return {"code": 200, "msg": "操作成功", "data": data}


def _api(site, request: Request) -> Answer | None:
    if not request.path.startswith(API):
        return None
    name = request.path.removeprefix(API)
    if request.method != "POST":
        return Answer.json({"code": 405, "msg": "Request method not supported"}, 405)
    if name == "auth/guest":
        return Answer.json({"code": 200, "data": {"token": token(), "expiresIn": 7200}})
    if not _authorized(request):
        return Answer.json({"code": 401, "msg": "未授权，请重新登录"}, 401)
    body = request.json()
    if name == "cms/article/page":
        return Answer.json(_page(site, body))
    if name == "cms/article/detail":
        item = site.find(PID, str(body.get("id", "")))
        if item is None:
            return Answer.json({"code": 404, "msg": "文章不存在"})
        return Answer.json({"code": 200, "data": record(item, _path(item), SOURCE)})
    return Answer.json({"code": 404, "msg": "接口不存在"}, 404)


CLIENT = """<script>
var api = {
  token: null,
  post: function (url, body) {
    var self = this;
    var ready = self.token ? Promise.resolve(self.token) :
      fetch('%(api)sauth/guest', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({clientId: 'portal-web'})})
        .then(function (r) { return r.json(); })
        .then(function (res) { self.token = res.data.token; return self.token; });
    return ready.then(function (t) {
      return fetch('%(api)s' + url, {method: 'POST', body: JSON.stringify(body),
        headers: {'Content-Type': 'application/json;charset=UTF-8', 'Authorization': 'Bearer ' + t}});
    }).then(function (r) { return r.json(); });
  }
};
</script>"""

APP = """<div id="app"><div class="header"><div class="logo">清风某市</div><ul class="menu" id="menu">
<li><a href="#/">首页</a></li><li><a href="#/list/gzdt">工作动态</a></li>
<li><a href="#/list/xsxc">巡视巡察</a></li><li class="ext" id="zwfw">政务服务</li></ul></div>
<div id="view">正在加载……</div></div>
<script>
var CHANNELS = {gzdt: ['1001', '工作动态'], xsxc: ['1005', '巡视巡察']};
function renderList(code, current) {
  var ch = CHANNELS[code];
  api.post('cms/article/page', {channelId: ch[0], current: current, size: %(size)d}).then(function (res) {
    var d = res.data, html = '<h2>' + ch[1] + '</h2><ul class="list">';
    d.records.forEach(function (a) {
      html += '<li><a target="_blank" href="detail.html?id=' + a.id + '"></a><span>' + a.publishTime + '</span></li>';
    });
    html += '</ul><div class="pager">共' + d.total + '条 第' + d.current + '/' + d.pages + '页 ' +
      '<button class="prev"' + (d.current > 1 ? '' : ' disabled') + '>上一页</button>' +
      '<button class="next"' + (d.current < d.pages ? '' : ' disabled') + '>下一页</button></div>';
    var view = document.getElementById('view');
    view.innerHTML = html;
    var links = view.querySelectorAll('.list a');
    d.records.forEach(function (a, i) { links[i].textContent = a.title; });
    view.querySelector('.prev').onclick = function () { renderList(code, d.current - 1); };
    view.querySelector('.next').onclick = function () { renderList(code, d.current + 1); };
  });
}
function route() {
  var m = location.hash.match(/^#\\/list\\/(\\w+)/);
  if (m && CHANNELS[m[1]]) { renderList(m[1], 1); return; }
  document.getElementById('view').innerHTML = '<div class="banner">正风肃纪 清风某市</div>';
}
document.getElementById('zwfw').onclick = function () { window.open('%(offsite)s'); };
window.addEventListener('hashchange', route);
route();
</script>"""

DETAIL = """<script>
var id = (location.search.match(/id=(\\d+)/) || [])[1];
api.post('cms/article/detail', {id: id}).then(function (res) {
  if (res.code === 200) { fillArticle(res.data); }
  else { document.getElementById('content').textContent = '文章不存在或已删除'; }
});
</script>"""


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    client = CLIENT % {"api": API}
    app = APP % {"size": SIZE, "offsite": site.offsite("/zwfw/")}
    site.add(HOME, SKIN.page(SKIN.name, client + app))
    site.add(ROOT, SKIN.page(SKIN.name, client + app))
    detail = shell("正文") + client + f"<script>{FILL_SCRIPT}</script>" + DETAIL
    site.add(ROOT + "detail.html", SKIN.page(SKIN.name, detail))
    site.routes.append(lambda r: _api(site, r))
