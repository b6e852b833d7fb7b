"""A JSON-API portal (render = "browser"): list pages are empty shells that a script fills
from a JSON API whose URL it builds from a config object (no URL template a reader can
find), with paging only through `onclick="load(2)"` buttons; article pages are shells too
(`<div id="article" data-id="…">`, filled from /api/v1/detail?id=). One column's script names
its API by a relative URL (`"../api/v1/xczg/page_" + p + ".json"`), which answers plain HTTP
clients with an HTML "enable JavaScript" page. One column is in no navigation: only the home
page's 更多 link reaches it, and its list is built from an inline array and paged only by
page-number buttons (1 2 3, no 下一页)."""

import html
import json

from ..server import Item, Page
from .texts import Notice
from .texts import news_item as _news_item
from .texts import notice_item as _notice_item

PID = "sample-jsa"
ROOT = "/jsa/"
API = ROOT + "api/v1/"
PER_PAGE = 2
PORTAL = {
    "id": PID,
    "name": "某市纪委监委（样例接口站）",
    "region": "某市",
    "level": "municipal",
    "home": ROOT + "index.html",
    "render": "browser",
    "encoding": "utf-8",
    "code_built": True,
}
CHANNELS = {"tzgg": "通知公告", "xczg": "巡察整改", "xxgk": "信息公开"}
UNLINKED = {"zgtb": "整改公开"}  # reached only through the home page's 更多 link
NAMES = {**CHANNELS, **UNLINKED}
ENABLE_JS = (
    "<!DOCTYPE html><html><head><title>提示</title></head><body>"
    "<p>请开启浏览器的JavaScript功能后访问本站。</p></body></html>"
)


def _notice(issuer: str, rnd: str, team: str, year: int, n: int) -> Notice:
    dates = ("5月8日", "6月30日", "8月16日")
    return Notice(issuer, rnd, team, dates, year, n, n * 4, "0591-66" + str(n), "巡察")


def channels() -> dict[str, list[Item]]:
    art = ROOT + "art/"
    return {
        "tzgg": [
            news_item(art + "70011.html", "市委第四巡察组进驻市文旅局开展巡察", "2025-11-20 10:00"),
            notice_item(
                art + "70010.html",
                "中共某市文化和旅游局党组关于市委第三轮巡察整改进展情况的通报",
                _notice("中共某市文化和旅游局党组", "市委第三轮巡察", "市委第二巡察组", 2025, 24),
                "2025-11-02 16:30",
            ),
            news_item(art + "70009.html", "环境保护督察反馈问题整改情况公示", "2025-10-11 09:00"),
            # the list's second and third pages exist only behind load(2) / load(3)
            notice_item(
                art + "70008.html",
                "中共某市交通运输局党组关于市委第二轮巡察整改情况的通报",
                _notice("中共某市交通运输局党组", "市委第二轮巡察", "市委第一巡察组", 2025, 19),
                "2025-06-18 15:00",
            ),
            news_item(art + "70007.html", "关于上半年政务服务工作情况的通报", "2025-07-01 09:00"),
            notice_item(
                art + "70006.html",
                "中共某市住房和城乡建设局党组关于市委第一轮巡察集中整改进展情况的通报",
                _notice("中共某市住建局党组", "市委第一轮巡察", "市委第三巡察组", 2024, 7),
                "2024-12-20 11:00",
            ),
        ],
        "xczg": [
            news_item(art + "70005.html", "市委巡察工作规划（2024—2028年）", "2024-03-01 10:00"),
        ],
        # in no navigation, paged by page numbers only: its notices are on pages 1 to 3 (one
        # from an audit bureau: 审计 in the issuer, not the subject)
        "zgtb": [
            news_item(
                art + "70016.html", "市委巡察办召开巡察整改督导工作推进会", "2025-11-28 10:00"
            ),
            notice_item(
                art + "70015.html",
                "中共某市审计局党组关于市委第四轮巡察整改进展情况的通报",
                _notice("中共某市审计局党组", "市委第四轮巡察", "市委第一巡察组", 2025, 13),
                "2025-11-25 16:00",
            ),
            news_item(
                art + "70014.html",
                "关于2024年度市级预算执行和其他财政收支审计查出问题整改情况的报告",
                "2025-10-30 09:00",
            ),
            notice_item(
                art + "70013.html",
                "中共某市水务局党组关于市委第三轮巡察整改情况的通报",
                _notice("中共某市水务局党组", "市委第三轮巡察", "市委第三巡察组", 2025, 8),
                "2025-09-12 15:00",
            ),
            notice_item(
                art + "70012.html",
                "中共某市医疗保障局党组关于市委第二轮巡察整改进展情况的通报",
                _notice("中共某市医疗保障局党组", "市委第二轮巡察", "市委第四巡察组", 2025, 6),
                "2025-07-01 11:00",
            ),
        ],
        # paged in the page itself from an inline array: only clicking 下一页 shows page 3
        "xxgk": [
            news_item(art + "70004.html", "市委第一巡察组召开巡察工作反馈会", "2024-11-05 10:00"),
            news_item(art + "70003.html", "关于政府信息公开工作情况的通报", "2024-10-01 09:00"),
            news_item(art + "70002.html", "市委巡察工作动员部署会召开", "2024-09-01 09:00"),
            news_item(art + "70001.html", "关于全市营商环境建设情况的通报", "2024-08-01 09:00"),
            notice_item(
                art + "70000.html",
                "中共某市林业局党组关于市委第一轮巡察整改进展情况的通报",
                _notice("中共某市林业局党组", "市委第一轮巡察", "市委第二巡察组", 2024, 9),
                "2024-06-28 15:00",
            ),
        ],
    }


