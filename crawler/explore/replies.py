"""What a reply holds, for the explorer: JSON records (with titles, and URLs or ids), an HTML
fragment of items, a whole page; and the values a later request takes from it (a JSON path, a
hidden input). Pure functions."""

import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from parsel import Selector

from .. import list_api, list_patterns
from .urlrules import apply_inverse

MAX_DEPTH = 6
LAST = -1  # a path step: the last element of a list (the last record's cursor)


@dataclass(frozen=True)
class Record:
    """One record of a JSON list: its title, its URL if it names one, its scalar fields."""

    title: str
    url: str | None
    fields: tuple[tuple[str, str], ...]


def parse_json(text: str):
    """The JSON (or JSONP) of a reply, None when it is none."""
    try:
        return list_api.json_reply(text, "")
    except list_api.ListApiError:
        return None


def _title(record: dict) -> str:
    for name in list_patterns.TITLE_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return re.sub(r"<[^>]+>", "", value).strip()
    return ""


def _url(record: dict) -> str | None:
    return list_api.record_url(record)


def _item(record: dict) -> bool:
    """A record of a list of items: a title, and a URL or an id."""
    return bool(_title(record)) and (
        _url(record) is not None
        or any(str(record.get(name, "")).strip() for name in list_patterns.ID_FIELDS)
    )


