"""Re-run the current extractor over stored raw HTML; new versions only where text differs.

A version read from a detail API (a script-filled shell) stores the API's JSON reply: it is
re-extracted from that JSON, built into the article as the crawl built it. A notice split over
several pages is re-extracted from all its stored pages, joined as the crawl joined them."""

import logging

from archive import Archive, ArchiveError
from notice.encoding import decode_html
from notice.errors import ExtractionError
from notice.extract import extract
from notice.extract.pages import join_pages

from .list_api import ListApiError
from .lists.detail import article_from_reply
from .pipelines import document_content, to_content

logger = logging.getLogger(__name__)


def reextract(
    archive: Archive, portal: str | None = None, failures: list[dict] | None = None
) -> dict[str, int]:
    """Re-extract the current version of every live page; return counts (checked, changed,
    failed). A page that cannot be re-extracted (damaged body, extraction error) is counted,
    noted in `failures` (url, error) and logged; the others go on."""
    counts = {"checked": 0, "changed": 0, "failed": 0}
    for page in archive.list_pages(portal=portal):
        if page["state"] != "live":
            continue
        try:
            changed = _reextract_page(archive, page["url"])
        except (ArchiveError, ExtractionError) as exc:
            counts["failed"] += 1
            logger.warning("cannot re-extract %s: %s", page["url"], exc)
            if failures is not None:
                failures.append({"url": page["url"], "error": str(exc)})
            continue
        counts["checked"] += 1
        counts["changed"] += changed
    return counts


def _reextract_page(archive: Archive, url: str) -> bool:
    """Re-extract one page's current version; True when that made a new version. The
    version's attachment links are kept, so missing files are still fetched later."""
    version = archive.version(url)
    body = archive.raw_html(url)
    meta = version["metadata"]
    kind = archive.page(url)["content_kind"]
    if kind != "html":
        content = document_content(body, kind, meta.get("label"), meta.get("content_type"))
    else:
        headers = {"Content-Type": meta["content_type"]} if meta.get("content_type") else {}
        html, html_headers = body, headers
        if meta.get("detail_api"):  # the stored body is the detail API's JSON reply
            try:
                text = decode_html(body, headers).text
                html = article_from_reply(text, meta["detail_api"]).encode()
            except ListApiError as exc:
                raise ExtractionError(f"stored detail API reply: {exc}") from exc
            html_headers = {"Content-Type": "text/html; charset=utf-8"}
        extraction = extract(html, url, html_headers)
        if meta.get("parts"):  # a notice over several pages: all of them, joined
            extraction = join_pages([extraction, *_parts(archive, url)])
        content = to_content(extraction, meta.get("rendered", False), meta.get("content_type"))
        if meta.get("detail_api"):
            content.metadata["detail_api"] = meta["detail_api"]
    for kept in ("attachment_links", "parts"):  # the files it links, the pages it was read from
        if meta.get(kept):
            content.metadata[kept] = meta[kept]
    return archive.add_reextracted(url, content) is not None


def _parts(archive: Archive, url: str) -> list:
    """The extractions of the further pages of a notice's current version, in order."""
    return [
        extract(part["body"], part["url"], {"Content-Type": part["content_type"] or "text/html"})
        for part in archive.raw_parts(url)
    ]
