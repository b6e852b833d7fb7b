"""A development zone's 党风廉政 column with infinite scroll: eight items in the page, then each
time the reader nears the bottom a GET with the last shown item's id (`lastId`) returns the
next eight as JSON. Its article pages are shells that show 正在加载…… until a script fills
them from a JSON API. Notices only in the scrolled-in batches."""

import html

from .chrome import FILL_SCRIPT, Skin, record, shell
from .server import Answer, Request

PID = "inf"
ROOT = "/inf/"
HOME = ROOT + "index.html"
COLUMN = ROOT + "dflz/index.html"
LIST_API = ROOT + "api/articles"
DETAIL_API = ROOT + "api/article"
BATCH = 8
SOURCE = "开发区纪工委"
SKIN = Skin(
    "某经济开发区管理委员会",
    (("首页", HOME), ("党风廉政", COLUMN), ("投资开发区", ROOT + "tzkfq/index.html")),
    css="kfq",
    footer="主办：某经济开发区管理委员会办公室",
)


def _path(item) -> str:
    return f"{ROOT}detail/{item.id}.html"


def _li(item) -> str:
    return (
        f'<li class="news-item" style="height:90px"><a href="{_path(item)}" target="_blank">'
        f'{html.escape(item.title)}</a><p class="date">{item.date}</p></li>\n'
    )


def _articles(site, request: Request) -> Answer | None:
    if request.path != LIST_API:
        return None
    items = site.items(PID, request.query.get("column", ""))
    last = request.query.get("lastId", "")
    ids = [i.id for i in items]
    if not items or (last and last not in ids):
        return Answer.json({"code": 1, "msg": "参数错误", "list": [], "more": False})
    start = ids.index(last) + 1 if last else 0
    limit = min(int(request.query.get("limit") or BATCH), 20)
    batch = items[start : start + limit]
    rows = [{"id": i.id, "title": i.title, "date": i.date} for i in batch]
    return Answer.json({"code": 0, "list": rows, "more": start + limit < len(items)})


def _detail(site, request: Request) -> Answer | None:
    if request.path == DETAIL_API:
        item = site.find(PID, request.query.get("id", ""))
        if item is None:
            return Answer.json({"code": 404, "msg": "文章不存在"})
        return Answer.json({"code": 0, "data": record(item, _path(item), SOURCE)})
    if request.path.startswith(ROOT + "detail/") and site.find(PID, request.path[12:-5]):
        return Answer.html(SKIN.page(SKIN.name, shell("党风廉政") + DETAIL))
    return None


DETAIL = (
    f"<script>{FILL_SCRIPT}"
    """var articleId = location.pathname.replace(/^.*\\/(\\d+)\\.html$/, '$1');
var xhr = new XMLHttpRequest();
xhr.open('GET', '%s?id=' + articleId);
xhr.onload = function () { var res = JSON.parse(xhr.responseText); if (res.code === 0) { fillArticle(res.data); } };
xhr.send();
</script>""" % DETAIL_API
)

SCROLL = """<script>
(function () {
  var list = document.getElementById('newsList'), loading = false, more = true;
  function lastId() { var a = list.querySelectorAll('li a'); return a[a.length - 1].getAttribute('href').replace(/^.*\\/(\\d+)\\.html$/, '$1'); }
  window.addEventListener('scroll', function () {
    if (loading || !more) { return; }
    if (window.innerHeight + window.scrollY < document.body.offsetHeight - 200) { return; }
    loading = true;
    document.getElementById('tip').textContent = '加载中……';
    fetch('%(api)s?column=dflz&lastId=' + lastId() + '&limit=%(batch)d').then(function (r) { return r.json(); })
      .then(function (res) {
        res.list.forEach(function (a) {
          var li = document.createElement('li');
          li.className = 'news-item'; li.style.height = '90px';
          li.innerHTML = '<a target="_blank"></a><p class="date"></p>';
          li.firstChild.href = '/inf/detail/' + a.id + '.html';
          li.firstChild.textContent = a.title;
          li.lastChild.textContent = a.date;
          list.appendChild(li);
        });
        more = res.more; loading = false;
        document.getElementById('tip').textContent = more ? '下拉加载更多' : '已经到底了';
      });
  });
})();
</script>"""


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    rows = "".join(_li(i) for i in site.items(PID, "dflz")[:BATCH])
    main = (
        '<div class="column-banner" style="height:320px">党风廉政</div>'
        f'<ul class="news-list" id="newsList">\n{rows}</ul><div id="tip" class="tip">下拉加载更多</div>'
        f'<button type="button" onclick="window.location.href=\'{site.offsite("/")}\'">返回市政府门户</button>'
        + SCROLL
        % {"api": LIST_API, "batch": BATCH}
    )
    site.add(COLUMN, SKIN.page("党风廉政", main))
    site.add(ROOT + "tzkfq/index.html", SKIN.page("投资开发区", "<p>区位优势</p>"))
    site.add(
        HOME,
        SKIN.page(SKIN.name, f'<div class="banner">产业新城</div><a href="{COLUMN}">党风廉政</a>'),
    )
    site.routes += [lambda r: _articles(site, r), lambda r: _detail(site, r)]
