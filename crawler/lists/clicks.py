"""Browser click-through, the last resort for JavaScript-only paging: when a rendered list's
pager is script buttons (`onclick="show(2)"`, `javascript:loadPage(2)`, `<span
class="page-num">3</span>`) and neither a named nor an observed API can be read, it is clicked
in the browser and each state of the list is read like a list page: its 下一页 control, page
after page; or, when it has none, its page numbers in order (2, 3, … as the pager shows them)."""

import re

from .. import list_patterns
from ..discovery import label_of
from . import Page

NAME = "clicks"
NEXT_CONTROL = re.compile(r"^\s*(下一页|下页|后一页|>|›|»|>>)\s*$")
# Elements a pager's script controls are made of (links to nowhere, buttons, handled spans).
_SCRIPT_CONTROLS = (
    "//a[starts-with(normalize-space(@href), 'javascript:') or @onclick or not(@href)]"
    " | //button | //span[@onclick or contains(@class, 'page')]"
    " | //li[(@onclick or contains(@class, 'page')) and not(.//a[@href])]"
)
# The same, for Playwright (CSS): where page numbers are looked for.
_CONTROL_CSS = (
    "a[href^='javascript'], a[onclick], a:not([href]), button, span[onclick], "
    "span[class*='page'], li[onclick], li[class*='page']"
)


def has_script_pager(page: Page) -> bool:
    """True when the page has a next control, or page numbers past 1, that are scripts,
    not links."""
    numbers = set()
    for control in page.selector.xpath(_SCRIPT_CONTROLS):
        label = re.sub(r"\s+", "", label_of(control))
        if list_patterns.NEXT_WORDS.match(label):
            return True
        number = list_patterns.PAGE_NUMBER.match(label)
        if number and int(number.group(1)) > 1:
            numbers.add(int(number.group(1)))
    return bool(numbers)


def page_number_control(number: int) -> re.Pattern:
    """A control labelled with this page number: 3, [3], 【3】."""
    return re.compile(rf"^\s*[\[【(（]?\s*{number}\s*[\]】)）]?\s*$")


_BODY = "() => document.body ? document.body.innerHTML : ''"
# the page's links (not script controls): a state that links nothing new is past the list's end
_LINKS = (
    "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
    ".filter(h => !/^\\s*(javascript:|#)/i.test(h)).join('\\n')"
)
CHANGE_WAIT_MS = 5_000  # how long a click may take to change the list before it is its end


async def _changed(page, before: str, timeout_ms: int) -> bool:
    """Wait for a click's effect: the body differs from `before` (a script pager fills the
    list when its XHR answers, after the page's load states were long reached). False when
    nothing changed in time: the control did nothing, the list is at its end."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        await page.wait_for_function(
            f"(before) => ({_BODY})() !== before",
            arg=before,
            timeout=min(timeout_ms, CHANGE_WAIT_MS),
        )
    except PlaywrightTimeout:
        return False
    return True


async def click_through(page, max_clicks: int, timeout_ms: int = 10_000) -> dict:
    """A PageMethod callable (scrapy-playwright calls it with the Playwright page): click the
    next control until the list stops changing, or (with no next control) the page numbers
    2, 3, … while the pager shows them; at most `max_clicks` clicks. Returns the HTML of every
    new state, whether the bound stopped it, how it paged, and the error that did, if any."""
    from playwright.async_api import Error as PlaywrightError

    states: list[str] = []
    last = await page.content()
    by_numbers = await page.get_by_text(NEXT_CONTROL).count() == 0
    mode = "page numbers" if by_numbers else "next"
    for click in range(max_clicks):
        if by_numbers:
            label = page_number_control(click + 2)
            controls = page.locator(_CONTROL_CSS).filter(visible=True)
            control = controls.filter(has_text=label).last
        else:
            control = page.get_by_text(NEXT_CONTROL).first
        try:
            if await control.count() == 0:
                return {"states": states, "capped": False, "mode": mode}
            before, links = await page.evaluate(_BODY), await page.evaluate(_LINKS)
            await control.click(timeout=timeout_ms)
            if not await _changed(page, before, timeout_ms):
                return {"states": states, "capped": False, "mode": mode}
            await page.wait_for_load_state("networkidle", timeout=timeout_ms)
            if await page.evaluate(_LINKS) == links:  # only the pager changed: past the end
                return {"states": states, "capped": False, "mode": mode}
            html = await page.content()
        except PlaywrightError as exc:  # the list's later pages were not read
            error = str(exc).splitlines()[0]
            return {"states": states, "capped": False, "mode": mode, "error": error}
        if html == last:
            return {"states": states, "capped": False, "mode": mode}
        states.append(html)
        last = html
    return {"states": states, "capped": True, "mode": mode}