def records_path(data, path: tuple = (), depth: int = 0) -> tuple | None:
    """The path to the first list of records with titles and URLs or ids in a JSON reply
    (`data.records`)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(data, list):
        dicts = [d for d in data if isinstance(d, dict)]
        if dicts and sum(1 for d in dicts if _item(d)) >= max(1, len(dicts) // 2):
            return path
        children = list(enumerate(data))
    elif isinstance(data, dict):
        children = list(data.items())
    else:
        return None
    for key, child in children:
        if isinstance(child, dict | list):
            found = records_path(child, (*path, key), depth + 1)
            if found is not None:
                return found
    return None


def get(data, path: tuple):
    """The value at a path (LAST: a list's last element); None when there is none."""
    for key in path:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and data:
            data = data[key] if -len(data) <= key < len(data) else None
        else:
            return None
    return data


def records(data, path: tuple | None) -> list[Record]:
    """The records at `path` of a JSON reply."""
    found = get(data, path) if path is not None else None
    if not isinstance(found, list):
        return []
    out = []
    for record in found:
        if not isinstance(record, dict):
            continue
        fields = tuple(
            (k, str(v)) for k, v in record.items() if isinstance(v, str | int) and str(v).strip()
        )
        out.append(Record(_title(record), _url(record), fields))
    return out


def find(data, value: str, path: tuple = (), depth: int = 0) -> tuple | None:
    """The path of a scalar equal to `value` in a JSON reply (a record's field in the last
    record of a list is named by LAST, so that the next reply's last record is read)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = [(i, v) for i, v in enumerate(data)]
        if data and find(data[-1], value, (), depth + 1) is not None:
            return (*path, LAST, *find(data[-1], value, (), depth + 1))
    else:
        return path if str(data) == value and not isinstance(data, bool) else None
    for key, child in items:
        if isinstance(child, dict | list):
            found = find(child, value, (*path, key), depth + 1)
        else:
            found = (*path, key) if str(child) == value and not isinstance(child, bool) else None
        if found is not None:
            return found
    return None


def hidden_inputs(html: str) -> dict[str, str]:
    """A page's hidden form fields (name -> value): the state a postback carries."""
    selector = Selector(text=html or "<html></html>")
    return {
        element.attrib["name"]: element.attrib.get("value", "")
        for element in selector.xpath("//input[@type='hidden' or @type='HIDDEN'][@name]")
    }


def fragment_links(html: str, base: str) -> list[tuple[str, str]]:
    """(url, label) of an HTML fragment's links (not script or fragment targets)."""
    out = []
    for anchor in Selector(text=html or "<p></p>").css("a[href]"):
        href = anchor.attrib["href"].strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        text = re.sub(r"\s+", "", "".join(anchor.css("::text").getall()))
        title = re.sub(r"\s+", "", anchor.attrib.get("title", ""))
        out.append((urljoin(base, href), title if len(title) > len(text) else text))
    return out


def html_source(html: str, value: str, base: str) -> tuple | None:
    """Where an HTML reply gives a value a later call sends: its last link shaped like
    ("@link", template: the link with the value as {v}), or its last element carrying it in
    an attribute ("@attr", name); None when it holds it nowhere so."""
    if not value or value not in (html or ""):
        return None
    selector = Selector(text=html)
    template = ""
    for href in selector.xpath("//a/@href").getall():
        url = urljoin(base, href.strip())
        if value in url:
            template = url.replace(value, "{v}", 1)
    if template and last_link_value(html, template, base) == value:
        return ("@link", template)
    names = [
        name
        for element in selector.xpath("//*")
        for name, given in element.attrib.items()
        if given == value and name not in ("href", "class", "style")
    ]
    if names and last_attr_value(html, names[-1]) == value:
        return ("@attr", names[-1])
    return None


def last_link_value(html: str, template: str, base: str) -> str | None:
    """The value the last link shaped like a template ({v}) gives."""
    found = None
    for href in Selector(text=html or "<p></p>").xpath("//a/@href").getall():
        value = apply_inverse(template, urljoin(base, href.strip()))
        if value is not None:
            found = value
    return found


def last_attr_value(html: str, name: str) -> str | None:
    """The value of an attribute on the last element that carries it."""
    values = Selector(text=html or "<p></p>").xpath(f"//*/@*[name()='{name}']").getall()
    return values[-1] if values else None


def reply_kind(text: str, content_type: str) -> str | None:
    """What a reply is as a list: "json" (records with titles), "html" (a fragment or page
    with links), None (not a list: a config, a counter, a login token)."""
    data = parse_json(text) if "html" not in content_type.lower() else None
    if data is not None:
        return "json" if records_path(data) is not None else None
    if "<a" in text and fragment_links(text, "http://x/"):
        return "html"
    return None


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# -- data written into a page's own scripts (a list a client-side pager shows) ----------------

_LITERAL_START = re.compile(r"[=(:,]\s*([\[{])")
_UNQUOTED_KEY = re.compile(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:")
MAX_LITERAL = 2_000_000


def _literal(text: str, start: int) -> str | None:
    """The JSON-like literal opening at `start` ([ or {), brackets balanced outside strings."""
    depth, quote, escaped = 0, "", False
    for index in range(start, min(len(text), start + MAX_LITERAL)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return None


def _relaxed(literal: str):
    """A script's object literal as JSON: strict, else with its keys quoted and its
    single-quoted strings double-quoted (the common hand-written forms)."""
    try:
        return json.loads(literal)
    except ValueError:
        pass
    fixed = _UNQUOTED_KEY.sub(r'\1"\2":', literal)
    fixed = re.sub(r"'((?:[^'\\]|\\.)*)'", lambda m: json.dumps(m.group(1)), fixed)
    try:
        return json.loads(fixed)
    except ValueError:
        return None


def inline_records(html: str) -> list[Record]:
    """The records of the largest list of items (titles and URLs or ids) written as data into
    the page's inline scripts (`var list = [{title: …, id: …}, …]`)."""
    best: list[Record] = []
    for script in (
        Selector(text=html or "<html></html>").xpath("//script[not(@src)]/text()").getall()
    ):
        for match in _LITERAL_START.finditer(script):
            literal = _literal(script, match.start(1))
            data = _relaxed(literal) if literal and len(literal) > 20 else None
            path = records_path(data) if data is not None else None
            found = records(data, path) if path is not None else []
            if len(found) > len(best):
                best = found
    return best