def notice_item(*args, **kwargs) -> Item:
    """Every article of this portal is a shell its script fills."""
    return _notice_item(*args, scripted=True, **kwargs)


def news_item(*args, **kwargs) -> Item:
    return _news_item(*args, scripted=True, **kwargs)


def _shell(title: str, main: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        "</head><body>"
        f'<div class="nav"><a href="{ROOT}index.html">首页</a>'
        + "".join(f'<a href="{ROOT}{c}/index.html">{n}</a>' for c, n in CHANNELS.items())
        + f'</div>{main}<div class="foot">主办：某市纪委监委 网站标识码：3501000002</div>'
        "</body></html>"
    ).encode("utf-8")


LIST_SCRIPT = """<script>
var CFG = {root: "%(api)s", channel: "%(channel)s", size: %(size)d};
function load(n) {
  var url = [CFG.root, "articles"].join("") + "?channel=" + CFG.channel;
  url += "&pageNo=" + n + "&pageSize=" + CFG.size;
  fetch(url).then(function (r) { return r.json(); }).then(function (d) {
    var ul = document.getElementById("list");
    ul.innerHTML = "";
    d.data.records.forEach(function (it) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = it.linkUrl; a.textContent = it.docTitle; li.appendChild(a); ul.appendChild(li);
    });
    var pager = "";
    for (var k = 1; k <= d.data.pages; k++) {
      pager += '<a href="javascript:void(0)" onclick="load(' + k + ')">' + k + "</a> ";
    }
    document.getElementById("pager").innerHTML = pager;
  });
}
load(1);
</script>"""

NAMED_SCRIPT = """<script>
function page(p) {
  fetch("../api/v1/xczg/page_" + p + ".json").then(function (r) { return r.json(); })
    .then(function (d) {
      document.getElementById("list").innerHTML = d.list.map(function (it) {
        return '<li><a href="' + it.url + '">' + it.title + "</a></li>";
      }).join("");
    });
}
page(1);
</script>"""

PAGED_SCRIPT = """<script>
var ALL = %(records)s, cur = 1, size = %(size)d;
function show(n) {
  cur = n;
  document.getElementById("list").innerHTML = ALL.slice((n - 1) * size, n * size).map(
    function (it) { return '<li><a href="' + it.url + '">' + it.title + "</a></li>"; }).join("");
  var last = Math.ceil(ALL.length / size);
  document.getElementById("pager").innerHTML = "第" + n + "/" + last + "页 " +
    (n < last ? '<a href="javascript:;" onclick="show(cur + 1)">下一页</a>' : "");
}
show(1);
</script>"""

NUMBERS_SCRIPT = """<script>
var ALL = %(records)s, size = %(size)d;
function goPage(n) {
  document.getElementById("list").innerHTML = ALL.slice((n - 1) * size, n * size).map(
    function (it) { return '<li><a href="' + it.url + '">' + it.title + "</a></li>"; }).join("");
  var last = Math.ceil(ALL.length / size), html = "";
  for (var k = 1; k <= last; k++) {
    html += k === n ? '<span class="page-num cur">' + k + "</span> "
                    : '<span class="page-num" onclick="goPage(' + k + ')">' + k + "</span> ";
  }
  document.getElementById("pager").innerHTML = html + "共" + last + "页";
}
goPage(1);
</script>"""

