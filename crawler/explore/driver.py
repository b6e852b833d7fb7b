"""The explorer in the browser: act on a list page as a visitor would, and record what each
action did.

`Recorder.attach` is the request's `playwright_page_init_callback` (it runs before the page
loads): it adds the init script (crawler.explore.scripts.INIT), records every request the page's
scripts make with its reply, and holds every navigation of the page after it loaded (recorded,
then aborted, so the list stays where it is). `explore` is a PageMethod: it lists what a visitor
can act on, acts on it in the order crawler.explore.actions ranks it, waits for the page to be
quiet, and notes the new links, the requests and the navigations of each action, within its
budgets (actions, seconds). It returns plain data (an `exploration`, read by
crawler.explore.reading), never raises for what the page does: a failure is its `error`.

Requests out of the portal's domains never leave the browser (crawler.browser.ScopeGuard);
window.open and target=_blank are recorded, not opened: a window the page opened is a
navigation of the action that opened it.
"""

import asyncio
import time
from contextlib import suppress

from . import scripts
from .actions import Action, Tally, plan

MAX_BODY = 200_000  # characters of a reply kept
MAX_CALLS = 200  # requests recorded per page
QUIET_SECONDS = 0.35  # no request in flight for this long: the action's effect is over
ACTION_SECONDS = 6.0  # at most this long per action
LOAD_SECONDS = 15.0  # at most this long for the page's own requests once it loaded
REPEAT = 3  # a pager or 更多 control is pressed again at most this many times per state
DATA_TYPES = ("xhr", "fetch")


class Recorder:
    """What the page fetched and where it tried to go, from before it loaded."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.navigations: list[dict] = []
        self.document = ""  # the page's own HTML, as the server sent it
        self.loaded = False
        self.action = -1  # the action under way (-1: the page's load)
        self.inflight = 0
        self.last_activity = time.monotonic()
        self.tasks: set = set()
        self.page = None
        self.started: dict = {}  # request -> the action under way when it started

    async def attach(self, page, request) -> None:
        """playwright_page_init_callback: set up before the page loads."""
        self.page = page
        await page.add_init_script(scripts.INIT)
        page.on("request", self._started)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)
        await page.route("**", self._route)

    # -- events -------------------------------------------------------------------------

    def _started(self, request) -> None:
        self.started[request] = self.action
        self.inflight += 1
        self.last_activity = time.monotonic()

    def _failed(self, request) -> None:
        self.started.pop(request, None)
        self.inflight = max(0, self.inflight - 1)
        self.last_activity = time.monotonic()

    def _finished(self, request) -> None:
        task = asyncio.ensure_future(self._keep(request, self.loaded))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _keep(self, request, loaded: bool) -> None:
        try:
            main = request.frame == self.page.main_frame
            if request.resource_type not in DATA_TYPES:
                self.started.pop(request, None)
            if request.resource_type == "document" and main and not loaded:
                with suppress(Exception):
                    response = await request.response()
                    self.document = (await response.text())[:MAX_BODY] if response else ""
            elif request.resource_type in DATA_TYPES and len(self.calls) < MAX_CALLS:
                await self._call(request)
        finally:
            self.inflight = max(0, self.inflight - 1)
            self.last_activity = time.monotonic()

    async def _call(self, request) -> None:
        response = await request.response()
        text = ""
        status = 0
        content_type = ""
        if response is not None:
            status = response.status
            content_type = (await response.all_headers()).get("content-type", "")
            with suppress(Exception):
                text = (await response.text())[:MAX_BODY]
        headers = await request.all_headers()
        self.calls.append(
            {
                "action": self.started.pop(request, self.action),
                "method": request.method,
                "url": request.url,
                "headers": {k.lower(): v for k, v in headers.items()},
                "body": request.post_data or "",
                "status": status,
                "content_type": content_type,
                "text": text,
            }
        )

    async def _route(self, route, request) -> None:
        """After the load, a navigation of the page is recorded and held: the list stays."""
        main = request.frame == self.page.main_frame
        if self.loaded and request.is_navigation_request() and main:
            headers = await request.all_headers()
            self.navigations.append(
                {
                    "action": self.action,
                    "method": request.method,
                    "url": request.url,
                    "body": request.post_data or "",
                    "content_type": headers.get("content-type", ""),
                }
            )
            # a 204 leaves the page where it is (an aborted navigation shows an error page)
            await route.fulfill(status=204, body="")
            return
        await route.fallback()

    # -- waiting ------------------------------------------------------------------------

    async def quiet(self, limit: float = ACTION_SECONDS) -> None:
        """Wait until no request is in flight for QUIET_SECONDS (at most `limit` seconds),
        and every reply was read."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            idle = time.monotonic() - self.last_activity
            if self.inflight <= 0 and idle >= QUIET_SECONDS:
                break
            await asyncio.sleep(0.05)
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=max(0.1, deadline - time.monotonic()))


def _opened(url: str, action: int) -> dict:
    """A window the page opened (window.open): a navigation of the action, to its target."""
    return {"action": action, "method": "GET", "url": url, "body": "", "content_type": ""}


