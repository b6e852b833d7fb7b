"""What each list says it holds, and what the crawl read of it.

Lists often say how much they hold: 共N条, 共N页, a last page number, `createPageHTML`'s page
count, Hanweb's `<totalrecord>`, an API's `total`, a sitemap's or feed's entries. Each list
mechanism records, per list, what it states and what was read, page by page:

    coverage.record(frontier, portal, list_url, kind=API, page=url, read=12, stated=128)
    coverage.record(frontier, portal, list_url, reason="cap (LIST_MAX_PAGES)")

A list that read fewer items (or pages) than it states, or that a bound or an error cut short,
is incomplete, with the reason; a portal with an incomplete list never has notices marked
delisted (Frontier.listing_complete). The crawl summary and the archive's per-run coverage
record (`python -m archive coverage`) say which lists of which portals are complete.

The records are members of a set in the crawl policy's store, so the workers of a distributed
crawl share them (a page recorded twice counts once).
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass

from notice.urls import canonical_url

from . import stats

# Kinds of lists.
LIST = "list"  # HTML list pages (a column and its further pages)
API = "api"  # a list API's pages (JSON, Hanweb's dataproxy …)
CLICKED = "clicked"  # a list paged by clicks in the browser
SITEMAP = "sitemap"  # a sitemap file's URLs
SITEMAP_INDEX = "sitemap index"  # a sitemap index's sitemaps
FEED = "feed"  # an RSS/Atom feed's items
KINDS = (LIST, API, CLICKED, SITEMAP, SITEMAP_INDEX, FEED)

# Reasons a list was cut short.
CAP = "cap"
ERROR = "error"
UNREACHABLE = "no way to reach the rest"
UNKNOWN = "unknown"
# A portal whose crawl read no list (or whose only lists could not be read) lists nothing
# to trust: its listing is incomplete, and no notice of it is marked delisted.
NO_LIST = "no list read"
# A list whose rows were read but gave no page of their own (every row's URL is the list page,
# a route in its fragment): its articles were never reached, so it is unknown, never complete.
NO_ARTICLE_URL = "its rows yielded no article URL"


@dataclass(frozen=True)
class ListCoverage:
    """One list of one portal in one crawl: what it states, what was read, why it was cut."""

    portal: str
    list_url: str
    kind: str
    stated_items: int | None
    stated_pages: int | None
    read_items: int | None  # None: the list's items are not counted (an HTML list's pages are)
    read_pages: int
    reasons: tuple[str, ...] = ()

    @property
    def incomplete_because(self) -> str:
        """Why fewer than all of the list was read ("" when it was all read)."""
        reasons = list(self.reasons)
        short = []
        items, stated = self.read_items, self.stated_items
        if stated is not None and items is not None and items < stated:
            short.append(f"read {self.read_items} of {self.stated_items} items")
        if self.stated_pages is not None and self.read_pages < self.stated_pages:
            short.append(f"read {self.read_pages} of {self.stated_pages} pages")
        if short and not reasons:
            reasons.append(UNREACHABLE)
        return "; ".join(short + reasons)

    @property
    def complete(self) -> bool:
        return not self.incomplete_because

    def as_record(self) -> dict:
        """The list as the archive keeps it (archive.Archive.record_coverage)."""
        record = asdict(self)
        record["reasons"] = list(self.reasons)
        record["complete"] = self.complete
        record["why"] = self.incomplete_because
        return record


class Coverage:
    """Every list's statements and reads in one crawl (see the module docstring)."""

    def __init__(self, members=None) -> None:
        self.members = set() if members is None else members  # a set, or a store's set
        self._summed: tuple[int, dict[str, list[ListCoverage]]] = (-1, {})

    def record(
        self,
        portal: str,
        list_url: str,
        *,
        kind: str = LIST,
        page: str | None = None,
        read: int | None = None,
        stated: int | None = None,
        stated_pages: int | None = None,
        reason: str | None = None,
    ) -> None:
        """Note what a list states (`stated` items, `stated_pages`), a page of it read (`page`,
        with the `read` items it held when they are counted), or why it was cut (`reason`)."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind of list {kind!r} (known: {', '.join(KINDS)})")
        head = [portal, kind, list_url]
        if page is not None:
            self.members.add(json.dumps(["page", *head, page, read]))
        elif read is not None:
            raise ValueError("items read are counted with the page that held them")
        for name, value in (("stated", stated), ("stated_pages", stated_pages)):
            if value is not None:
                self.members.add(json.dumps([name, *head, int(value)]))
        if reason:
            self.members.add(json.dumps(["reason", *head, reason]))

    def lists(self, portal: str | None = None) -> list[ListCoverage]:
        """Every list recorded (of one portal), in portal and URL order."""
        by_portal = self._by_portal()
        if portal is not None:
            return list(by_portal.get(portal, []))
        return [entry for pid in sorted(by_portal) for entry in by_portal[pid]]

    def _by_portal(self) -> dict[str, list[ListCoverage]]:
        """Every list by portal, summed once per new record (records are only ever added,
        so their number says whether the sums are current)."""
        count = len(self.members)
        if self._summed[0] != count:
            self._summed = (count, self._sum())
        return self._summed[1]

    def _sum(self) -> dict[str, list[ListCoverage]]:
        found: dict[tuple, dict] = defaultdict(
            lambda: {"stated": None, "stated_pages": None, "pages": {}, "reasons": set()}
        )
        for member in self.members:
            field, pid, kind, url, *value = json.loads(member)
            entry = found[(pid, kind, url)]
            if field == "page":
                page, read = value
                entry["pages"][page] = read
            elif field == "reason":
                entry["reasons"].add(value[0])
            else:
                entry[field] = max(entry[field] or 0, value[0])
        by_portal: dict[str, list[ListCoverage]] = defaultdict(list)
        for key, entry in sorted(found.items()):
            by_portal[key[0]].append(_summed(key, entry))
        return dict(by_portal)

    def incomplete(self, portal: str) -> list[ListCoverage]:
        return [entry for entry in self.lists(portal) if not entry.complete]


def _summed(key: tuple, entry: dict) -> ListCoverage:
    pid, kind, url = key
    reads = [n for n in entry["pages"].values() if n is not None]
    return ListCoverage(
        pid,
        url,
        kind,
        entry["stated"],
        entry["stated_pages"],
        sum(reads) if reads else None,
        len(entry["pages"]),
        tuple(sorted(entry["reasons"])),
    )


def record(frontier, portal: str, list_url: str, **what) -> None:
    """Record what a list states, a page of it read, or why it was cut, in the crawl's
    coverage (`frontier.coverage`): see Coverage.record."""
    frontier.coverage.record(portal, list_url, **what)


def unknown(frontier, portal: str, list_url: str, why: str, **what) -> None:
    """A list whose rows were not read (`why`): unknown in the crawl's coverage, never
    complete, and counted among the portal's unread lists."""
    frontier.cap(portal, stats.LISTS_UNREAD)
    record(frontier, portal, list_url, reason=f"{UNKNOWN}: {why}", **what)


def rows_without_urls(urls, list_url: str) -> bool:
    """True when a list's rows were read and none gave a URL of its own: each leads back to
    the list page (`/#/detail/57` of a single-page app whose every route is `/`)."""
    own = canonical_url(list_url)
    keys = {canonical_url(url) for url in urls}
    return bool(keys) and keys <= {own}
