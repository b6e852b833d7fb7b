"""Item URLs from item data: a rule learned from what a visitor saw (a row with
`data-id="123"` that navigated to `detail.html?id=123`; a JSON record `{"id": 57}` shown as a
link to `/a/57.html`), applied to the items that were not clicked and to those of later
crawls. Pure functions.

A rule is a URL template whose placeholders name the item's values: `{data-id}` the whole
value, `{data-id:6}` its first six characters (`/html/xczg/202412/202412281630080005.html` is
`/html/{data-ch}/{data-id:6}/{data-id}.html`).
"""

import re

MIN_VALUE = 1
SHORT = 3  # a value shorter than this stands for itself only between separators (id=7&)
MIN_PREFIX = 4
_PLACEHOLDER = re.compile(r"\{([\w.:-]+?)(?::(\d+))?\}")
_RUN = re.compile(r"[0-9A-Za-z]{4,}")


def _parts(url: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """The URL as literal text and placeholders ("lit", text) / ("var", "{name}"): the
    longest values first, each where it occurs whole."""
    parts = [("lit", url)]
    for name, value in sorted(values.items(), key=lambda kv: -len(kv[1])):
        if len(value) < MIN_VALUE:
            continue
        pattern = re.escape(value)
        if len(value) < SHORT:
            pattern = rf"(?<![0-9A-Za-z]){pattern}(?![0-9A-Za-z])"
        replaced = []
        for kind, text in parts:
            if kind != "lit":
                replaced.append((kind, text))
                continue
            pieces = re.split(pattern, text)
            for i, piece in enumerate(pieces):
                if i:
                    replaced.append(("var", f"{{{name}}}"))
                if piece:
                    replaced.append(("lit", piece))
        parts = replaced
    return parts


def _prefixes(parts: list[tuple[str, str]], values: dict[str, str]) -> list[tuple[str, str]]:
    """Runs of letters and digits left in the literal text that begin a value (a folder
    named by the id's first six digits) become `{name:N}`."""
    out = []
    for kind, text in parts:
        if kind != "lit":
            out.append((kind, text))
            continue
        last = 0
        for run in _RUN.finditer(text):
            name = next(
                (n for n, v in values.items() if len(v) > len(run[0]) and v.startswith(run[0])),
                None,
            )
            if name is None:
                continue
            out.append(("lit", text[last : run.start()]))
            out.append(("var", f"{{{name}:{len(run[0])}}}"))
            last = run.end()
        out.append(("lit", text[last:]))
    return [(k, t) for k, t in out if t]


def _template(values: dict[str, str], url: str) -> str | None:
    host = re.match(r"^[a-z]+://[^/]+", url)
    head = host.group(0) if host else ""
    parts = _prefixes(_parts(url[len(head) :], values), values)
    if not any(kind == "var" for kind, _ in parts):
        return None
    return head + "".join(text for _, text in parts)


def apply(rule: str, values: dict[str, str]) -> str | None:
    """An item's URL by a rule; None when the item lacks a value the rule names."""
    missing = False

    def value(match: re.Match) -> str:
        nonlocal missing
        found = values.get(match.group(1))
        if found is None or (match.group(2) and len(found) < int(match.group(2))):
            missing = True
            return ""
        return found[: int(match.group(2))] if match.group(2) else found

    url = _PLACEHOLDER.sub(value, rule)
    return None if missing else url


def _varies(rule: str, examples: list[tuple[dict[str, str], str]]) -> bool:
    """The rule names a value that tells items apart: one that differs between the examples,
    or (one example) one that looks like an id (digits, or a long token). An item shown
    twice (on the home page and in its column) is one example."""
    names = {m.group(1) for m in _PLACEHOLDER.finditer(rule)}
    urls = {url for _, url in examples}
    for name in names:
        seen = {values.get(name) for values, _ in examples}
        if len(urls) > 1 and len(seen) == len(urls):
            return True
        value = examples[0][0].get(name, "")
        if len(urls) == 1 and (re.search(r"\d", value) or len(value) >= 8):
            return True
    return False


def learn(examples: list[tuple[dict[str, str], str]]) -> str | None:
    """The rule that makes every example's URL from its values, or None."""
    for values, url in examples:
        rule = _template(values, url)
        if rule and all(apply(rule, v) == u for v, u in examples) and _varies(rule, examples):
            return rule
    return None


def apply_inverse(template: str, url: str) -> str | None:
    """The value a URL gives the template's one `{v}` (`/inf/detail/{v}.html`), or None."""
    head, _, tail = template.partition("{v}")
    if not url.startswith(head) or not url.endswith(tail) or len(url) <= len(head) + len(tail):
        return None
    value = url[len(head) : len(url) - len(tail)]
    return None if re.search(r"[/?&#]", value) else value
