"""The feeds a page names: `<link rel="alternate" type="application/rss+xml">` (or Atom, RDF)
in its head, and anchors to feed files (`tzgg.xml` labelled RSS, a /rss/ path labelled 订阅)."""

from urllib.parse import urljoin

from parsel import Selector

from notice.urls import canonical_url, in_scope

from .. import list_patterns
from ..discovery import anchors, label_of


def feed_links(selector: Selector, base_url: str, domains, limit: int | None = None) -> list[str]:
    """The in-scope feed URLs a page names, in page order, once each."""
    found = []
    for link in selector.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in list_patterns.FEED_TYPES:
            found.append(link.attrib["href"])
    for anchor in anchors(selector, limit):
        href = anchor.attrib["href"].strip()
        label = " ".join([label_of(anchor), *anchor.xpath(".//img/@alt | .//img/@src").getall()])
        if list_patterns.FEED_HREF.search(href) and list_patterns.FEED_LABEL.search(label):
            found.append(href)
    urls = [canonical_url(urljoin(base_url, href.strip())) for href in found if href.strip()]
    return list(dict.fromkeys(url for url in urls if in_scope(url, domains)))
