"""A Hanweb JCMS county portal: columns at /col/colN/index.html, articles at
/art/Y/M/D/art_C_ID.html, every column's list POSTed to the one dataproxy.jsp (only columnid
and unitid differ), each column page embedding its first records in `<script type="text/xml">`,
a site search at /jsearchfront/search.do, and one notice that no list links: only the search
finds it."""

import html
import json
from urllib.parse import quote

from ..server import Item, Page
from .texts import Notice, news_item, notice_item

PID = "sample-hwx"
ROOT = "/hwx/"
PROXY = ROOT + "module/web/jpage/dataproxy.jsp"
SEARCH = ROOT + "jsearchfront/search.do"
PER_PAGE = 2
PORTAL = {
    "id": PID,
    "name": "某县人民政府（样例大汉）",
    "region": "某县",
    "level": "county",
    "home": ROOT + "index.html",
    "render": "http",
    "encoding": "utf-8",
    "code_built": True,
}
# column id -> (name, unit id)
COLUMNS = {101: ("巡察工作", 9101), 202: ("通知公告", 9202)}


def _notice(issuer: str, rnd: str, team: str, year: int, n: int, kind: str = "巡察") -> Notice:
    return Notice(
        issuer,
        rnd,
        team,
        ("3月1日", "4月15日", "5月28日"),
        year,
        n,
        n * 3,
        "0571-8800" + str(n),
        kind,
    )


def columns() -> dict[int, list[Item]]:
    art = ROOT + "art/"
    return {
        101: [
            news_item(
                art + "2025/11/3/art_101_5001.html",
                "县委第三巡察组进驻县教育局开展常规巡察",
                "2025-11-03 09:00",
            ),
            notice_item(
                art + "2025/10/20/art_101_4990.html",
                "中共某县教育局委员会关于县委第二轮巡察整改进展情况的通报",
                _notice("中共某县教育局委员会", "县委第二轮巡察", "县委第二巡察组", 2025, 21),
                "2025-10-20 16:00",
            ),
            news_item(
                art + "2025/3/1/art_101_4801.html",
                "中共某县委巡察工作规划（2025—2029年）",
                "2025-03-01 10:00",
            ),
            # on the second page of the column: only the dataproxy POST reaches it
            notice_item(
                art + "2024/9/9/art_101_4650.html",
                "中共某县卫生健康局党组关于县委第一轮巡察集中整改进展情况的通报",
                _notice("中共某县卫生健康局党组", "县委第一轮巡察", "县委第一巡察组", 2024, 16),
                "2024-09-09 15:00",
            ),
        ],
        202: [
            news_item(
                art + "2025/9/1/art_202_4901.html",
                "关于某县2024年度县级预算执行和其他财政收支审计查出问题整改情况的报告",
                "2025-09-01 09:00",
            ),
            news_item(
                art + "2025/8/8/art_202_4880.html", "某县召开巡视整改工作推进会", "2025-08-08 18:00"
            ),
            # a newer article page: an empty shell its script fills from the detail API
            notice_item(
                art + "2025/12/1/art_202_4999.html",
                "中共某县委办公室党支部关于县委第三轮巡察整改进展情况的通报",
                _notice("中共某县委办公室党支部", "县委第三轮巡察", "县委第四巡察组", 2025, 11),
                "2025-12-01 10:00",
                scripted=True,
            ),
            # the second column's second page
            notice_item(
                art + "2025/6/30/art_202_4860.html",
                "中共某县委关于十五届省委第七轮巡视整改进展情况的通报",
                _notice("中共某县委", "十五届省委第七轮巡视", "省委第六巡视组", 2025, 33, "巡视"),
                "2025-06-30 17:00",
            ),
        ],
    }


def unlisted() -> Item:
    """A notice of an unlisted channel: only the site search finds it."""
    return notice_item(
        ROOT + "art/2024/6/3/art_404_77.html",
        "中共某县市场监督管理局党组关于县委第一轮巡察整改情况的通报",
        _notice("中共某县市场监督管理局党组", "县委第一轮巡察", "县委第三巡察组", 2024, 12),
        "2024-06-03 11:00",
    )


def _shell(title: str, main: str) -> bytes:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="Generator" content="大汉版通发布系统">'
        f"<title>{html.escape(title)}_某县人民政府</title>"
        f'<script src="{ROOT}jcms_files/jcms1/web1/site/script/jquery.min.js"></script></head>'
        '<body><div class="top"><form action="/hwx/jsearchfront/search.do" method="get" '
        'target="_blank" name="searchform"><input type="hidden" name="websiteid" '
        'value="330100000000001"><input type="text" name="q" placeholder="请输入关键字">'
        '<input type="hidden" name="pos" value="title,content"><input type="submit" '
        'value="搜索"></form></div>'
        f'<div class="nav"><a href="{ROOT}index.html">首页</a>'
        + "".join(f'<a href="{ROOT}col/col{c}/index.html">{n}</a>' for c, (n, _) in COLUMNS.items())
        + f"</div>{main}"
        '<div class="foot">主办：某县人民政府办公室 网站标识码：3301000001 '
        "浙ICP备00000001号</div></body></html>"
    ).encode("utf-8")


def _record(item: Item) -> str:
    title = html.escape(item.title)
    return (
        f'<record><![CDATA[<li><a href="{item.path}" title="{title}" target="_blank">'
        f"{title[:16]}…</a><span>{item.date}</span></li>]]></record>"
    )


