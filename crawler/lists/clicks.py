"""Browser click-through, the last resort for JavaScript-only paging: when a rendered list's
pager is script buttons (`onclick="show(2)"`, `javascript:loadPage(2)`) and neither a named
nor an observed API can be read, its 下一页 control is clicked in the browser, page after page,
and each state of the list is read like a list page."""

import re

from .. import list_patterns
from ..discovery import label_of
from . import Page

NAME = "clicks"
NEXT_CONTROL = re.compile(r"^\s*(下一页|下页|后一页|>|›|»|>>)\s*$")
_SCRIPT_CONTROLS = (
    "//a[starts-with(normalize-space(@href), 'javascript:') or @onclick or not(@href)]"
    " | //button | //span[@onclick] | //li[@onclick]"
)


def has_script_pager(page: Page) -> bool:
    """True when the page has a next/page-number control that is a script, not a link."""
    for control in page.selector.xpath(_SCRIPT_CONTROLS):
        label = re.sub(r"\s+", "", label_of(control))
        if list_patterns.NEXT_WORDS.match(label):
            return True
    return False


async def click_through(page, max_clicks: int, timeout_ms: int = 10_000) -> dict:
    """A PageMethod callable (scrapy-playwright calls it with the Playwright page): click the
    next control until the list stops changing, at most `max_clicks` times. Returns the HTML
    of every new state, whether the bound stopped it, and the error that did, if any."""
    from playwright.async_api import Error as PlaywrightError

    states: list[str] = []
    last = await page.content()
    for _ in range(max_clicks):
        control = page.get_by_text(NEXT_CONTROL).first
        try:
            if await control.count() == 0:
                return {"states": states, "capped": False}
            await control.click(timeout=timeout_ms)
            await page.wait_for_load_state("networkidle", timeout=timeout_ms)
            html = await page.content()
        except PlaywrightError as exc:  # the list's later pages were not read
            return {"states": states, "capped": False, "error": str(exc).splitlines()[0]}
        if html == last:
            return {"states": states, "capped": False}
        states.append(html)
        last = html
    return {"states": states, "capped": True}