DETAIL_SCRIPT = """<script>
var id = document.getElementById("article").getAttribute("data-id");
fetch("%(api)sdetail?id=" + id).then(function (r) { return r.json(); }).then(function (d) {
  document.title = d.data.title;
  document.querySelector("#article h1").textContent = d.data.title;
  document.querySelector("#article .meta").textContent = "发布时间：" + d.data.time;
  document.querySelector("#article .content").innerHTML = d.data.content;
});
</script>"""


def _list_page(channel: str, entries: list[Item]) -> bytes:
    scripts = {"xczg": NAMED_SCRIPT, "xxgk": PAGED_SCRIPT, "zgtb": NUMBERS_SCRIPT}
    script = scripts.get(channel, LIST_SCRIPT)
    records = json.dumps([{"title": i.title, "url": i.path} for i in entries], ensure_ascii=False)
    values = {"api": API, "channel": channel, "size": PER_PAGE, "records": records}
    main = (
        f'<div class="crumb">当前位置：首页 &gt; {NAMES[channel]}</div>'
        f'<h2>{NAMES[channel]}</h2><ul id="list" class="news-list"></ul>'
        '<div id="pager" class="pager"></div>' + script % values
    )
    return _shell(NAMES[channel], main)


def _detail_shell(item: Item) -> bytes:
    ident = item.path.rsplit("/", 1)[1].split(".")[0]
    main = (
        f'<div id="article" data-id="{ident}"><h1 class="title"></h1><div class="meta"></div>'
        '<div class="content"></div></div>' + DETAIL_SCRIPT % {"api": API}
    )
    return _shell("某市纪委监委", main)


def _json(data) -> Page:
    return Page(json.dumps(data, ensure_ascii=False).encode(), "application/json;charset=UTF-8")


def install(site) -> None:
    by_channel = channels()
    everything = [i for entries in by_channel.values() for i in entries]
    site.portals.append(PORTAL)
    site.items[PID] = everything
    page_type = "text/html; charset=utf-8"
    home = (
        f'<div class="news"><a href="{ROOT}tzgg/index.html">通知公告</a></div>'
        f'<div class="news"><h3>整改公开</h3><a href="{ROOT}zgtb/index.html">更多&gt;&gt;</a></div>'
    )
    site.pages[ROOT + "index.html"] = Page(_shell("某市纪委监委", home), page_type)
    for channel, entries in by_channel.items():
        site.pages[f"{ROOT}{channel}/index.html"] = Page(_list_page(channel, entries), page_type)
    for item in everything:
        site.pages[item.path] = Page(_detail_shell(item), page_type)
    by_id = {i.path.rsplit("/", 1)[1].split(".")[0]: i for i in everything}

    def api(method: str, path: str, query: dict, form: dict, headers: dict) -> Page | None:
        if not path.startswith(API):
            return None
        route = path.partition("?")[0].removeprefix(API)
        if route == "articles":
            entries = by_channel.get(query.get("channel", ""), [])
            number, size = int(query.get("pageNo") or 1), int(query.get("pageSize") or PER_PAGE)
            chunk = entries[(number - 1) * size : number * size]
            records = [{"docId": i.path, "docTitle": i.title, "linkUrl": i.path} for i in chunk]
            pages = -(-len(entries) // size)
            return _json({"code": 0, "data": {"pages": pages, "records": records}})
        if route == "detail":
            item = by_id.get(query.get("id", ""))
            if item is None:
                return _json({"code": 404, "msg": "not found"})
            content = "".join(f"<p>{html.escape(p)}</p>" for p in item.paragraphs)
            return _json({"code": 0, "data": {"title": item.title, "time": item.datetime,
                                              "content": content}})  # fmt: skip
        return _json({"code": 400, "msg": "bad request"})

    def guarded(method: str, path: str, query: dict, form: dict, headers: dict) -> Page | None:
        """A WAF in front of this API: plain HTTP clients get an HTML page, browsers JSON."""
        if not path.startswith(API + "xczg/page_"):
            return None
        if headers.get("Sec-Fetch-Mode") != "cors":
            return Page(ENABLE_JS.encode(), page_type)
        number = int(path.rsplit("_", 1)[1].split(".")[0])
        entries = by_channel["xczg"][(number - 1) * 10 : number * 10]
        return _json({"list": [{"title": i.title, "url": i.path} for i in entries]})

    site.routes += [guarded, api]