def _column_page(cid: int, entries: list[Item]) -> bytes:
    name, unit = COLUMNS[cid]
    records = "\n".join(_record(i) for i in entries[:PER_PAGE])
    main = (
        f'<div class="crumb">您当前的位置：<a href="{ROOT}index.html">首页</a> &gt; {name}</div>'
        f'<div id="{cid}"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
        f"<recordset>{records}</recordset></datastore></script></div>"
        "<script>$(document).ready(function () {"
        f"$('#{cid}').jpage({{dataStore: dataStore, proxyUrl: '{PROXY}', perPage: {PER_PAGE}, "
        f"totalRecord: {len(entries)}, showMode: 'full', groupSize: 3, "
        f"ajaxParam: {{col: 1, appid: 1, webid: 7, path: '/', columnid: {cid}, "
        f"sourceContentType: 1, unitid: {unit}, webname: '某县人民政府', permissiontype: 0}}}});"
        "});</script>"
    )
    return _shell(name, main)


def _detail(item: Item) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in item.paragraphs)
    main = (
        f'<div class="crumb">您当前的位置：<a href="{ROOT}index.html">首页</a></div>'
        f'<div class="article"><h1>{html.escape(item.title)}</h1>'
        f'<div class="info">发布日期：{item.date} 来源：{html.escape(item.source)} '
        "字号：[大][中][小]</div>"
        f'<div id="zoom">{body}</div><div class="tools">【打印本页】【关闭窗口】</div></div>'
    )
    return _shell(item.title, main)


DETAIL_API = ROOT + "api-gateway/jpaas-publish-server/front/article/detail?articleId="


def _shell_page(item: Item) -> bytes:
    ident = item.path.rsplit("_", 1)[1].split(".")[0]
    main = (
        f'<div class="crumb">您当前的位置：<a href="{ROOT}index.html">首页</a></div>'
        f'<div id="article" data-id="{ident}"><h1 class="title"></h1><div class="info"></div>'
        '<div id="zoom"></div></div><script>'
        'var id = document.getElementById("article").getAttribute("data-id");'
        f'$.getJSON("{DETAIL_API}" + id, function (d) {{'
        '$("#article .title").text(d.data.title); $("#zoom").html(d.data.content); });'
        "</script>"
    )
    return _shell("某县人民政府", main)


def _results(hits: list[Item], query: str, page: int) -> bytes:
    rows = "".join(
        f'<div class="jcse-result-box"><div class="jcse-news-title"><a href="{i.path}" '
        f'target="_blank">{html.escape(i.title).replace(query, f"<em>{query}</em>")}</a></div>'
        f'<div class="jcse-news-date">{i.date}</div></div>'
        for i in hits
    )
    nxt = f'<a href="{SEARCH}?websiteid=330100000000001&q={quote(query)}&p={page + 1}">下一页</a>'
    return _shell(
        "搜索结果",
        f'<div class="jcse-result">{rows or "没有找到相关结果"}{nxt if hits else ""}</div>',
    )


def install(site) -> None:
    by_column = columns()
    hidden = unlisted()
    everything = [i for entries in by_column.values() for i in entries] + [hidden]
    site.portals.append(PORTAL)
    site.items[PID] = everything
    page_type = "text/html; charset=utf-8"
    home = (
        '<div class="news"><h3>要闻动态</h3><ul>'
        + "".join(
            f'<li><a href="{i.path}">{html.escape(i.title)}</a></li>' for i in by_column[202][:1]
        )
        + f'</ul><a href="{ROOT}col/col101/index.html">更多</a></div>'
    )
    site.pages[ROOT + "index.html"] = Page(_shell("某县人民政府", home), page_type)
    for cid, entries in by_column.items():
        site.pages[f"{ROOT}col/col{cid}/index.html"] = Page(_column_page(cid, entries), page_type)
    for item in everything:
        shell = item.scripted
        site.pages[item.path] = Page((_shell_page if shell else _detail)(item), page_type)
    by_id = {i.path.rsplit("_", 1)[1].split(".")[0]: i for i in everything}

    def dataproxy(method: str, path: str, query: dict, form: dict, headers: dict) -> Page | None:
        if method != "POST" or not path.startswith(PROXY):
            return None
        cid = int(form.get("columnid") or 0)
        if cid not in by_column or form.get("unitid") != str(COLUMNS[cid][1]):
            return Page(b"<datastore><error>bad column</error></datastore>", "text/xml")
        start, end = int(query["startrecord"]), int(query["endrecord"])
        entries = by_column[cid]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(entries)}</totalrecord><recordset>"
            + "".join(_record(i) for i in entries[start - 1 : end])
            + "</recordset></datastore>"
        )
        return Page(body.encode(), "text/xml; charset=UTF-8")

    def search(method: str, path: str, query: dict, form: dict, headers: dict) -> Page | None:
        if not path.startswith(SEARCH):
            return None
        words = query.get("q", "")
        page = int(query.get("p") or 1)
        hits = [i for i in everything if words and words in i.title + "".join(i.paragraphs)]
        chunk = hits[(page - 1) * 10 : page * 10]
        return Page(_results(chunk, words, page), page_type)

    def detail(method: str, path: str, query: dict, form: dict, headers: dict) -> Page | None:
        if not path.startswith(DETAIL_API.split("?")[0]):
            return None
        item = by_id.get(query.get("articleId", ""))
        if item is None:
            return Page(b'{"code": 404, "data": null}', "application/json")
        content = "".join(f"<p>{html.escape(p)}</p>" for p in item.paragraphs)
        data = {"title": item.title, "content": content, "publishTime": item.datetime}
        body = json.dumps({"code": 200, "data": data}, ensure_ascii=False).encode()
        return Page(body, "application/json;charset=UTF-8")

    site.routes += [dataproxy, search, detail]
