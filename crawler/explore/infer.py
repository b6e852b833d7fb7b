"""Recipe inference: from what a list page requested while a visitor acted on it (its
exploration), the recipes that read its lists over plain HTTP. Pure, tested in-process.

The requests are grouped by endpoint (method, URL path, body kind); a group whose replies are
lists is a recipe. Each of its parameters, form fields, JSON fields and token headers is a slot
(crawler.explore.recipes), its rule found from its values across the calls and what caused
each call: a value the previous reply held is a cursor; one that changed with a tab, a route or
an option is a choice (with the other values the page's controls offer); a number that grew
with the pager or 更多 is a page number (step 1) or an offset (a larger step, or named so); a
page size that differs (a home page's box and the column) is the largest asked for; a value of
one of the page's hidden inputs is that input, read anew from each page (a postback's
`__VIEWSTATE`); a token an earlier reply gave is a session value (that earlier call is made
first); a token header that changes and no reply gave makes the recipe one for the browser
only. A navigation of the page to itself (a postback, `list.aspx?page=2`) is a call whose
reply is a whole page.
"""

import itertools
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from notice.urls import canonical_url

from . import replies, urlrules
from .recipes import Call, Recipe, Slot

STATE_KINDS = ("tab", "route", "option")
PAGER_KINDS = ("next", "more", "scroll", "number")
OFFSET_NAME = re.compile(r"^(start|offset|from|skip|begin|startrecord|startRow|firstResult)$", re.I)
PAGE_NAME = re.compile(r"^(page|pageNo|pageNum|pageIndex|currentPage|curPage|current|pn|p)$", re.I)
# how many items a page holds: a home page's box asks for fewer than the column (5 and 10)
SIZE_NAME = re.compile(r"^(page_?size|size|limit|rows|per_?page|ps|perpage)$", re.I)
TOKEN_HEADER = re.compile(r"^(authorization|x-[\w-]*(token|auth|csrf|sign)[\w-]*|token)$", re.I)
KEPT_HEADERS = ("content-type", "x-requested-with", "accept")
YEARS = range(1990, 2101)
MIN_STATE_VALUE = 8  # a hidden input's value this long (or named __…) is page state


@dataclass
class Observed:
    """A request the page made (or a navigation of the page to itself), and what caused it."""

    method: str
    url: str
    body: str
    body_kind: str
    headers: dict
    text: str
    reply: str | None  # json | html | page | None (not a list)
    kind: str  # the action's kind (load: the page's own load)
    label: str

    @property
    def endpoint(self) -> tuple:
        parts = urlsplit(self.url)
        return (self.method, f"{parts.scheme}://{parts.netloc}{parts.path}", self.body_kind)

    def fields(self) -> dict[str, str]:
        """Every slot candidate and its value: query:…, form:…, json:…, header:…; a parameter
        whose value is a JSON object (`paramJson={"pageNo":1}`) by its fields (query-json:…)."""
        out = _pairs("query", parse_qsl(urlsplit(self.url).query, True))
        if self.body_kind == "form":
            out.update(_pairs("form", parse_qsl(self.body, True)))
        elif self.body_kind == "json":
            out.update({f"json:{k}": v for k, v in _leaves(json.loads(self.body or "{}"))})
        out.update({f"header:{k}": v for k, v in self.headers.items() if TOKEN_HEADER.match(k)})
        return out


def _pairs(where: str, pairs: list[tuple[str, str]]) -> dict[str, str]:
    out = {}
    for name, value in pairs:
        inner = _json_object(value)
        if inner is None:
            out[f"{where}:{name}"] = value
        else:
            out.update({f"{where}-json:{name}|{k}": v for k, v in _leaves(inner)})
    return out


def _json_object(value: str) -> dict | None:
    if not value.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _leaves(data, prefix: str = "") -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return []
    out = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _leaves(value, name + ".")
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out.append((name, str(value)))
    return out


def body_kind(body: str, content_type: str) -> str:
    if not body:
        return ""
    if "json" in content_type or body.lstrip().startswith("{"):
        try:
            return "json" if isinstance(json.loads(body), dict) else "raw"
        except ValueError:
            return "raw"
    return "form" if "=" in body else "raw"


