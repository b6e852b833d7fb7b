"""A county bureau whose 通知公告 page shows only its five latest items, with no pager and no
archive: older articles are reachable only through the sitemap that robots.txt names, an index
of one sitemap per year, the older years gzipped. The notices are in those gzipped sitemaps.
(Its robots.txt is its own: each explore portal has its own server.)"""

import gzip
import html
from itertools import groupby

from .chrome import Skin, article, crumb
from .server import Answer, Request

PID = "smp"
ROOT = "/smp/"
HOME = ROOT + "index.html"
COLUMN = ROOT + "tzgg/index.html"
INDEX = ROOT + "sitemap_index.xml"
LATEST = 5
SOURCE = "县发展和改革局"
SKIN = Skin(
    "某县发展和改革局",
    (("首页", HOME), ("通知公告", COLUMN), ("网站地图", ROOT + "wzdt.html")),
    css="fgj",
    generator="SiteServer CMS",
    footer="主办：某县发展和改革局  联系电话：0357-4525678",
)
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _path(item) -> str:
    return f"{ROOT}content/{item.date.replace('-', '/')}/{item.id}.html"


def _urlset(site, urls: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<url><loc>{site.url(path)}</loc><lastmod>{date}</lastmod></url>" for path, date in urls
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS}>{entries}</urlset>'.encode()


def _sitemaps(site) -> dict[str, bytes]:
    """Every sitemap file by path: one of the site's pages, one per year of articles."""
    files = {
        ROOT + "sitemap/pages.xml": _urlset(site, [(HOME, "2025-06-05"), (COLUMN, "2025-06-05")])
    }
    items = sorted(site.items(PID), key=lambda i: i.date, reverse=True)
    for year, group in groupby(items, key=lambda i: i.date[:4]):
        xml = _urlset(site, [(i.path, i.date) for i in group])
        if year == "2025":
            files[f"{ROOT}sitemap/articles-{year}.xml"] = xml
        else:
            files[f"{ROOT}sitemap/articles-{year}.xml.gz"] = gzip.compress(xml, mtime=0)
    return files


def _detail(site, request: Request) -> Answer | None:
    item = site.item_at(PID, request.path)
    if item is None:
        return None
    return Answer.html(SKIN.page(item.title, article(item, "通知公告", SOURCE)))


def install(site) -> None:
    for item in site.portals[PID].items:
        item.path = _path(item)
    files = _sitemaps(site)
    for path, body in files.items():
        kind = "application/x-gzip" if path.endswith(".gz") else "application/xml"
        site.add(path, Answer(body, kind))
    entries = "".join(f"<sitemap><loc>{site.url(path)}</loc></sitemap>" for path in files)
    index = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {NS}>{entries}</sitemapindex>'
    site.add(INDEX, Answer(index.encode(), "application/xml"))
    site.robots(PID, f"Disallow: {ROOT}search/\nSitemap: {site.url(INDEX)}\n")
    rows = "".join(
        f'<li><a href="{i.path}" target="_blank">{html.escape(i.title)}</a><span>{i.date}</span></li>'
        for i in site.items(PID, "tzgg")[:LATEST]
    )
    main = (
        crumb(("首页", HOME), ("通知公告", COLUMN))
        + f'<div class="list"><h2>通知公告</h2><ul>{rows}</ul>'
        '<p class="tip">本栏目显示最近5条信息。</p></div>'
    )
    site.add(COLUMN, SKIN.page("通知公告", main))
    site.add(
        ROOT + "wzdt.html",
        SKIN.page("网站地图", f'<ul><li><a href="{COLUMN}">通知公告</a></li></ul>'),
    )
    site.add(HOME, SKIN.page(SKIN.name, f'<div class="news"><a href="{COLUMN}">通知公告</a></div>'))
    site.routes.append(lambda r: _detail(site, r))
