"""List recipes: how to read a list over plain HTTP, learned from what a visitor's actions made
the page request. Pure functions, tested in-process.

A recipe is one request the page made whose reply is a list (JSON records, an HTML fragment
of items, a whole page), with what varies between its calls: its **slots**. Each slot is a
query parameter, a form field, a JSON body's field or a header, and has a rule:

    const    the same in every call
    page     a page number: value, value + step, …
    offset   an offset: value, value + step, … (step: the items of a reply)
    cursor   taken from the previous reply (a JSON path: `data.nextCursor`, the last record's
             `id`); the first call's is omitted, the observed one, or read from the list page
             (the last of its links shaped like `first`)
    input    a hidden input of the previous page (`__VIEWSTATE`): the list page's for the first
    session  taken from the reply of a session call made first (a guest login's token)
    choice   one of several values (tabs, a year select): one series per combination

A recipe that cannot be replayed over HTTP (a token header the page's script signs anew for
every call) says why in its `browser` field: its list is read in the browser.

A recipe replays as series: one per combination of its choices, each paged from its first call
while a reply adds items (the crawl policy decides that, and bounds it). A recipe with no
paging slot is one call per series. A **rows** recipe makes no request: its items are elements
of the list page itself (rows that are no links), their URL made by a learned rule; an
**inline** recipe neither: its items are the records the list page's own script holds (a list a
client-side pager shows), their URL theirs or made by a learned rule.
"""

import hashlib
import itertools
import json
import re
from dataclasses import asdict, dataclass, field, replace
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from . import replies, urlrules

RULES = ("const", "page", "offset", "cursor", "input", "session", "choice")
REPLIES = ("json", "html", "page", "rows", "inline", "none")
# "none": an exploration that found nothing to replay (its list reads without the browser, or
# holds nothing more): kept so that the next crawls do not explore it again (for a while)
NOTHING = "none"
OWN_PAGE = ("rows", "inline")  # recipes read from the list page itself, with no request
PAGING = ("page", "offset", "cursor")
MAX_COMBINATIONS = 60


class RecipeError(ValueError):
    """A stored recipe that cannot be read."""


@dataclass(frozen=True)
class Slot:
    where: str  # query | form | json | header
    name: str  # parameter, form field, JSON path (a.b.c) or header name (lower case)
    rule: str
    value: str | None = None  # const: its value; page/offset: the first; cursor: the first call's
    step: int = 1
    source: tuple = ()  # cursor: path in the previous reply; session: path in the session reply
    first: str = ""  # cursor: a link template of the list page ({v}: the first call's value)
    choices: tuple[str, ...] = ()
    prefix: str = ""  # session: what precedes the token ("Bearer ")

    @property
    def key(self) -> str:
        return f"{self.where}:{self.name}"


@dataclass(frozen=True)
class Call:
    """One concrete request."""

    method: str
    url: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Recipe:
    list_url: str
    reply: str  # json | html | page | rows | inline | none
    method: str = "GET"
    url: str = ""  # the observed call's URL (slots override its query)
    body: str = ""  # the observed call's body (slots override its fields)
    body_kind: str = ""  # "" | form | json
    headers: tuple[tuple[str, str], ...] = ()  # sent as observed (content type …)
    slots: tuple[Slot, ...] = ()
    session: Call | None = None  # made first; its reply gives the session slots' values
    records: tuple = ()  # json: the path of the records
    item_rule: str = ""  # items that are ids or rows: their URL from their values
    rows: str = ""  # a CSS selector of item rows (rows recipe, or rows in a fragment)
    learned: str = field(default="", compare=False)  # how: the actions that showed it
    # why it cannot be replayed over plain HTTP ("": it can): the list is read in the browser
    browser: str = ""

    @property
    def key(self) -> str:
        """What identifies the recipe within its list."""
        slots = sorted((s.where, s.name, s.rule) for s in self.slots)
        what = repr((self.reply, self.method, urlsplit(self.url).path, slots, self.rows))
        return hashlib.sha1(what.encode()).hexdigest()[:16]

    @property
    def pages(self) -> bool:
        """True when a series goes on past its first call."""
        return any(s.rule in PAGING for s in self.slots) or (
            self.reply == "page" and any(s.rule == "input" for s in self.slots)
        )

    def combinations(self) -> list[dict[str, str]]:
        """The choice slots' values, one dict per series (at most MAX_COMBINATIONS)."""
        choices = [s for s in self.slots if s.rule == "choice"]
        product = itertools.product(*(s.choices for s in choices))
        return [
            {s.key: value for s, value in zip(choices, combo, strict=True)}
            for combo in itertools.islice(product, MAX_COMBINATIONS)
        ]


