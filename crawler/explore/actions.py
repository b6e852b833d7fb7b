"""What a visitor can do on a list page, ranked: pure functions over the candidates the page
lists (crawler.explore.scripts.CANDIDATES), tested in-process.

A candidate is an element a visitor can act on: an anchor with a script target, a button, an
element with a click handler (its own or a delegated one), a pointer cursor or data attributes,
a `<select>`. Each becomes actions of one kind, tried in this order:

    next     下一页 and its likes                     again while it changes something
    more     加载更多, 查看更多, 更多                  again while it changes something
    scroll   the bottom of the page (infinite scroll)  again while it changes something
    number   a page number past 1, 尾页                once per list state
    tab      one of sibling controls naming a value    once
    route    an in-page route (#/list/…)               once
    option   a `<select>` option (not a URL)           once
    row      an item row that is no link (≤ 3 a group) once
    control  any other control that is no chrome       once

Tabs, routes and options change the list's state: the pager of the new state is tried again.
"""

import re
from dataclasses import dataclass

from .. import list_patterns

MORE_WORDS = re.compile(
    r"^(加载更多|查看更多|显示更多|点击加载更多|点击查看更多|展开更多|更多|更多内容|加载更多内容|"
    r"load\s*more|show\s*more|more)[>»›.…\s]*$",
    re.I,
)
# Controls every page has that never lead to a list's items, and those that would send
# something (a message, a vote) or fetch a file: never acted on (short labels only: a row's
# title may hold any word).
CHROME_WORDS = re.compile(
    r"打印|关闭|收藏|设为首页|返回顶部|顶部|分享|微信|微博|字号|^[大中小]$|繁体|简体|^[简繁]$|无障碍|"
    r"长者|关怀|登录|注册|退出|搜索|检索|重置|清空|返回|上一页|上页|前一页|首页|^<+$|^‹$|^«$|"
    r"提交|发送|发表|确定|投票|评论|留言|点赞|订阅|退订|下载|导出|报名|申请|删除|"
    r"print|close|search|login|top|submit|send|vote|download",
    re.I,
)
MAX_CHROME_LABEL = 10
# A select's option that is a URL: a jump menu (read statically), not a filter.
URL_OPTION = re.compile(r"^(?:https?:|/|\.\.?/|www\.)", re.I)
ROUTE_HREF = re.compile(r"^#!?/")
# an icon-only pager control named by its class (element-ui's `btn-next`, `page-next`, `next`)
NEXT_CLASS = re.compile(r"(?:^|[\s_-])next(?:[\s_-]|$)", re.I)
MAX_ROW_CLICKS = 3  # rows of one group clicked to learn how they lead to their items
MAX_TAB_LABEL = 12
MIN_ROW_LABEL = 8
REPEATED = ("next", "more", "scroll")  # acted again while they change something
PER_STATE = (*REPEATED, "number")  # acted anew in every list state
STATE_CHANGING = ("tab", "route", "option")
ORDER = ("next", "more", "scroll", "number", "tab", "route", "option", "row", "control")


@dataclass(frozen=True)
class Action:
    kind: str
    index: int  # the candidate's index in the page (window.__xplr.elements); -1: scroll
    signature: str  # what the action is, whatever the page's state: acted once (or per state)
    label: str = ""
    value: str | None = None  # the option to select
    group: str = ""  # rows: their shape (tag and attribute names), bounded per group
    attrs: tuple[tuple[str, str], ...] = ()
    tag: str = ""
    hidden: bool = False  # a route in a menu shown on hover: clicked without showing it


def _label(candidate: dict) -> str:
    """What a visitor reads on it: its text (a row's: its longest cell), or a longer title."""
    text = re.sub(r"\s+", "", candidate.get("text") or "")
    if candidate.get("siblings", 1) >= 3 and candidate.get("longest"):
        text = re.sub(r"\s+", "", candidate["longest"])
    title = re.sub(r"\s+", "", candidate.get("attrs", {}).get("title", ""))
    return title if len(title) > len(text) else text


def _signature(candidate: dict, label: str) -> str:
    attrs = candidate.get("attrs", {})
    keys = sorted(
        (k, v)
        for k, v in attrs.items()
        if k.startswith("data-") or k in ("id", "onclick", "href", "name", "value")
    )
    return f"{candidate.get('tag')}|{label}|{keys}"


def _group(candidate: dict) -> str:
    attrs = candidate.get("attrs", {})
    names = sorted(k for k in attrs if k.startswith("data-") or k == "class")
    return f"{candidate.get('tag')}|{names}|{candidate.get('region', '')[:120]}"