def observed(exploration: dict, list_url: str) -> list[Observed]:
    """The page's data requests with their replies, and its navigations to itself."""
    actions = exploration.get("actions", [])

    def cause(index: int) -> tuple[str, str]:
        if 0 <= index < len(actions):
            return actions[index]["kind"], actions[index].get("label") or ""
        return "load", ""

    out = []
    for c in exploration.get("calls", []):
        if c.get("status") != 200:
            continue
        kind = body_kind(c.get("body", ""), c["headers"].get("content-type", ""))
        if kind == "raw":
            continue
        reply = replies.reply_kind(c.get("text", ""), c.get("content_type", ""))
        out.append(
            Observed(
                c["method"],
                c["url"],
                c.get("body", ""),
                kind,
                c["headers"],
                c.get("text", ""),
                reply,
                *cause(c["action"]),
            )
        )
    for n in exploration.get("navigations", []):
        if not same_page(n["url"], list_url) or (n["method"] == "GET" and n["url"] == list_url):
            continue
        kind = body_kind(n.get("body", ""), n.get("content_type", ""))
        if kind != "raw":
            headers = {"content-type": n["content_type"]} if n.get("content_type") else {}
            out.append(
                Observed(
                    n["method"],
                    n["url"],
                    n.get("body", ""),
                    kind,
                    headers,
                    "",
                    "page",
                    *cause(n["action"]),
                )
            )
    return out


