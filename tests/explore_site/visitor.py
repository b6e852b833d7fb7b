"""How a person with a browser reaches each explore portal's notices: the proof that every
notice can be found, and by which actions. `visit(site, browser)` returns, per portal, the
URLs of the portal seen: links in the page after each action, pages navigated to, and the
URLs of the sitemaps and feeds a crawler reads."""

import gzip
import re
from urllib.parse import urljoin
from urllib.request import urlopen

from parsel import Selector

LINKS = "Array.from(document.querySelectorAll('a[href]'), a => a.href)"


async def _links(page) -> set[str]:
    return set(await page.evaluate(LINKS))


async def _click_until(page, selector: str, url_part: str, times: int) -> set[str]:
    """Click a control that fetches more, waiting for each reply; the links then shown."""
    for _ in range(times):
        async with page.expect_response(lambda r: url_part in r.url):
            await page.click(selector)
    await page.wait_for_timeout(100)
    return await _links(page)


async def webforms(page, site) -> set[str]:
    await page.goto(site.url("/wf/News/NewsList.aspx?ClassID=7"))
    seen = await _links(page)
    for _ in range(2):
        async with page.expect_navigation():
            await page.click("a:has-text('下一页')")
        seen |= await _links(page)
    return seen


async def loadmore(page, site) -> set[str]:
    await page.goto(site.url("/lm/zwgk/xczl/"))
    return await _click_until(page, "#btnMore", "getMoreArticles", 2)


async def cursor(page, site) -> set[str]:
    await page.goto(site.url("/cur/channel/djgz.html"))
    await page.wait_for_selector("#loadMore:visible")
    return await _click_until(page, "#loadMore", "api/feed", 2)


async def tabs(page, site) -> set[str]:
    await page.goto(site.url("/tab/xxgk/index.html"))
    seen = await _click_until(page, "li[data-cat=zgtb]", "catList", 1)
    for year in ("2024", "2023"):
        async with page.expect_response(lambda r: "catList" in r.url):
            await page.select_option("#yearSel", year)
        await page.wait_for_timeout(100)
        seen |= await _links(page)
    return seen


async def rows(page, site) -> set[str]:
    await page.goto(site.url("/row/djyd/xczg.html"))
    seen = set()
    for index in range(await page.locator("tr[data-id]").count()):
        async with page.expect_navigation():
            await page.locator("tr[data-id]").nth(index).click()
        seen.add(page.url)
        await page.go_back()
    return seen


async def _filled(page, url: str) -> str:
    """An article shell's text once its script filled it."""
    await page.goto(url)
    await page.wait_for_function("document.getElementById('title').textContent.length > 0")
    return await page.inner_text("#content")


async def spa(page, site) -> set[str]:
    await page.goto(site.url("/spa/index.html#/list/xsxc"))
    await page.wait_for_selector(".list a")
    seen = await _links(page) | await _click_until(page, "button.next", "article/page", 1)
    assert "联系电话" in await _filled(page, site.url("/spa/detail.html?id=3051"))
    return seen


async def split(page, site) -> set[str]:
    await page.goto(site.url("/split/xxgk/tzgg/index.html"))
    seen = await _links(page)
    await page.goto(site.url("/split/xxgk/tzgg/202503/t20250325_731204.html"))
    parts = set(
        await page.evaluate("Array.from(document.querySelectorAll('#page_div a'), a => a.href)")
    )
    await page.goto(sorted(parts)[-1])
    assert "联系电话" in await page.inner_text("#zoom")
    return seen | parts


async def scroll(page, site) -> set[str]:
    await page.goto(site.url("/inf/dflz/index.html"))
    while await page.inner_text("#tip") != "已经到底了":
        async with page.expect_response(lambda r: "api/articles" in r.url):
            await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        await page.wait_for_function("document.getElementById('tip').textContent != '加载中……'")
    seen = await _links(page)
    assert "联系电话" in await _filled(page, site.url("/inf/detail/9102.html"))
    return seen


async def _popups(page, urls: list[str], rows: str) -> set[str]:
    """Click each row of each list page; each opens its article in a new window."""
    seen = set()
    for url in urls:
        await page.goto(url)
        found = page.locator(rows)
        for index in range(await found.count()):
            async with page.expect_popup() as popup:
                await found.nth(index).click()
            window = await popup.value
            seen.add(window.url)
            await window.close()
    return seen


async def opener(page, site) -> set[str]:
    """Each row of both list pages opens its article in a new window."""
    urls = [site.url(f"/opn/dj/list.jsp?cid=17&pg={number}") for number in (1, 2)]
    return await _popups(page, urls, "li[data-docid]")


async def pagerows(page, site) -> set[str]:
    """Each row of both pages of 通知公告 opens its article in a new window."""
    urls = [site.url(f"/prw/web/list.jsp?lmid=44&page={number}") for number in (1, 2)]
    return await _popups(page, urls, "tr.row")


async def hashapp(page, site) -> set[str]:
    """Hover the menu's 党的建设, open 巡察整改, go to its page 2."""
    await page.goto(site.url("/hsh/"))
    await page.hover("text=党的建设")
    await page.click("text=巡察整改")
    await page.wait_for_selector(".el-pager li.active")
    seen = await _links(page)
    async with page.expect_response(lambda r: "content/page" in r.url):
        await page.click(".btn-next")
    await page.wait_for_selector(".el-pager li.active:has-text('2')")
    return seen | await _links(page)


def _read(url: str) -> bytes:
    with urlopen(url) as reply:
        body = reply.read()
    return gzip.decompress(body) if url.endswith(".gz") else body


def sitemaps(site) -> set[str]:
    """robots.txt names the sitemap index; it names the sitemaps; they name the pages."""
    robots = _read(site.bases["smp"] + "/robots.txt").decode()
    todo = re.findall(r"^Sitemap:\s*(\S+)", robots, re.M)
    seen = set()
    while todo:
        url = todo.pop()
        seen.add(url)
        todo += (
            Selector(text=_read(url).decode(), type="xml")
            .xpath("//*[local-name()='loc']/text()")
            .getall()
        )
    return seen


def feeds(site) -> set[str]:
    """The feeds the home page declares, and the articles they name."""
    home = Selector(text=_read(site.url("/rss/index.html")).decode())
    seen = set()
    for href in home.css("link[rel=alternate]::attr(href)").getall():
        feed = Selector(text=_read(urljoin(site.url("/rss/"), href)).decode(), type="xml")
        seen |= set(
            feed.xpath("//*[local-name()='link']/text() | //*[local-name()='link']/@href").getall()
        )
    return seen


BROWSER_VISITS = {
    "wf": webforms,
    "lm": loadmore,
    "cur": cursor,
    "tab": tabs,
    "row": rows,
    "spa": spa,
    "split": split,
    "inf": scroll,
    "opn": opener,
    "hsh": hashapp,
    "prw": pagerows,
}


async def visit(site, browser) -> dict[str, set[str]]:
    seen = {"smp": sitemaps(site), "rss": feeds(site)}
    for pid, walk in BROWSER_VISITS.items():
        page = await browser.new_page()
        try:
            seen[pid] = await walk(page, site)
        finally:
            await page.close()
    return seen
