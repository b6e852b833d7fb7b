"""Articles split over several pages: which pages one article is made of, read from the page.

A notice may be published over pages of one article: `t…_ID.html`, `t…_ID_1.html`,
`t…_ID_2.html` named by TRS's `createPageHTML(count, current, stem, ext)` on the detail page
(no link in the page), numbered links and 下一页 in an article pager, or `?page=N` of one
article (`content.jsp?id=8812&page=2`). Pure functions of a page: the spider fetches the pages
and page reading joins their texts (notice.extract.pages) into one notice.

A page is part of an article when it links (or names) another page of the same article: the
same file with a `_N` suffix (N = 1, 2 … for pages 2, 3 …; or N = 2, 3 … when no page is `_1`,
as DedeCMS and Empire CMS number them), or the same URL with another page parameter. Another
article (下一篇, a related link) never matches: its file is another.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from notice.urls import canonical_url, url_key

from . import list_patterns
from .discovery import anchors

# More pages than this in one article is not an article pager (a list, a calendar).
MAX_PARTS = 200
_SUFFIXED = re.compile(r"^(?P<stem>.+?)(?:_(?P<n>\d{1,3}))?(?P<ext>\.\w{2,5})$")


@dataclass(frozen=True)
class ArticlePages:
    """The pages of one article a page names: `pages[i]` is page i + 1 (None: not named on
    this page), `index` this page's position (0: the first page)."""

    pages: tuple[str | None, ...]
    index: int

    @property
    def first(self) -> str | None:
        return self.pages[0]

    def named(self) -> dict[int, str]:
        """Position -> URL of every page named."""
        return {i: url for i, url in enumerate(self.pages) if url}


def article_pages(selector: Selector, url: str, limit: int | None = None) -> ArticlePages | None:
    """The pages of the article `url` is a page of, or None when it names no other page of
    its own article. `limit`: read at most this many links of the page."""
    found = _create_page_html(selector, url) or _linked(selector, url, limit)
    if found is None or len([p for p in found.pages if p]) < 2:
        return None
    return found


def _create_page_html(selector: Selector, url: str) -> ArticlePages | None:
    """TRS's `createPageHTML(count, current, "t…_ID", "html")`: every page named by count."""
    scripts = "\n".join(selector.xpath("//script[not(@src)]/text()").getall())
    match = list_patterns.CREATE_PAGE_HTML.search(scripts)
    if not match:
        return None
    count, current = int(match.group(1)), int(match.group(2))
    stem, ext = match.group(3), match.group(4)
    if not 1 < count <= MAX_PARTS or current >= count:
        return None
    names = [f"{stem}.{ext}"] + [f"{stem}_{i}.{ext}" for i in range(1, count)]
    pages = tuple(canonical_url(urljoin(url, name)) for name in names)
    if url_key(url) != url_key(pages[current]):
        return None  # the pager names another document's pages
    return ArticlePages(pages, current)


def _linked(selector: Selector, url: str, limit: int | None) -> ArticlePages | None:
    """Numbered links, 下一页 or `?page=N` to other pages of the article this page is one of:
    the reading of the page's own URL that most of its links agree with."""
    own = canonical_url(url)
    targets = {
        canonical_url(urljoin(url, href.strip()))
        for href in anchors(selector, limit, "/@href").getall()
        if href.strip() and not href.strip().startswith(("#", "javascript:", "mailto:"))
    }
    targets.discard(own)
    best: ArticlePages | None = None
    for reading in _readings(own):
        named = {reading.position(t): t for t in targets}
        named.pop(None, None)
        named.pop(reading.index, None)
        if reading.segment and not {0, 1} <= {*named, reading.index}:
            # /archives/14 is no page 14 of /archives, nor /archives/10 page 10 of it: an
            # article's pager names its first and second pages
            continue
        if named and (best is None or len(named) > len([p for p in best.pages if p]) - 1):
            named[reading.index] = own
            if not (reading.param or reading.segment):
                named = _numbered_from_two(named)
            size = max(named) + 1
            index = next(i for i, u in named.items() if u == own)
            best = ArticlePages(tuple(named.get(i) for i in range(size)), index)
    return best


def _numbered_from_two(named: dict[int, str]) -> dict[int, str]:
    """Suffixes that number further pages from 2 (`_2` is page 2: DedeCMS, Empire CMS …)
    rather than from 1 (TRS: `_1` is page 2): no page named is `_1`, so each `_N` is page N."""
    suffixes = [n for n in named if n > 0]
    if not suffixes or 1 in suffixes:
        return named
    return {(n - 1 if n > 0 else 0): url for n, url in named.items()}