def same_page(url: str, list_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(list_url)
    return (a.scheme, a.netloc, a.path) == (b.scheme, b.netloc, b.path)


# -- slots ---------------------------------------------------------------------------------


def _value_set(values: list[str], sets: list[dict]) -> tuple[str, ...]:
    """The observed values, with the rest of the page's control values that hold them (the
    options of a select, the data attribute of sibling tabs)."""
    seen = list(dict.fromkeys(values))
    for value_set in sets:
        offered = [v for v in value_set.get("values", []) if v.strip()]
        if len(offered) > 1 and set(seen) <= set(offered):
            return tuple(dict.fromkeys(seen + offered))
    return tuple(seen)


def _ints(values: list[str]) -> list[int] | None:
    try:
        return [int(v) for v in values]
    except ValueError:
        return None


def _cursor(calls: list[Observed], values: list[str | None], base: str) -> tuple | None:
    """Where each call's value sat in the previous call's reply, if every later value did
    (the same place each time): a JSON path, or in an HTML reply the last link shaped like
    ("@link", template) or the last element with the attribute ("@attr", name)."""
    paths = set()
    for before, value in zip(calls, values[1:], strict=False):
        if value is None:
            continue
        if before.reply == "json":
            data = replies.parse_json(before.text)
            path = replies.find(data, value) if data is not None else None
        else:
            path = replies.html_source(before.text, value, base) if before.reply else None
        if path is None:
            return None
        paths.add(path)
    return paths.pop() if len(paths) == 1 else None


def _noise(distinct: list[str], present: list[str]) -> bool:
    """A value new in every call that is a time stamp or a random number (`_=1700000000000`,
    `t=0.4821`): a cache-buster, sent as observed."""
    if len(distinct) < 2 or len(distinct) != len(present):
        return False
    return all(re.fullmatch(r"1\d{9}(\d{3})?|0?\.\d{4,}", v) for v in distinct)


def _first_link(value: str | None, document: str, base: str) -> str:
    """A link template of the list page that gives the first call's value: the last link
    holding it, with the value as {v} (the last item's id of an infinite scroll)."""
    if not value or not document:
        return ""
    template = ""
    for href in Selector(text=document).xpath("//a/@href").getall():
        url = urljoin(base, href.strip())
        if value in url:
            template = url.replace(value, "{v}", 1)
    if template and urlrules.apply_inverse(template, template.replace("{v}", value)) == value:
        return template
    return ""


def _classify(key: str, calls: list[Observed], values: list[str | None], page: dict) -> Slot:
    where, name = key.split(":", 1)
    present = [v for v in values if v is not None]
    distinct = list(dict.fromkeys(present))
    kinds = [c.kind for c, v in zip(calls, values, strict=True) if v is not None]
    if _noise(distinct, present):
        return Slot(where, name, "const", present[0])
    sizes = _ints(distinct) if SIZE_NAME.match(_leaf(name)) else None
    if sizes and len(sizes) > 1:  # the largest page the list gave is asked for throughout
        return Slot(where, name, "const", str(max(sizes)))
    # a value that varies, or that only later calls send: from the previous reply?
    varies = len(distinct) > 1 or values[0] is None
    cursor = _cursor(calls, values, page["url"]) if varies else None
    if cursor is not None:
        first = _first_link(values[0], page["document"], page["url"])
        return Slot(where, name, "cursor", values[0], source=cursor, first=first)
    if len(distinct) <= 1:
        return _constant(where, name, present[0], calls, page)
    changed = [kinds[i] for i in range(1, len(present)) if present[i] != present[i - 1]]
    return _varying(where, name, distinct, changed, page)


def _varying(where: str, name: str, distinct: list[str], changed: list[str], page: dict) -> Slot:
    """A value that changed between calls, with the kinds of the actions that changed it: a
    choice (with a tab, a route or an option; a year; words), else a page number or an
    offset (a step larger than one, or named so)."""
    numbers = _ints(distinct)
    by_state = any(k in STATE_KINDS for k in changed) and not any(k in PAGER_KINDS for k in changed)
    if by_state or numbers is None or all(n in YEARS for n in numbers):
        return Slot(where, name, "choice", choices=_value_set(distinct, page["values"]))
    ordered = sorted(set(numbers))
    steps = [b - a for a, b in itertools.pairwise(ordered)]
    step = min(steps)
    if OFFSET_NAME.match(_leaf(name)) or step > 1:
        return Slot(where, name, "offset", str(ordered[0]), step=step)
    return Slot(where, name, "page", str(ordered[0]), step=1)


def _leaf(name: str) -> str:
    """A slot's own name: the last part of a JSON path (data.pageNo, paramJson|pageNo)."""
    return re.split(r"[.|]", name)[-1]


def _constant(where: str, name: str, value: str, calls: list[Observed], page: dict) -> Slot:
    """A value every call sent the same: page state (a hidden input's), a page number never
    moved, one of several values the page's controls offer, or a constant."""
    hidden = page["hidden"]
    state = next((n for n, v in hidden.items() if v == value and v), None)
    if state and (len(value) >= MIN_STATE_VALUE or state.startswith("__")):
        return Slot(where, name, "input", value, source=(state,))
    if PAGE_NAME.match(_leaf(name)) and value.isdigit():
        return Slot(where, name, "page", value)
    if OFFSET_NAME.match(_leaf(name)) and value.isdigit() and int(value):
        return Slot(where, name, "offset", value, step=0)  # step: the items of a reply
    choices = _value_set([value], page["values"])
    if len(choices) > 1:
        return Slot(where, name, "choice", choices=choices)
    return Slot(where, name, "const", value)


def _session(name: str, value: str, earlier: list[Observed]) -> tuple[Slot, Call] | None:
    """A token header an earlier reply gave (a guest login): a session slot, and that
    earlier call, made first."""
    for call in earlier:
        data = replies.parse_json(call.text)
        if data is None:
            continue
        for token in dict.fromkeys([value, value.split()[-1]]):
            path = replies.find(data, token)
            if path is not None and len(token) >= MIN_STATE_VALUE:
                prefix = value[: value.index(token)]
                slot = Slot("header", name, "session", source=path, prefix=prefix)
                return slot, Call(call.method, call.url, call.body, _kept(call.headers))
    return None


# -- recipes -------------------------------------------------------------------------------


def infer(exploration: dict, list_url: str) -> list[Recipe]:
    """The list recipes an exploration shows (requests whose replies are lists)."""
    calls = observed(exploration, list_url)
    page = {
        "url": list_url,
        "document": exploration.get("document", ""),
        "hidden": replies.hidden_inputs(exploration.get("document", "")),
        "values": exploration.get("values", []),
    }
    groups: dict[tuple, list[Observed]] = {}
    for c in calls:
        groups.setdefault(c.endpoint, []).append(c)
    found = []
    for endpoint, group in groups.items():
        if not any(c.reply for c in group):
            continue
        lists = [c for c in group if c.reply]
        first = calls.index(lists[0])
        page["earlier"] = [c for c in calls[:first] if c.endpoint != endpoint]
        found.append(_recipe(lists, page, exploration))
    own = [row_recipe(exploration, list_url), inline_recipe(exploration, list_url)]
    return found + [recipe for recipe in own if recipe is not None]


def _recipe(group: list[Observed], page: dict, exploration: dict) -> Recipe:
    fields = [c.fields() for c in group]
    keys = list(dict.fromkeys(k for f in fields for k in f))
    slots = []
    session = None
    browser = ""
    for key in keys:
        values = [f.get(key) for f in fields]
        value = next(v for v in values if v is not None)
        found = _session(key[7:], value, page["earlier"]) if key.startswith("header:") else None
        if found is not None:
            slot, session = found
        elif key.startswith("header:"):
            slot = Slot("header", key[7:], "const", value)
            if len({v for v in values if v is not None}) > 1:  # a signature the script made
                browser = f"its {key[7:]} header changes from call to call and no reply gave it"
        else:
            slot = _classify(key, group, values, page)
        slots.append(slot)
    first = group[0]
    records = ()
    rule = ""
    if first.reply == "json":
        records = replies.records_path(replies.parse_json(first.text)) or ()
        shown = [r for c in group for r in replies.records(replies.parse_json(c.text), records)]
        rule = _record_rule(shown, exploration)
    return Recipe(
        list_url=page["url"],
        reply=first.reply,
        method=first.method,
        url=first.url,
        body=first.body,
        body_kind=first.body_kind,
        headers=_kept(first.headers),
        slots=tuple(slots),
        session=session,
        records=records,
        item_rule=rule,
        learned=", ".join(dict.fromkeys(f"{c.kind} {c.label}".strip() for c in group)),
        browser=browser,
    )


def _kept(headers: dict) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in headers.items() if k in KEPT_HEADERS))


