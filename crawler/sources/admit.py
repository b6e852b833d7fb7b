"""Which URLs of a sitemap or feed to fetch: the notice decision for URLs no list explains.

A feed item has a title, and is judged by it as a list link is (notice, candidate, or not
fetched). A sitemap URL has none, so a whole site is not fetched to judge it:
- a page the archive holds is listed by the source (it is not delisted) and fetched again
  only when its lastmod is later than its last fetch (else the revisit policy decides);
- a URL fetched from a source in an earlier run and not archived (not a notice) is fetched
  again only when its lastmod changed (`remembered`, kept for SOURCES_RECHECK_DAYS);
- otherwise only a URL shaped like an article (list_patterns.ARTICLE_URL: a date folder, a
  numbered file, an article id) is fetched, never an index, list or document file;
- what remains is ranked: URLs in a folder that holds the portal's notices first, then the
  newest lastmod, then the file's order; the first `budget` are fetched
  (SITEMAP_MAX_URLS per portal), the rest are left (the source was not read whole).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from notice.documents import document_kind
from notice.judge import is_notice_title, might_be_notice_title
from notice.urls import canonical_url, in_scope

from .. import list_patterns
from ..roles import CANDIDATE, NOTICE
from .parse import Entry

# Why an entry was not fetched (counted per portal as source_<why>).
OFFSITE = "offsite"
KNOWN = "known"  # archived, not changed since its last fetch: the revisit policy decides
NOT_ARTICLE = "not_article"
NOT_NOTICE = "not_notice"  # a feed item whose title is no notice's
JUDGED = "judged_before"


@dataclass(frozen=True)
class Fetch:
    """An entry to fetch: in which role, and whether past the revisit policy (it changed
    since the archive's last fetch)."""

    url: str
    role: str
    label: str = ""
    changed: str | None = None
    force: bool = False


@dataclass
class Decision:
    """What to do with one source's entries."""

    fetch: list[Fetch] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)  # archived pages the source lists
    skipped: Counter = field(default_factory=Counter)  # why not fetched -> how many
    capped: int = 0  # entries past the budget: neither fetched nor decided

    def read(self, stated: int) -> int:
        """How many of the source's `stated` entries were decided (all but those capped)."""
        return stated - self.capped


def notice_folders(urls: Iterable[str]) -> set[str]:
    """The folders that hold these (notice) URLs: `http://host/a/b/` of `http://host/a/b/c.html`."""
    return {url.rsplit("/", 1)[0] + "/" for url in urls if "/" in url}


def decide(
    entries: Iterable[Entry],
    *,
    domains: tuple[str, ...] | list[str],
    known: Mapping[str, Mapping],
    remembered: Mapping[str, str | None],
    folders: set[str],
    budget: int,
) -> Decision:
    """Decide a source's entries (see the module's docstring). `known`: the archive's pages
    (url -> row with `last_fetched`); `remembered`: URLs fetched from sources before and not
    archived (url -> the lastmod they had); `folders`: folders of the portal's notices."""
    out = Decision()
    ranked: list[tuple[tuple, Fetch]] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        url = canonical_url(entry.url)
        if url in seen:
            continue
        seen.add(url)
        why, fetch = _one(entry, url, domains, known, remembered, out)
        if why:
            out.skipped[why] += 1
        elif fetch is not None:
            rank = (
                not fetch.force,  # a known notice that changed first
                url.rsplit("/", 1)[0] + "/" not in folders,
                _newest_first(fetch.changed),
                position,
            )
            ranked.append((rank, fetch))
    ranked.sort(key=lambda pair: pair[0])
    out.fetch = [fetch for _, fetch in ranked[:budget]]
    out.capped = max(0, len(ranked) - max(budget, 0))
    return out


def _one(
    entry: Entry,
    url: str,
    domains,
    known: Mapping[str, Mapping],
    remembered: Mapping[str, str | None],
    out: Decision,
) -> tuple[str | None, Fetch | None]:
    """Why an entry is not fetched, or what to fetch."""
    if not in_scope(url, domains):
        return OFFSITE, None
    row = known.get(url)
    if row is not None:
        out.listed.append(url)
        last = row.get("last_fetched")
        if entry.changed and last and entry.changed > last:
            return None, Fetch(url, NOTICE, entry.title or "", entry.changed, force=True)
        return KNOWN, None
    if entry.title is not None:  # a feed item: judged by its title, as a list link is
        title = entry.title
        if is_notice_title(title):
            role = NOTICE
        elif might_be_notice_title(title) or not title.strip():
            role = CANDIDATE
        else:
            return NOT_NOTICE, None
    elif not is_article_url(url):
        return NOT_ARTICLE, None
    else:
        role = CANDIDATE
    if url in remembered and remembered[url] == entry.changed:
        return JUDGED, None
    return None, Fetch(url, role, entry.title or "", entry.changed)


def is_article_url(url: str) -> bool:
    """True for a URL shaped like an article page (not an index, a list or a document file)."""
    if document_kind(url) or list_patterns.NOT_ARTICLE_URL.search(url):
        return False
    return bool(list_patterns.ARTICLE_URL.search(url) or list_patterns.DETAIL_URL.search(url))


def _newest_first(changed: str | None) -> tuple:
    """A sort key: dated entries newest first, undated ones after them."""
    if not changed:
        return (1, 0)
    return (0, -int("".join(c for c in changed if c.isdigit())))