# -- (de)serialisation -----------------------------------------------------------------


def to_json(recipe: Recipe) -> str:
    return json.dumps(asdict(recipe), ensure_ascii=False, sort_keys=True)


def _tuple(value) -> tuple:
    return tuple(_tuple(v) if isinstance(v, list) else v for v in value)


def from_json(text: str) -> Recipe:
    """A stored recipe; RecipeError when it is not one."""
    try:
        data = json.loads(text)
        slots = tuple(
            Slot(**{k: _tuple(v) if isinstance(v, list) else v for k, v in s.items()})
            for s in data.pop("slots")
        )
        session = data.pop("session")
        if session is not None:
            session = Call(**{**session, "headers": _tuple(session["headers"])})
        for name in ("headers", "records"):
            data[name] = _tuple(data[name])
        recipe = Recipe(slots=slots, session=session, **data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RecipeError(f"not a list recipe: {exc}") from exc
    if recipe.reply not in REPLIES or any(s.rule not in RULES for s in recipe.slots):
        raise RecipeError(f"not a list recipe: reply {recipe.reply!r}")
    return recipe


# -- making calls ------------------------------------------------------------------------


def _json_set(data, path: list[str], value) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {}) if isinstance(data, dict) else data
    if not isinstance(data, dict):
        return
    if value is None:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = _typed(value, data.get(path[-1]))


def _typed(value: str, like):
    """A JSON body's value keeps the observed type (a number stays a number)."""
    if isinstance(like, int) and not isinstance(like, bool) and value.lstrip("-").isdigit():
        return int(value)
    return value


def _pairs_set(pairs: list[tuple[str, str]], name: str, value: str | None) -> list:
    out = [(k, v) for k, v in pairs if k != name]
    if value is None:
        return out
    where = next((i for i, (k, _) in enumerate(pairs) if k == name), len(out))
    out.insert(min(where, len(out)), (name, value))
    return out


def _inner_set(pairs: list[tuple[str, str]], name: str, value: str | None) -> list:
    """A field inside a parameter whose value is a JSON object (`paramJson|pageNo`)."""
    param, _, path = name.partition("|")
    out = []
    for key, given in pairs:
        if key == param:
            try:
                data = json.loads(given)
            except ValueError:
                data = None
            if isinstance(data, dict):
                _json_set(data, path.split("."), value)
                given = replies.dumps(data)
        out.append((key, given))
    return out


