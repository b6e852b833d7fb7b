"""A portal's template model: chrome found by comparing the portal's own pages.

Every page of one template is built from the same skeleton; what recurs across the
template's pages is chrome, what is unique to a page is content. The model reads each page
as units (notice.extract.units: a line of a block's own text, keyed by the block's path and
its text with digits masked) and learns, per template:

- how many of the template's pages hold each unit (its document frequency), and
- how many of all the units at each path recur.

A unit is chrome when it recurs (on at least MIN_PAGES pages and on RECUR_SHARE of the pages
seen since it first appeared) at a path that is a template slot: a path where most units
recur (SLOT_SHARE), a few to a page (PATH_UNITS), such as an info bar, a counter, a widget or a
footer. A field (a label such as `本页编校：` at a path, whatever follows it) is chrome by the
same rule, and so is a path that holds one short unit on nearly every page whatever it says
(a date-and-source bar). A body's paragraphs are many to a page: when notices share most of
their wording (a county's model text, 特此通报。), they are still no template slot.

Extraction removes chrome path by path, only where everything at a path on the page is
chrome (notice.extract.units.remove_chrome): a recurring paragraph among paragraphs that do
not recur stays.

Pages are sorted into templates by their signature (the ids and classes of their elements);
a page whose signature is like no template's (a redesign, another column's
layout) starts a new template, learned from scratch. The parts of the pages' <title>s that
recur (the site's and the column's names) are learned the same way.

`PortalModel` is what the archive keeps and the writer updates; `PortalChrome` is the part
extraction needs (a snapshot, small enough to send to a worker process).
"""

from collections import Counter
from dataclasses import dataclass, field

from .extract.units import Reading, digest

MIN_PAGES = 3  # a unit recurs on this many pages at least; a template is mature from here
RECUR_SHARE = 0.6  # ... and on this share of the pages seen since it first appeared
KEEP_SHARE = 0.4  # chrome stays chrome until its share falls below this (no flapping)
SLOT_SHARE = 0.7  # share of a path's units that recur, for the path to be a template slot
PATH_UNITS = 6  # ... holding at most this many units a page
# A path holding one short unit on nearly every page is a field slot (all of it is chrome,
# except the title when a slot shows it): on this share of the pages, this many units a page,
# each this short.
SLOT_PAGES = 0.8
SLOT_UNITS = 1.25
SLOT_CHARS = 40
MATCH_SHARE = 0.5  # Jaccard similarity of a page's signature to a template's core
CORE_SHARE = 0.5  # an element name on this share of a template's pages is in its core
PRUNE_AFTER = 5  # pages after which a unit seen once is forgotten (it is content)
RARE_SHARE = 0.1  # ... and a unit this rare, after PRUNE_AFTER * 3 pages
MAX_TEMPLATES = 16  # per portal; the least recently seen immature template makes room


def similarity(signature: frozenset[str] | set[str], core: frozenset[str]) -> float:
    """How alike a page's signature and a template's core are (Jaccard; 1 when both empty)."""
    union = len(signature | core)
    return len(signature & core) / union if union else 1.0


@dataclass(frozen=True)
class Chrome:
    """One template, as extraction uses it: its core signature, and the units and <title>
    parts it considers chrome (at this revision)."""

    template: int
    revision: int
    core: frozenset[str]
    keys: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    pages: int = 0

    @property
    def applies(self) -> bool:
        """True when extraction with it differs from extraction without a model."""
        return bool(self.keys or self.titles)


