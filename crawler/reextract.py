"""Re-run the current extractor over stored raw HTML; new versions only where text differs."""

from archive import Archive, UnknownPage

from .extract import extract
from .pipelines import document_content, to_content


def reextract(archive: Archive, portal: str | None = None) -> dict[str, int]:
    """Re-extract every live page's current version; return counts (checked, changed)."""
    counts = {"checked": 0, "changed": 0, "failed": 0}
    for page in archive.list_pages(portal=portal):
        try:
            version = archive.version(page["url"])
            body = archive.raw_html(page["url"])
        except (UnknownPage, KeyError):
            counts["failed"] += 1
            continue
        meta = version["metadata"]
        kind = archive.page(page["url"])["content_kind"]
        if kind != "html":
            content = document_content(body, kind, meta.get("label"), meta.get("content_type"))
        else:
            headers = {"Content-Type": meta["content_type"]} if meta.get("content_type") else {}
            content = to_content(
                extract(body, page["url"], headers),
                meta.get("rendered", False),
                meta.get("content_type"),
            )
        counts["checked"] += 1
        if archive.add_reextracted(page["url"], content) is not None:
            counts["changed"] += 1
    return counts
