"""Reading the files crawlers read: robots.txt `Sitemap:` lines, sitemaps and sitemap indexes
(XML or plain text, gzipped or not) and RSS/Atom feeds, as plain data.

Pure functions of bytes. Garbage raises SourceError (the crawl counts it as one error); a
gzip bomb is cut at `max_bytes`. XML is parsed without entities, DTDs or network access.
"""

import gzip
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from io import BytesIO
from urllib.parse import urljoin

from lxml import etree

from ..exceptions import CrawlerError

GZIP_MAGIC = b"\x1f\x8b"
# The sitemap protocol's own bound on one file (uncompressed).
MAX_BYTES = 50 * 1024 * 1024
URLSET, INDEX, FEED = "urlset", "index", "feed"
_CHUNK = 64 * 1024
_TEXT_URL = re.compile(r"^https?://\S+$")
_DATE_ONLY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# A time that names no zone is the portals' own: China Standard Time.
PORTAL_TIME = timezone(timedelta(hours=8))
_LOOSE_DATE = re.compile(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2}))?")


class SourceError(CrawlerError):
    """A sitemap or feed that cannot be read: not one, damaged, or too large."""


@dataclass(frozen=True)
class Entry:
    """One URL a sitemap or feed lists: its title (feeds) and when it last changed (a
    sitemap's lastmod, a feed item's pubDate or updated), as UTC `YYYY-MM-DDTHH:MM:SSZ`."""

    url: str
    title: str | None = None
    changed: str | None = None


@dataclass(frozen=True)
class Source:
    """A parsed sitemap (`urlset`), sitemap index (`index`: its entries are sitemaps) or
    feed; `stated` is how many entries the file holds."""

    kind: str
    entries: tuple[Entry, ...]

    @property
    def stated(self) -> int:
        return len(self.entries)


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The sitemap URLs a robots.txt names (`Sitemap:` lines, any case), in order, once each."""
    found = []
    for raw in body.splitlines():
        line = raw.strip()
        if line[:8].lower() != b"sitemap:":
            continue
        value = line[8:].split(b"#", 1)[0].strip().decode("utf-8", "replace")
        if value:
            found.append(urljoin(base_url, value))
    return list(dict.fromkeys(found))


def unpack(body: bytes, max_bytes: int = MAX_BYTES) -> bytes:
    """The body, gunzipped when it is gzip (a `.xml.gz` file, or a gzip Content-Type that the
    HTTP layer did not decode), at most `max_bytes` once unpacked."""
    if not body.startswith(GZIP_MAGIC):
        if len(body) > max_bytes:
            raise SourceError(f"larger than {max_bytes} bytes")
        return body
    out = BytesIO()
    try:
        with gzip.GzipFile(fileobj=BytesIO(body)) as packed:
            while chunk := packed.read(_CHUNK):
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise SourceError(f"larger than {max_bytes} bytes once unpacked")
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(f"damaged gzip ({exc})") from exc
    return out.getvalue()


def parse(body: bytes, url: str, max_bytes: int = MAX_BYTES) -> Source:
    """A sitemap, sitemap index or feed from its bytes (gzipped or not). Relative URLs
    resolve against `url`; entries without a URL are left out."""
    data = unpack(body, max_bytes)
    head = data.lstrip()[:1]
    if head != b"<":
        return _text_sitemap(data)
    try:
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
        )
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"not XML ({exc})") from exc
    if root is None:
        raise SourceError("not XML")
    kind = _local(root)
    if kind == "urlset":
        return Source(URLSET, _entries(root, "url", url))
    if kind == "sitemapindex":
        return Source(INDEX, _entries(root, "sitemap", url))
    if kind in ("rss", "RDF"):
        return Source(FEED, _rss(root, url))
    if kind == "feed":
        return Source(FEED, _atom(root, url))
    raise SourceError(f"not a sitemap or feed (root element <{kind}>)")


def _text_sitemap(data: bytes) -> Source:
    """A plain-text sitemap: one absolute URL per line."""
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    if not lines or not all(_TEXT_URL.match(line) for line in lines):
        raise SourceError("not a sitemap or feed")
    return Source(URLSET, tuple(Entry(line) for line in dict.fromkeys(lines)))


def _local(element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element, name: str) -> str:
    for child in element:
        if _local(child) == name:
            return "".join(child.itertext()).strip()
    return ""


def _entries(root, name: str, base: str) -> tuple[Entry, ...]:
    out = []
    for element in root:
        if _local(element) != name:
            continue
        loc = _child_text(element, "loc")
        if loc:
            out.append(Entry(urljoin(base, loc), None, when(_child_text(element, "lastmod"))))
    return tuple(out)


def _rss(root, base: str) -> tuple[Entry, ...]:
    """RSS 2.0 (`channel/item`) and RSS 1.0 (`item` under the RDF root)."""
    out = []
    for item in root.iter():
        if _local(item) != "item":
            continue
        link = _child_text(item, "link")
        if not link:
            guid = next((c for c in item if _local(c) == "guid"), None)
            if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
                link = "".join(guid.itertext()).strip()
        if link:
            changed = _child_text(item, "pubDate") or _child_text(item, "date")
            out.append(Entry(urljoin(base, link), _child_text(item, "title"), when(changed)))
    return tuple(out)


def _atom(root, base: str) -> tuple[Entry, ...]:
    out = []
    for entry in root:
        if _local(entry) != "entry":
            continue
        links = [c for c in entry if _local(c) == "link" and c.get("href")]
        link = next((c for c in links if c.get("rel", "alternate") == "alternate"), None)
        if link is None:
            continue
        changed = _child_text(entry, "updated") or _child_text(entry, "published")
        title = _child_text(entry, "title")
        out.append(Entry(urljoin(base, link.get("href").strip()), title, when(changed)))
    return tuple(out)


def when(text: str) -> str | None:
    """A sitemap's lastmod or a feed's date (W3C datetime, RFC 822, or the 2025-06-05 10:00
    Chinese feeds write) as UTC `YYYY-MM-DDTHH:MM:SSZ`; None when it is not a date. A date or
    time that names no zone is China Standard Time (a date alone: that day's start)."""
    text = (text or "").strip()
    if not text:
        return None
    moment = _iso(text) or _rfc822(text) or _loose(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PORTAL_TIME)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(text: str) -> datetime | None:
    plain = _DATE_ONLY.match(text)
    if plain:
        text = "{}-{:0>2}-{:0>2}".format(*plain.groups())
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _loose(text: str) -> datetime | None:
    match = _LOOSE_DATE.search(text)
    if not match:
        return None
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None
