"""A district government portal built as a hash-routed single-page app (Vue with a hash-mode
router): the page as served is an empty mount point and a script bundle. The bundle first GETs a
visitor token (`api/auth/visitor-token`), then POSTs every list query as JSON
(`{"pageNo":1,"pageSize":10,"channel":"xczg"}`) with `Authorization: Bearer <token>`; the rows
it gets back are `{id, title, date}`, no URL: the app draws `content/{id}.html`. Tokens are
issued per visit and expire (a token of the first crawl is refused at the recrawl).

Views are hash routes (`#/list/yw`); the pager is element-ui's (buttons and `<li>` numbers, no
link). The 巡察整改 channel sits in a drop-down of the menu, shown only on hover, and no other
view links it. Notices on pages 1 and 2 of 巡察整改."""

import html
import secrets

from .chrome import Skin, article
from .server import Answer, Request

PID = "hsh"
ROOT = "/hsh/"
HOME = ROOT
API = ROOT + "api/"
SIZE = 10
SOURCE = "区政府办公室"
CHANNELS = {"yw": "要闻动态", "tzgg": "通知公告", "djdt": "党建动态", "xczg": "巡察整改"}
FOOTER = "主办：某区人民政府办公室  技术支持：某某数字科技有限公司"
# the article pages' chrome (the app draws its own)
SKIN = Skin("某市某区人民政府门户网站", (("首页", HOME),), "qzf", "Vue.js", FOOTER)
# token -> whether the portals had published their later items when it was issued: a token
# lives for one visit (the recrawl's first call with a stored token is refused)
TOKENS: dict[str, bool] = {}