@dataclass(frozen=True)
class _Reading:
    """One way to read a URL as page `index` of an article: by a `_N` file suffix (its stem
    and extension) or by a page parameter (the URL without it, and the parameter's name)."""

    index: int
    base: str  # the first page's URL
    stem: str = ""  # suffix: the first page's path without its extension
    ext: str = ""
    param: str = ""  # query: the page parameter's name
    segment: bool = False  # path: page N is the first page's path + `/N` (WordPress)

    def position(self, target: str) -> int | None:
        """The page of the article `target` is, or None when it is no page of it."""
        if self.param:
            return _query_position(target, self.base, self.param)
        if self.segment:
            return _segment_position(target, self.base)
        parts = urlsplit(target)
        if (parts.scheme, parts.netloc, parts.query) != _origin_query(self.base):
            return None
        if parts.path == self.stem + self.ext:
            return 0
        match = _SUFFIXED.match(parts.path)
        if match and match["n"] and match["stem"] == self.stem and match["ext"] == self.ext:
            number = int(match["n"])
            return number if 0 < number < MAX_PARTS else None
        return None


def _origin_query(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.query


def _readings(url: str) -> list[_Reading]:
    """The ways `url` may be a page of an article: its file as the first page, its file's
    `_N` suffix as page N + 1, its page parameter as that page."""
    parts = urlsplit(url)
    out = []
    match = _SUFFIXED.match(parts.path)
    if match:
        whole = parts.path[: -len(match["ext"])]
        out.append(_Reading(0, url, whole, match["ext"]))
        if match["n"] and 0 < int(match["n"]) < MAX_PARTS:
            first = urlunsplit(parts._replace(path=match["stem"] + match["ext"]))
            out.append(_Reading(int(match["n"]), first, match["stem"], match["ext"]))
    query = parse_qsl(parts.query, keep_blank_values=True)
    for name, value in query:
        if list_patterns.PAGE_PARAM_NAME.match(name) and value.isdigit():
            rest = [(k, v) for k, v in query if k != name]
            base = urlunsplit(parts._replace(query=urlencode(rest)))
            number = int(value)
            if 0 < number <= MAX_PARTS:
                out.append(_Reading(number - 1, base, param=name))
    out += _segment_readings(url)
    if parts.query and not any(r.param for r in out):
        for name in ("page", "p", "pageNo", "pageNum", "curPage"):
            out.append(_Reading(0, url, param=name))
    return out


def _segment_readings(url: str) -> list[_Reading]:
    """`url` as the first page of an article continued at `url/2`, and, when its path ends in
    a page number (`/archives/812/2`), as that page of the path before it."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    out = [_Reading(0, url, segment=True)]
    stem, _, number = path.rpartition("/")
    if stem and number.isdigit() and 1 < int(number) < MAX_PARTS:
        first = urlunsplit(parts._replace(path=stem))
        out.append(_Reading(int(number) - 1, first, segment=True))
    return out


def _segment_position(target: str, base: str) -> int | None:
    """Page of `base` numbered by a last path segment (page 1 is `base` itself)."""
    a, b = urlsplit(target), urlsplit(base)
    if (a.scheme, a.netloc, a.query) != (b.scheme, b.netloc, b.query):
        return None
    path, stem = a.path.rstrip("/"), b.path.rstrip("/")
    if path == stem:
        return 0
    number = path[len(stem) + 1 :] if path.startswith(stem + "/") else ""
    return int(number) - 1 if number.isdigit() and 0 < int(number) < MAX_PARTS else None


def _query_position(target: str, base: str, param: str) -> int | None:
    """Page of `base` numbered by `param` (page 1 may leave the parameter out)."""
    a, b = urlsplit(target), urlsplit(base)
    if (a.scheme, a.netloc, a.path) != (b.scheme, b.netloc, b.path):
        return None
    query = parse_qsl(a.query, keep_blank_values=True)
    values = [v for k, v in query if k == param]
    rest = sorted((k, v) for k, v in query if k != param)
    if rest != sorted(parse_qsl(b.query, keep_blank_values=True)):
        return None
    if not values:
        return 0
    if len(values) == 1 and values[0].isdigit() and 0 < int(values[0]) <= MAX_PARTS:
        return int(values[0]) - 1
    return None
