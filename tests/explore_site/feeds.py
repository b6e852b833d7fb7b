"""A municipal bureau whose home page shows the three latest items of two columns; their 更多
pages say 栏目维护中. The columns are whole only in the feeds the home page declares with
`<link rel="alternate">`: RSS 2.0 for 通知公告, Atom for 党务公开. Notices only in the feeds."""

import html
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from .chrome import Skin, article
from .server import Answer, Request

PID = "rss"
ROOT = "/rss/"
HOME = ROOT + "index.html"
COLUMNS = {"tzgg": "通知公告", "dwgk": "党务公开"}
SOURCE = "市退役军人事务局"
SKIN = Skin(
    "某市退役军人事务局",
    (
        ("首页", HOME),
        ("通知公告", ROOT + "tzgg/index.html"),
        ("党务公开", ROOT + "dwgk/index.html"),
    ),
    css="tyjr",
    footer="主办：某市退役军人事务局  地址：某市拥军路8号",
)
CST = timezone(timedelta(hours=8))


def _path(item) -> str:
    return f"{ROOT}{item.list}/{item.date.replace('-', '')}/{item.id}.html"


def _when(item) -> datetime:
    return datetime.strptime(item.datetime, "%Y-%m-%d %H:%M").replace(tzinfo=CST)


def _rss(site) -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(i.title)}</title><link>{site.url(i.path)}</link>"
        f'<guid isPermaLink="true">{site.url(i.path)}</guid>'
        f"<pubDate>{format_datetime(_when(i))}</pubDate><description>{html.escape(i.paragraphs[0])}"
        "</description></item>"
        for i in site.items(PID, "tzgg")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>通知公告 - {SKIN.name}</title><link>{site.url(HOME)}</link>"
        f"<description>通知公告</description><language>zh-cn</language>{entries}</channel></rss>"
    ).encode()


def _atom(site) -> bytes:
    entries = "".join(
        f"<entry><title>{html.escape(i.title)}</title>"
        f'<link rel="alternate" type="text/html" href="{site.url(i.path)}"/>'
        f"<id>tag:tyjrj,{i.date}:{i.id}</id><updated>{_when(i).isoformat()}</updated>"
        f"<summary>{html.escape(i.paragraphs[0])}</summary></entry>"
        for i in site.items(PID, "dwgk")
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>党务公开 - {SKIN.name}</title><link href="{site.url(HOME)}"/>'
        f"<id>tag:tyjrj,2024:dwgk</id><updated>2025-06-13T11:00:00+08:00</updated>{entries}</feed>"
    ).encode()


def _detail(site, request: Request) -> Answer | None:
    item = site.item_at(PID, request.path)
    if item is None:
        return None
    return Answer.html(SKIN.page(item.title, article(item, COLUMNS[item.list], SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    site.add(ROOT + "feed/tzgg.xml", Answer(_rss(site), "application/rss+xml; charset=utf-8"))
    site.add(ROOT + "feed/dwgk.atom", Answer(_atom(site), "application/atom+xml; charset=utf-8"))
    head = (
        f'<link rel="alternate" type="application/rss+xml" title="通知公告" href="{ROOT}feed/tzgg.xml">'
        f'<link rel="alternate" type="application/atom+xml" title="党务公开" href="{ROOT}feed/dwgk.atom">'
    )
    boxes = ""
    for name, title in COLUMNS.items():
        latest = "".join(
            f'<li><a href="{i.path}">{html.escape(i.title)}</a><span>{i.date[5:]}</span></li>'
            for i in site.items(PID, name)[:3]
        )
        boxes += (
            f'<div class="box"><h3>{title}<a class="more" href="{ROOT}{name}/index.html">更多</a></h3>'
            f"<ul>{latest}</ul></div>"
        )
        site.add(
            f"{ROOT}{name}/index.html",
            SKIN.page(title, '<div class="tip">栏目维护中，请稍后访问。</div>'),
        )
    site.add(HOME, SKIN.page(SKIN.name, boxes, head=head))
    site.routes.append(lambda r: _detail(site, r))