SHELL = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>某市某区人民政府门户网站</title><link href="/hsh/static/css/chunk-vendors.css" rel="stylesheet">
<style>.menu>li{display:inline-block;position:relative;padding:0 18px}
.menu .drop{display:none;position:absolute;top:100%;left:0;background:#fff}
.menu>li:hover .drop{display:block}</style></head>
<body><noscript><strong>本网站需要启用JavaScript才能正常访问，请开启后刷新页面。</strong></noscript>
<div id="app"></div><script src="/hsh/static/js/app.8c1d2e.js"></script></body></html>"""

APP = r"""(function () {
  var API = '/hsh/api/', token = '';
  var MENU = [['yw', '要闻动态', []], ['', '政务公开', [['tzgg', '通知公告']]],
              ['', '党的建设', [['djdt', '党建动态'], ['xczg', '巡察整改']]]];
  var names = {};
  function login() {
    return fetch(API + 'auth/visitor-token?clientId=portal-web').then(function (r) { return r.json(); })
      .then(function (res) { token = res.data.accessToken; });
  }
  function send() {
    return fetch(this.url, {method: 'POST', body: JSON.stringify(this.body),
      headers: {'Content-Type': 'application/json;charset=UTF-8', 'Authorization': 'Bearer ' + token}});
  }
  function post(path, body) {
    var q = {url: API + path, body: body};
    return (token ? Promise.resolve() : login()).then(send.bind(q)).then(function (r) {
      if (r.status === 401) { return login().then(send.bind(q)); }
      return r;
    }).then(function (r) { return r.json(); }).then(function (res) { return res.data; });
  }
  function esc(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
  function rows(list) {
    return '<ul class="news-list">' + list.map(function (r) {
      return '<li><a href="/hsh/content/' + r.id + '.html" target="_blank">' + esc(r.title) +
        '</a><span class="date">' + esc(r.date.slice(0, 10)) + '</span></li>';
    }).join('') + '</ul>';
  }
  var app = document.getElementById('app');
  function frame() {
    var h = '<div class="qzf-top">某市某区人民政府门户网站</div><ul class="menu"><li><a href="#/">首页</a></li>';
    MENU.forEach(function (m) {
      h += '<li>' + (m[0] ? '<a href="#/list/' + m[0] + '">' + m[1] + '</a>' : '<span>' + m[1] + '</span>');
      if (m[0]) { names[m[0]] = m[1]; }
      if (m[2].length) {
        h += '<ul class="drop">' + m[2].map(function (c) {
          names[c[0]] = c[1];
          return '<li><a href="#/list/' + c[0] + '">' + c[1] + '</a></li>';
        }).join('') + '</ul>';
      }
      h += '</li>';
    });
    app.innerHTML = h + '</ul><div class="view" id="view"></div><div class="qzf-foot">主办：某区人民政府办公室</div>';
  }
  function home(view) {
    Promise.all([post('content/page', {pageNo: 1, pageSize: 5, channel: 'yw'}),
                 post('content/page', {pageNo: 1, pageSize: 5, channel: 'tzgg'})]).then(function (rs) {
      view.innerHTML = ['yw', 'tzgg'].map(function (code, i) {
        return '<div class="box"><h3>' + names[code] + '<a class="more" href="#/list/' + code +
          '">更多</a></h3>' + rows(rs[i].rows) + '</div>';
      }).join('');
    });
  }
  function pager(d, page) {
    var pages = Math.max(1, Math.ceil(d.total / d.pageSize)), h = '<div class="el-pagination">' +
      '<span class="el-pagination__total">共 ' + d.total + ' 条</span><button type="button" class="btn-prev"' +
      (page > 1 ? '' : ' disabled') + '><i class="el-icon-arrow-left"></i></button><ul class="el-pager">';
    for (var n = 1; n <= pages; n++) {
      h += '<li class="number' + (n === page ? ' active' : '') + '">' + n + '</li>';
    }
    return h + '</ul><button type="button" class="btn-next"' + (page < pages ? '' : ' disabled') +
      '><i class="el-icon-arrow-right"></i></button></div>';
  }
  function column(view, code, page) {
    post('content/page', {pageNo: page, pageSize: 10, channel: code}).then(function (d) {
      view.innerHTML = '<h2>' + (names[code] || '') + '</h2>' + rows(d.rows) + pager(d, page);
      view.querySelector('.btn-prev').onclick = function () { column(view, code, page - 1); };
      view.querySelector('.btn-next').onclick = function () { column(view, code, page + 1); };
      view.querySelectorAll('.el-pager li').forEach(function (li) {
        li.onclick = function () { column(view, code, parseInt(li.textContent, 10)); };
      });
    });
  }
  function route() {
    var view = document.getElementById('view');
    var m = location.hash.match(/^#\/list\/(\w+)/);
    if (m && names[m[1]]) { column(view, m[1], 1); } else { home(view); }
  }
  frame();
  route();
  window.addEventListener('hashchange', route);
})();
"""


def _path(item) -> str:
    return f"{ROOT}content/{item.id}.html"


def _page(site, body: dict) -> dict | None:
    channel = body.get("channel")
    if channel not in CHANNELS:
        return None
    try:
        number, size = int(body.get("pageNo", 1)), min(int(body.get("pageSize", SIZE)), 20)
    except (TypeError, ValueError):
        return None
    items = site.items(PID, channel)
    rows = items[(number - 1) * size : number * size]
    records = [{"id": int(i.id), "title": i.title, "date": i.datetime} for i in rows]
    return {"rows": records, "total": len(items), "pageNo": number, "pageSize": size}


def _api(site, request: Request) -> Answer:
    name = request.path.removeprefix(API)
    if name == "auth/visitor-token" and request.method == "GET":
        token = secrets.token_hex(16)
        TOKENS[token] = site.later
        return Answer.json({"code": 200, "data": {"accessToken": token, "expiresIn": 1800}})
    if name != "content/page":
        return Answer.json({"code": 404, "msg": "接口不存在"}, 404)
    if request.method != "POST":
        return Answer.json({"code": 405, "msg": "Request method not supported"}, 405)
    bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if TOKENS.get(bearer) is not site.later:
        return Answer.json({"code": 401, "msg": "令牌无效或已过期，请重新获取"}, 401)
    data = _page(site, request.json())
    if data is None:
        return Answer.json({"code": 400, "msg": "参数错误"}, 400)
    return Answer.json({"code": 200, "msg": "success", "data": data})


def _route(site, request: Request) -> Answer | None:
    if request.path.startswith(API):
        return _api(site, request)
    if request.path == ROOT + "static/js/app.8c1d2e.js":
        return Answer(APP.encode(), "application/javascript")
    if request.path in (ROOT, ROOT + "index.html"):
        return Answer.html(SHELL)
    item = site.item_at(PID, request.path)
    if item is None:
        return None
    where = CHANNELS[item.list]
    crumb = f'<div class="crumb"><a href="{ROOT}#/list/{item.list}">{html.escape(where)}</a></div>'
    return Answer.html(SKIN.page(item.title, crumb + article(item, where, SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    site.routes.append(lambda r: _route(site, r))
