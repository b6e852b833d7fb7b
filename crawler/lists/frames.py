"""Lists inside frames: a same-site `<iframe src>` or `<frame src>` is read as a list page."""

from urllib.parse import urljoin

from notice.documents import document_kind
from notice.urls import canonical_url, in_scope

from ..discovery import Link
from ..roles import FRAME
from . import Found, Page

NAME = "frames"


def detect(page: Page) -> Found:
    found = Found()
    for frame in page.selector.xpath("//iframe[@src] | //frame[@src]"):
        src = frame.attrib["src"].strip()
        if not src or src.startswith(("about:", "javascript:", "data:", "#")):
            continue
        url = canonical_url(urljoin(page.url, src))
        if not in_scope(url, page.domains):
            found.offsite += 1
            continue
        if document_kind(url):
            continue
        label = frame.attrib.get("title") or frame.attrib.get("name") or ""
        found.links.append(Link(url, label, FRAME))
    return found