def build(recipe: Recipe, values: dict[str, str | None]) -> Call:
    """The request of a recipe with these slot values (a slot absent from `values` keeps
    its const value; None omits it)."""
    parts = urlsplit(recipe.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    form = parse_qsl(recipe.body, keep_blank_values=True) if recipe.body_kind == "form" else []
    data = json.loads(recipe.body) if recipe.body_kind == "json" and recipe.body else {}
    headers = dict(recipe.headers)
    for slot in recipe.slots:
        value = values.get(slot.key, slot.value) if slot.rule != "const" else slot.value
        if slot.where == "query":
            query = _pairs_set(query, slot.name, value)
        elif slot.where == "form":
            form = _pairs_set(form, slot.name, value)
        elif slot.where == "query-json":
            query = _inner_set(query, slot.name, value)
        elif slot.where == "form-json":
            form = _inner_set(form, slot.name, value)
        elif slot.where == "json":
            _json_set(data, slot.name.split("."), value)
        elif value is not None:
            headers[slot.name] = slot.prefix + value
    url = urlunsplit(parts._replace(query=urlencode(query)))
    body = ""
    if recipe.body_kind == "form":
        body = urlencode(form)
    elif recipe.body_kind == "json":
        body = replies.dumps(data)
    return Call(recipe.method, url, body, tuple(sorted(headers.items())))


# -- replaying ---------------------------------------------------------------------------


def _first_cursor(slot: Slot, document: str, base: str) -> str | None:
    """The first call's cursor: read from the list page (the last of its links shaped like
    `first`), else the observed one (None: omitted)."""
    found = None
    if slot.first and document:
        found = replies.last_link_value(document, slot.first, base)
    elif slot.source and slot.source[0] == "@attr" and slot.value is not None and document:
        found = replies.last_attr_value(document, slot.source[1])
    return slot.value if found is None else found


def _cursor_value(slot: Slot, text: str, data, base: str):
    """A cursor's value in a reply: at its JSON path, or (an HTML reply) in its last link
    shaped like the template, or its last element with the attribute."""
    if slot.source and slot.source[0] == "@link":
        return replies.last_link_value(text, slot.source[1], base)
    if slot.source and slot.source[0] == "@attr":
        return replies.last_attr_value(text, slot.source[1])
    return replies.get(data, slot.source) if data is not None else None


def _input_name(slot: Slot) -> str:
    return str(slot.source[0]) if slot.source else slot.name


def starts(recipe: Recipe, document: str) -> list[dict]:
    """The first state of each series: the slots' values for its first call, from the list
    page's HTML (hidden inputs, a first cursor) where the recipe says so."""
    hidden = replies.hidden_inputs(document) if any(s.rule == "input" for s in recipe.slots) else {}
    values: dict[str, str | None] = {}
    for slot in recipe.slots:
        if slot.rule in ("page", "offset"):
            values[slot.key] = slot.value
        elif slot.rule == "cursor":
            values[slot.key] = _first_cursor(slot, document, recipe.list_url)
        elif slot.rule == "input":
            values[slot.key] = hidden.get(_input_name(slot), slot.value)
    return [
        {"values": {**values, **combo}, "step": 0, "session": recipe.session is None}
        for combo in recipe.combinations()
    ]


def call(recipe: Recipe, state: dict) -> Call:
    """The request a series' state asks for: the session call first, if the recipe has one."""
    if not state["session"]:
        return recipe.session
    return build(recipe, state["values"])


def after_session(recipe: Recipe, state: dict, text: str) -> dict | None:
    """The series' state once the session call answered (None: no token in its reply)."""
    data = replies.parse_json(text)
    values = dict(state["values"])
    for slot in recipe.slots:
        if slot.rule == "session":
            found = replies.get(data, slot.source)
            if found is None or isinstance(found, dict | list):
                return None
            values[slot.key] = str(found)
    return {**state, "values": values, "session": True}


def advance(recipe: Recipe, state: dict, text: str, items: int) -> dict | None:
    """The state of the series' next call, after a reply that added items (`items` of them);
    None when the series ends (no paging slot, a cursor the reply does not give)."""
    if not recipe.pages:
        return None
    values = dict(state["values"])
    data = replies.parse_json(text) if recipe.reply == "json" else None
    hidden = replies.hidden_inputs(text) if recipe.reply == "page" else {}
    for slot in recipe.slots:
        current = values.get(slot.key)
        if slot.rule == "page":
            values[slot.key] = str(int(current or slot.value or 1) + slot.step)
        elif slot.rule == "offset":
            values[slot.key] = str(int(current or slot.value or 0) + (slot.step or items))
        elif slot.rule == "cursor":
            found = _cursor_value(slot, text, data, recipe.list_url)
            if found is None or found == "" or isinstance(found, dict | list | bool):
                return None
            values[slot.key] = str(found)
        elif slot.rule == "input" and recipe.reply == "page":
            if _input_name(slot) not in hidden:
                return None
            values[slot.key] = hidden[_input_name(slot)]
    return {**state, "values": values, "step": state["step"] + 1}


def _records(recipe: Recipe, text: str) -> list[replies.Record]:
    if recipe.reply == "inline":
        return replies.inline_records(text)
    data = replies.parse_json(text)
    return replies.records(data, recipe.records or replies.records_path(data))


def items(recipe: Recipe, text: str, base: str) -> list[tuple[str, str]]:
    """(url, label) of a reply's items (a rows recipe: of the list page's rows). JSON records
    without a URL get one from the recipe's item rule."""
    if recipe.reply in ("json", "inline"):
        out = []
        for record in _records(recipe, text):
            url = record.url
            if url is None and recipe.item_rule:
                url = urlrules.apply(recipe.item_rule, record_values(record))
            if url:
                out.append((urljoin(base, url), record.title))
        return out
    found = replies.fragment_links(text, base) if recipe.reply != "rows" else []
    if recipe.rows and recipe.item_rule:
        found += row_items(text, recipe.rows, recipe.item_rule, base)
    return found


def record_values(record: replies.Record) -> dict[str, str]:
    """A record's values as a rule names them: its fields, and each as the data attribute a
    row drawn from it would carry (`id` and `data-id`)."""
    values = dict(record.fields)
    values.update({f"data-{k.lower()}": v for k, v in record.fields})
    return values


def row_items(html: str, selector: str, rule: str, base: str) -> list[tuple[str, str]]:
    """(url, label) of the rows a selector picks, their URL made by the rule from their
    attributes; the label is their longest text."""
    out = []
    for row in Selector(text=html or "<p></p>").css(selector):
        url = urlrules.apply(rule, dict(row.attrib))
        if url is None:
            continue
        texts = [" ".join(t.split()) for t in row.xpath(".//text()").getall()]
        out.append((urljoin(base, url), max(texts, key=len, default="").replace(" ", "")))
    return out


# -- a rows rule on the list's other pages ---------------------------------------------------


def row_shape(recipe: Recipe) -> tuple[str, tuple[str, ...]] | None:
    """The shape of the rows a rows recipe reads (tag, the attributes its rule names), or
    None for another recipe."""
    if recipe.reply != "rows" or not recipe.item_rule:
        return None
    tag = re.match(r"[\w-]*", recipe.rows)[0]
    return tag, tuple(sorted(re.findall(r"\[([\w-]+)\]", recipe.rows)))


def fits(recipe: Recipe, shapes) -> bool:
    """True when a page's row shapes (crawler.explore.needs.row_shapes) include rows the
    recipe reads: the same tag, with every attribute its rule names."""
    shape = row_shape(recipe)
    return shape is not None and any(
        tag == shape[0] and set(shape[1]) <= set(names) for tag, names in shapes
    )


def for_page(recipe: Recipe, page_url: str) -> Recipe:
    """A rows recipe learned on one list page, to read another page's rows (a further page
    of its list, or a list of the same template): a query value of the list it was learned
    on that its rule repeats (`lmid=44`) is the other list's."""
    rule = recipe.item_rule
    theirs = dict(parse_qsl(urlsplit(page_url).query))
    for name, value in parse_qsl(urlsplit(recipe.list_url).query):
        other = theirs.get(name)
        if other is not None and other != value:
            rule = re.sub(
                rf"(?<=[?&]){re.escape(name)}={re.escape(value)}(?=&|$|#)", f"{name}={other}", rule
            )
    return replace(recipe, list_url=page_url, url=page_url, item_rule=rule)