def _record_rule(shown: list[replies.Record], exploration: dict) -> str:
    """Records without a URL: the rule the page's own links show (a link whose label is a
    record's title)."""
    by_label = {}
    for link in exploration.get("links", []):
        by_label.setdefault(re.sub(r"\s+", "", link["label"]), link["url"])
    examples = []
    for record in shown:
        if record.url:
            return ""
        url = by_label.get(re.sub(r"\s+", "", record.title))
        if url:
            examples.append((dict(record.fields), url))
    return urlrules.learn(examples[:20]) or ""


def inline_recipe(exploration: dict, list_url: str) -> Recipe | None:
    """Records the list page's own script holds (a client-side pager over inline data): read
    from the page itself, their URLs theirs, or made by the rule its links show."""
    shown = replies.inline_records(exploration.get("document", ""))
    if not shown:
        return None
    rule = _record_rule(shown, exploration)
    if not rule and not any(record.url for record in shown):
        return None
    return Recipe(list_url=list_url, reply="inline", item_rule=rule, learned="inline data")


def row_recipe(exploration: dict, list_url: str) -> Recipe | None:
    """Rows that are no links but navigate when clicked: the rule from their data attributes
    to the URL they went to, and a selector for all of them."""
    navigations = {
        n["action"]: n for n in exploration.get("navigations", []) if n["method"] == "GET"
    }
    examples, tags = [], set()
    for index, action in enumerate(exploration.get("actions", [])):
        if action["kind"] != "row" or index not in navigations:
            continue
        attrs = {k: v for k, v in action.get("attrs", {}).items() if k.startswith("data-")}
        examples.append((attrs, canonical_url(navigations[index]["url"])))
        tags.add(action.get("tag", ""))
    rule = urlrules.learn(examples) if examples else None
    if not rule or len(tags) != 1:
        return None
    names = sorted({m for m in re.findall(r"\{([\w-]+)", rule)})
    selector = tags.pop() + "".join(f"[{n}]" for n in names)
    return Recipe(
        list_url=list_url, reply="rows", rows=selector, item_rule=rule, learned="row clicks"
    )


def link_items(exploration: dict) -> list[tuple[str, str]]:
    """(url, label) of every link the page showed, at load and after each action."""
    return [(link["url"], link["label"]) for link in exploration.get("links", [])]


def navigation_items(exploration: dict, list_url: str) -> list[tuple[str, str]]:
    """(url, label) of the pages the page tried to go to that are not itself: the label is
    the control's (a row's title)."""
    actions = exploration.get("actions", [])
    out = []
    for n in exploration.get("navigations", []):
        if n["method"] != "GET" or same_page(n["url"], list_url):
            continue
        index = n["action"]
        label = actions[index].get("label", "") if 0 <= index < len(actions) else ""
        out.append((n["url"], label))
    return out