def _acts(candidate: dict) -> bool:
    """Something happens when it is clicked: a handler (own or delegated), a script target,
    a button, or a pointer cursor."""
    attrs = candidate.get("attrs", {})
    return bool(
        candidate.get("listens")
        or candidate.get("handler")
        or candidate.get("delegated")
        or candidate.get("pointer")
        or "onclick" in attrs
        or candidate.get("tag") in ("button", "input", "a")
    )


def _pager_kind(candidate: dict, label: str) -> str | None:
    """A route, 下一页, 更多 or a page number past 1 (尾页)."""
    if candidate.get("tag") == "a" and ROUTE_HREF.match(candidate.get("attrs", {}).get("href", "")):
        return "route"
    if list_patterns.NEXT_WORDS.match(label):
        return "next"
    if not label and NEXT_CLASS.search(candidate.get("attrs", {}).get("class", "")):
        return "next"
    if MORE_WORDS.match(label):
        return "more"
    number = list_patterns.PAGE_NUMBER.match(label)
    if (number and int(number.group(1)) > 1) or list_patterns.LAST_WORDS.match(label):
        return "number"
    return None


def kind_of(candidate: dict) -> str | None:
    """The kind of a (non-select) candidate's action, None when it is not worth one."""
    if candidate.get("disabled") or candidate.get("inner") or candidate.get("writes"):
        return None
    label = _label(candidate)
    pager = _pager_kind(candidate, label)
    if pager is not None:
        return pager
    chrome = label and len(label) <= MAX_CHROME_LABEL and CHROME_WORDS.search(label)
    if not _acts(candidate) or chrome:
        return None
    data = any(k.startswith("data-") for k in candidate.get("attrs", {}))
    siblings = candidate.get("siblings", 1)
    if siblings >= 2 and not candidate.get("links") and len(label) >= MIN_ROW_LABEL:
        return "row" if siblings >= 3 else "control"
    if siblings >= 2 and label and len(label) <= MAX_TAB_LABEL:
        return "tab"
    return "control" if label or data else None


def plan(candidates: list[dict], scrollable: bool = False) -> list[Action]:
    """The actions the candidates offer (and scrolling, on a page taller than the window), in
    the order they are tried."""
    actions: list[Action] = [Action("scroll", -1, "scroll", "scroll")] if scrollable else []
    for candidate in candidates:
        if candidate.get("tag") == "select":
            actions += _options(candidate)
            continue
        kind = kind_of(candidate)
        if kind is None:
            continue
        label = _label(candidate)
        attrs = tuple(sorted(candidate.get("attrs", {}).items()))
        actions.append(
            Action(
                kind,
                candidate["index"],
                _signature(candidate, label),
                label,
                group=_group(candidate) if kind == "row" else "",
                attrs=attrs,
                tag=candidate.get("tag", ""),
                hidden=bool(candidate.get("hidden")),
            )
        )
    return sorted(actions, key=lambda a: ORDER.index(a.kind))


def _options(select: dict) -> list[Action]:
    """A select's options that filter the list (not its current one, not a URL)."""
    if select.get("disabled") or select.get("writes"):
        return []
    signature = _signature(select, "")
    return [
        Action(
            "option",
            select["index"],
            f"{signature}|{option['value']}",
            option.get("text", ""),
            value=option["value"],
        )
        for option in select.get("options", [])
        if option.get("value", "").strip()
        and not option.get("selected")
        and not URL_OPTION.match(option["value"].strip())
    ]


@dataclass
class Tally:
    """What was acted on: each action at most once (the pager's once per list state, again
    while it changes something), at most MAX_ROW_CLICKS rows of a group."""

    state: int = 0
    done: dict | None = None
    spent: set | None = None  # repeated actions that stopped changing anything, per state
    rows: dict | None = None

    def __post_init__(self) -> None:
        self.done = {}
        self.spent = set()
        self.rows = {}

    def _key(self, action: Action) -> tuple:
        return (self.state, action.signature) if action.kind in PER_STATE else (action.signature,)

    def allowed(self, action: Action, repeat: int) -> bool:
        key = self._key(action)
        if key in self.spent:
            return False
        if action.kind == "row" and self.rows.get(action.group, 0) >= MAX_ROW_CLICKS:
            return False
        limit = repeat if action.kind in REPEATED else 1
        return self.done.get(key, 0) < limit

    def acted(self, action: Action, changed: bool) -> None:
        key = self._key(action)
        self.done[key] = self.done.get(key, 0) + 1
        if action.kind in REPEATED and not changed:
            self.spent.add(key)
        if action.kind == "row":
            self.rows[action.group] = self.rows.get(action.group, 0) + 1
        if action.kind in STATE_CHANGING and changed:
            self.state += 1

    def next(self, actions: list[Action], repeat: int) -> Action | None:
        return next((a for a in actions if self.allowed(a, repeat)), None)