async def _settle(page, recorder: Recorder, limit: float = ACTION_SECONDS) -> None:
    """An action's effect is over: the network quiet, two frames drawn (a reply's rows are
    inserted), and quiet again (a scroll handler fetches on the next frame)."""
    await recorder.quiet(limit)
    await page.evaluate(scripts.FRAMES)
    await recorder.quiet(2.0)


async def _links(page) -> dict[str, str]:
    return {url: label for url, label in await page.evaluate(scripts.LINKS)}


async def _act(page, action: Action) -> None:
    if action.kind == "scroll":
        await page.evaluate(scripts.SCROLL)
        return
    handle = await page.evaluate_handle("i => window.__xplr.elements[i]", action.index)
    element = handle.as_element()
    if element is None:
        raise LookupError("the element is gone")
    if action.kind == "option":
        await element.select_option(action.value, timeout=3000)
    elif action.hidden:  # a drop-down's route: what the visitor's click on it does
        await element.dispatch_event("click")
    else:
        try:
            await element.click(timeout=3000)
        except Exception:  # covered or moving: a visitor's click, dispatched
            await element.dispatch_event("click")


async def _scrollable(page) -> bool:
    height, viewport = await page.evaluate(scripts.HEIGHT)
    return height > viewport + 50


def _effect(recorder: Recorder, marks: tuple[int, int], new: dict, opened: list) -> dict:
    calls = [c for c in recorder.calls[marks[0] :] if c["action"] == recorder.action]
    navigations = recorder.navigations[marks[1] :]
    return {
        "calls": len(calls),
        "navigations": len(navigations),
        "links": len(new),
        "opened": opened,
    }


def _changed(effect: dict, previous: dict | None) -> bool:
    """An action changed something: new links, or requests and navigations unlike the last
    action's (the same postback again is nothing new)."""
    if effect["links"]:
        return True
    return bool(effect["calls"] or effect["navigations"]) and effect != previous


async def explore(page, recorder: Recorder, max_actions: int = 40, seconds: float = 60.0) -> dict:
    """A PageMethod: explore the loaded list page; its exploration as plain data."""
    started = time.monotonic()
    recorder.loaded = True
    await _settle(page, recorder, LOAD_SECONDS)
    links = await _links(page)
    seen = [{"url": u, "label": lab, "action": -1} for u, lab in links.items()]
    values = await page.evaluate(scripts.VALUES)
    done: list[dict] = []
    tally = Tally()
    error = None
    capped = False
    previous: dict[str, dict] = {}
    waited = False
    try:
        while True:
            if len(done) >= max_actions or time.monotonic() - started > seconds:
                capped = True
                break
            candidates = await page.evaluate(scripts.CANDIDATES)
            actions = plan(candidates, await _scrollable(page))
            action = tally.next(actions, REPEAT)
            if action is None and recorder.inflight > 0 and not waited:
                waited = True  # a slow reply may yet show more to act on: once
                await _settle(page, recorder, LOAD_SECONDS)
                continue
            if action is None:
                break
            recorder.action = len(done)
            marks = (len(recorder.calls), len(recorder.navigations))
            failed = None
            try:
                await _act(page, action)
            except Exception as exc:  # the element went away or cannot be acted on
                failed = str(exc).splitlines()[0][:200]
            await _settle(page, recorder)
            after = await _links(page)
            new = {u: lab for u, lab in after.items() if u not in links}
            links.update(after)
            seen += [{"url": u, "label": lab, "action": recorder.action} for u, lab in new.items()]
            opened = await page.evaluate(scripts.OPENED)
            recorder.navigations += [_opened(url, recorder.action) for url in opened if url]
            effect = _effect(recorder, marks, new, opened)
            changed = failed is None and _changed(effect, previous.get(action.signature))
            previous[action.signature] = effect
            tally.acted(action, changed)
            done.append(
                {
                    "kind": action.kind,
                    "tag": action.tag,
                    "label": action.label,
                    "value": action.value,
                    "attrs": dict(action.attrs),
                    "state": tally.state,
                    "failed": failed,
                    **effect,
                }
            )
            if tally.state > 0 and values is not None:
                values = _merge(values, await page.evaluate(scripts.VALUES))
    except Exception as exc:  # the page crashed or closed: what was seen is kept
        error = str(exc).splitlines()[0][:300]
    recorder.action = len(done)
    with suppress(Exception):
        await recorder.quiet(2.0)
    return {
        "url": page.url,
        "document": recorder.document,
        "actions": done,
        "calls": recorder.calls,
        "navigations": recorder.navigations,
        "links": seen,
        "values": values or [],
        "capped": capped,
        "error": error,
        "seconds": round(time.monotonic() - started, 3),
    }


def _merge(old: list[dict], new: list[dict]) -> list[dict]:
    keys = {(v["kind"], v["name"], tuple(v["values"])) for v in old}
    return old + [v for v in new if (v["kind"], v["name"], tuple(v["values"])) not in keys]