@dataclass(frozen=True)
class PortalChrome:
    """A portal's templates for extraction (a snapshot of its PortalModel)."""

    portal: str
    templates: tuple[Chrome, ...] = ()

    def as_dict(self) -> dict:
        return {
            "portal": self.portal,
            "templates": [
                {
                    "template": t.template,
                    "revision": t.revision,
                    "core": sorted(t.core),
                    "keys": sorted(t.keys),
                    "titles": sorted(t.titles),
                    "pages": t.pages,
                }
                for t in self.templates
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "PortalChrome":
        return cls(
            data["portal"],
            tuple(
                Chrome(
                    t["template"],
                    t["revision"],
                    frozenset(t["core"]),
                    frozenset(t["keys"]),
                    frozenset(t["titles"]),
                    t["pages"],
                )
                for t in data["templates"]
            ),
        )

    def match(self, signature: list[str] | set[str]) -> Chrome | None:
        """The template a page belongs to, by its signature; None when none is alike."""
        page = frozenset(signature)
        scored = [(similarity(page, t.core), t.pages, t) for t in self.templates]
        best = max(scored, key=lambda scored: scored[:2], default=None)
        return best[2] if best is not None and best[0] >= MATCH_SHARE else None


@dataclass
class Template:
    """What one template's pages taught: counts, and the chrome they make (see the module).

    keys: unit key -> [pages holding it, pages seen before it first appeared, path digest,
    occurrences, text sample, chrome at the last decision, its field's key]; fields: field
    key (a label at a path, whatever follows it) -> the same, without a field; paths: path
    digest -> [occurrences of all units there, pages holding one, the longest one's length,
    a text sample, pages where it held the page's title]; names: element name -> pages;
    titles: masked <title> part -> [pages, pages seen before it]; seen: digests of the URLs
    learned from."""

    id: int
    pages: int = 0
    revision: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    first_page: int = 0  # the portal's page count when the template matched its first page
    last_page: int = 0  # ... and its last one
    keys: dict[str, list] = field(default_factory=dict)
    fields: dict[str, list] = field(default_factory=dict)
    paths: dict[str, list] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    titles: dict[str, list] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    chrome: frozenset[str] = frozenset()
    affixes: frozenset[str] = frozenset()

    @property
    def mature(self) -> bool:
        return self.pages >= MIN_PAGES

    def core(self) -> frozenset[str]:
        least = max(1, self.pages) * CORE_SHARE
        return frozenset(name for name, n in self.names.items() if n >= least)

    def snapshot(self) -> Chrome:
        return Chrome(self.id, self.revision, self.core(), self.chrome, self.affixes, self.pages)

    def learn(self, reading: Reading, at: str | None) -> bool:
        """Count one page (not yet learned from); True when the chrome changed."""
        before = self.pages
        self.pages += 1
        self.first_seen = self.first_seen or at
        self.last_seen = at or self.last_seen
        fields: set[str] = set()
        paths: set[str] = set()
        for key, path, occurrences, text, field_key in reading.units:
            _count(self.keys, key, before, path, occurrences, text, True)
            self.keys[key][6:] = [field_key]
            if field_key:
                label = text.split("：", 1)[0].split(":", 1)[0] + "：…"
                _count(
                    self.fields,
                    field_key,
                    before,
                    path,
                    occurrences,
                    label,
                    field_key not in fields,
                )
                fields.add(field_key)
            entry = self.paths.setdefault(path, [0, 0, 0, text, 0])
            entry[0] += occurrences
            entry[1] += path not in paths
            entry[2] = max(entry[2], len(text))
            entry[4] += path == reading.heading and path not in paths
            paths.add(path)
        for name in reading.signature:
            self.names[name] = self.names.get(name, 0) + 1
        for part in set(reading.title):
            entry = self.titles.setdefault(part, [0, before])
            entry[0] += 1
        if self.pages % PRUNE_AFTER == 0:
            self._prune()
        return self._decide()

    def _recurs(self, pages: int, first: int, was: bool) -> bool:
        return pages >= MIN_PAGES and pages / (self.pages - first) >= (
            KEEP_SHARE if was else RECUR_SHARE
        )

    def _chrome(self) -> frozenset[str]:
        """The units, fields and slots that are chrome now (see the module)."""
        # the heading's path holds the title: never chrome, whatever recurs there
        heading = {path for path, e in self.paths.items() if e[4] * 2 >= e[1]}
        recurring = [
            {k: e for k, e in table.items() if e[2] not in heading and self._recurs(*e[:2], e[5])}
            for table in (self.fields, self.keys)
        ]
        fields, units = recurring
        at_path: Counter = Counter()  # the occurrences at each path that recur
        for entry in fields.values():
            at_path[entry[2]] += entry[3]
        for entry in units.values():
            if entry[6] not in fields:
                at_path[entry[2]] += entry[3]
        slots = {p for p, e in self.paths.items() if p not in heading and self._is_slot(*e[:3])}
        return frozenset(
            key
            for key, entry in [*units.items(), *fields.items()]
            if self._is_template_path(entry[2], at_path[entry[2]])
        ) | frozenset(slots)

    def _decide(self) -> bool:
        """Decide the chrome and the shared <title> parts again; True when they changed (a
        new revision)."""
        chrome = self._chrome()
        for table in (self.keys, self.fields):
            for key, entry in table.items():
                entry[5] = key in chrome
        affixes = frozenset(
            part for part, (n, first) in self.titles.items() if self._recurs(n, first, False)
        )
        changed = (chrome, affixes) != (self.chrome, self.affixes)
        if changed:
            self.chrome, self.affixes = chrome, affixes
            self.revision += 1
        return changed

    def _is_template_path(self, path: str, recurring: int) -> bool:
        """A path where most units recur (SLOT_SHARE), a few to a page (a body's paragraphs,
        however much of their wording notices share, are many to a page)."""
        occurrences, pages = self.paths[path][:2]
        return recurring >= SLOT_SHARE * occurrences and occurrences <= PATH_UNITS * pages

    def _is_slot(self, occurrences: int, pages: int, longest: int) -> bool:
        """A path that holds one short unit on (nearly) every page, whatever it says: a field
        of the template (a date and source bar, an editor) rather than the notice's text."""
        return (
            self.mature
            and pages >= SLOT_PAGES * self.pages
            and occurrences <= SLOT_UNITS * pages
            and longest <= SLOT_CHARS
        )

    def _prune(self) -> None:
        """Forget what is content: units seen once long ago, and rare units, names, parts."""

        def rare(pages: int, first: int) -> bool:
            span = self.pages - first
            return (pages == 1 and span >= PRUNE_AFTER) or (
                span >= 3 * PRUNE_AFTER and pages < RARE_SHARE * span
            )

        self.keys = {k: e for k, e in self.keys.items() if e[5] or not rare(e[0], e[1])}
        self.fields = {k: e for k, e in self.fields.items() if e[5] or not rare(e[0], e[1])}
        self.titles = {p: e for p, e in self.titles.items() if not rare(e[0], e[1])}
        self.names = {n: c for n, c in self.names.items() if not rare(c, 0)}

    def described(self) -> list[dict]:
        """What the template considers chrome, for people: each unit (its text), field (its
        label, whatever follows) and slot (a path whose one short unit varies), with on how
        many pages it was seen, most common first."""
        entries = []
        for kind, table in (("unit", self.keys), ("field", self.fields)):
            entries += [
                {"kind": kind, "text": e[4], "pages": e[0]}
                for key, e in table.items()
                if key in self.chrome and e[2] not in self.chrome  # a slot shows its units
            ]
        entries += [
            {"kind": "slot", "text": e[3], "pages": e[1]}
            for path, e in self.paths.items()
            if path in self.chrome
        ]
        return sorted(entries, key=lambda e: (-e["pages"], e["kind"], e["text"]))

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "pages": self.pages,
            "revision": self.revision,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "first_page": self.first_page,
            "last_page": self.last_page,
            "keys": self.keys,
            "fields": self.fields,
            "paths": self.paths,
            "names": self.names,
            "titles": self.titles,
            "seen": sorted(self.seen),
            "chrome": sorted(self.chrome),
            "affixes": sorted(self.affixes),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Template":
        return cls(
            id=data["id"],
            pages=data["pages"],
            revision=data["revision"],
            first_seen=data.get("first_seen"),
            last_seen=data.get("last_seen"),
            first_page=data["first_page"],
            last_page=data["last_page"],
            keys=data["keys"],
            fields=data["fields"],
            paths=data["paths"],
            names=data["names"],
            titles=data["titles"],
            seen=set(data["seen"]),
            chrome=frozenset(data["chrome"]),
            affixes=frozenset(data["affixes"]),
        )


def _count(
    table: dict, key: str, before: int, path: str, occurrences: int, text: str, new_page: bool
) -> None:
    """Count a unit (or field) on a page: one more page (unless already counted on this page)
    and its occurrences. Its text is kept from its second page on (most units are seen once:
    the model keeps no copy of the pages' text)."""
    entry = table.get(key)
    if entry is None:
        table[key] = [1, before, path, occurrences, "", False]
        return
    entry[0] += new_page
    entry[3] += occurrences
    entry[4] = entry[4] or text


@dataclass
class Observation:
    """What one page did to its portal's model."""

    template: Template
    learned: bool  # False: this URL had been learned from already
    changed: bool  # the template's chrome changed (a new revision)
    matured: bool  # this page made the template mature
    matched: bool  # the page matched a mature template
    expected: bool  # the portal had a mature template before (so not matching is news)


@dataclass
class PortalModel:
    """All the templates learned on one portal."""

    portal: str
    templates: list[Template] = field(default_factory=list)

    def match(self, signature: list[str]) -> Template | None:
        """The template a page belongs to (as its snapshot would find it)."""
        chosen = self.snapshot().match(signature)
        return None if chosen is None else self.template(chosen.template)

    def observe(self, url: str, reading: Reading, at: str | None = None) -> Observation:
        """Sort a page into its template (a new one when it is like none) and learn from it,
        once per URL and template."""
        expected = any(t.mature for t in self.templates)
        template = self.match(reading.signature)
        if template is None:
            template = self._new_template()
        template.last_page = max((t.last_page for t in self.templates), default=0) + 1
        template.first_page = template.first_page or template.last_page
        template.last_seen = at or template.last_seen
        seen = digest(url)
        if seen in template.seen:
            return Observation(template, False, False, False, template.mature, expected)
        was_mature = template.mature
        template.seen.add(seen)
        changed = template.learn(reading, at)
        return Observation(
            template,
            True,
            changed,
            template.mature and not was_mature,
            was_mature,
            expected,
        )

    def _new_template(self) -> Template:
        if len(self.templates) >= MAX_TEMPLATES:
            immature = [t for t in self.templates if not t.mature] or self.templates
            self.templates.remove(min(immature, key=lambda t: t.last_seen or ""))
        template = Template(max((t.id for t in self.templates), default=0) + 1)
        self.templates.append(template)
        return template

    def knows(self, url: str) -> bool:
        """True when some template learned from this URL already."""
        seen = digest(url)
        return any(seen in t.seen for t in self.templates)

    def replaced_by(self, template: Template) -> Template | None:
        """The mature template that took this mature one's place (a redesign): the first one
        whose first page came after this one's last page."""
        later = [
            t
            for t in self.templates
            if template.mature and t.mature and t.first_page > template.last_page
        ]
        return min(later, key=lambda t: t.first_page, default=None)

    def template(self, template_id: int) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def snapshot(self) -> PortalChrome:
        return PortalChrome(self.portal, tuple(t.snapshot() for t in self.templates))
