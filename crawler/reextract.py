"""Re-run the current extractor, with each portal's current template model, over stored raw
HTML; new versions only where the text differs.

The models first learn from the stored pages they have not seen (an archive made before the
model, or pages of a template that matured since), so that a version archived with chrome
in it loses it here. A version read from a detail API (a script-filled shell) stores the
API's JSON reply: it is re-extracted from that JSON, built into the article as the crawl built
it. A notice split over several pages is re-extracted from all its stored pages, joined as
the crawl joined them."""

import logging

from archive import Archive, ArchiveError
from notice.errors import ExtractionError
from notice.extract import read_template

from .pipelines import document_content, to_content
from .templates import Templates, extract_stored, stored_page, stored_parts

logger = logging.getLogger(__name__)


def reextract(
    archive: Archive, portal: str | None = None, failures: list[dict] | None = None
) -> dict[str, int]:
    """Re-extract the current version of every live page; return counts (checked, changed,
    failed). A page that cannot be re-extracted (damaged body, extraction error) is counted,
    noted in `failures` (url, error) and logged; the others go on."""
    counts = {"checked": 0, "changed": 0, "failed": 0}
    pages = [p for p in archive.list_pages(portal=portal) if p["state"] == "live"]
    templates = Templates(archive)
    for page in pages:
        _learn(archive, templates, page)
    templates.save()
    for page in pages:
        try:
            changed = _reextract_page(archive, templates, page["url"])
        except (ArchiveError, ExtractionError) as exc:
            counts["failed"] += 1
            logger.warning("cannot re-extract %s: %s", page["url"], exc)
            if failures is not None:
                failures.append({"url": page["url"], "error": str(exc)})
            continue
        counts["checked"] += 1
        counts["changed"] += changed
    return counts


def _learn(archive: Archive, templates: Templates, page: dict) -> None:
    """Teach the page's portal model the page's current version (if it had not learned it);
    a page that cannot be read is left to the re-extraction, which says why."""
    if not page["portal"] or templates.model(page["portal"]).knows(page["url"]):
        return
    try:
        if archive.page(page["url"])["content_kind"] != "html":
            return
        meta = archive.version(page["url"])["metadata"]
        html, headers = stored_page(
            archive.raw_html(page["url"]), meta.get("content_type"), meta.get("detail_api")
        )
        reading = read_template(html, page["url"], headers)
    except (ArchiveError, ExtractionError):
        return
    templates.learn(page["portal"], page["url"], reading)


def _reextract_page(archive: Archive, templates: Templates, url: str) -> bool:
    """Re-extract one page's current version; True when that made a new version. The
    version's attachment links are kept, so missing files are still fetched later."""
    version = archive.version(url)
    body = archive.raw_html(url)
    meta = version["metadata"]
    page = archive.page(url)
    kind = page["content_kind"]
    if kind != "html":
        content = document_content(body, kind, meta.get("label"), meta.get("content_type"))
    else:
        model = templates.get(page["portal_id"]) if page["portal_id"] else None
        parts = stored_parts(archive, url) if meta.get("parts") else ()
        extraction = extract_stored(
            body, url, meta.get("content_type"), meta.get("detail_api"), model, parts
        )
        content = to_content(extraction, meta.get("rendered", False), meta.get("content_type"))
        if meta.get("detail_api"):
            content.metadata["detail_api"] = meta["detail_api"]
    for kept in ("attachment_links", "parts"):  # the files it links, the pages it was read from
        if meta.get(kept):
            content.metadata[kept] = meta[kept]
    return archive.add_reextracted(url, content) is not None
