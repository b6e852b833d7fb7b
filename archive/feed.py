"""The change feed: the event log (archive.events) as records or Atom: what is new, changed,
gone, delisted … after an event id, or since a crawl time (inclusive)."""

import re
import xml.etree.ElementTree as ET

from sqlite_utils import Database

from notice import figures

from . import dates, events, records
from .diff import diff_texts

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:rectification-archive.invalid,2025:changes"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SUMMARY_PARAGRAPHS = 3
# events whose summary is a diff of their version against the one before
DIFFED = ("changed", "revert", "reextract")

# A page a notice links as a file is no notice of its own: its events are its notice's files'
# (kind `file-…`, naming the notice), recorded so when it was written, else read from the links.
_EVENTS = """
SELECT e.id AS event, e.kind, e.at, e.page_id, p.url, p.portal_id AS portal, v.title,
       v.number AS version, v.reverts_to, e.run_id AS run, e.fetch_id AS fetch, e.detail,
       coalesce(e.notice_id, (SELECT min(l.page_id) FROM attachments l
                              WHERE l.attachment_page_id = e.page_id)) AS notice_id,
       (SELECT max(l.label) FROM attachments l WHERE l.attachment_page_id = e.page_id) AS label
FROM events e JOIN pages p ON p.id = e.page_id LEFT JOIN versions v ON v.id = e.version_id
WHERE {window}
ORDER BY e.id DESC LIMIT ?
"""
_SUMMARIES = {
    "new": "first archived version",
    "chrome-only": "the page changed around the notice (its chrome); the text did not",
    "returned": "the page answers again",
    "gone": "the page answers 404/410",
    "soft-gone": "the page answers an error page",
    "redirected": "the page redirects",
    "blocked": "a block or challenge page answered instead of the notice",
    "delisted": "no longer linked from its list page",
    "relisted": "linked from its list page again",
}


def changes(
    db: Database, since: str | None = None, limit: int | None = None, *, after: int | None = None
) -> list[dict]:
    """The events after event id `after` and at or after crawl time `since` (a date or an ISO
    time; both optional), newest first, each with its id (`event`), a summary, and for a
    changed text the figures that changed (`figures`, `figures_summary`). A notice's files are
    listed with it (`attachments`); an event of a file is of kind `file-…` and names its notice
    (`notice_url`). With `limit`, the newest `limit` of them."""
    window, params = events.window(after, dates.crawl_time(since) if since else None)
    rows = list(db.query(_EVENTS.format(window=window), [*params, limit or -1]))
    for row in rows:
        _describe(db, row)
        notice_id, label = row.pop("notice_id"), row.pop("label")
        if notice_id is None:
            row["notice_url"] = row["url"]
            row["attachments"] = [
                {k: a[k] for k in ("url", "label", "content_kind")}
                for a in records.attachments_of(db, row["page_id"])
            ]
            continue
        notice_url, notice_title = db.execute(
            "SELECT p.url, v.title FROM pages p LEFT JOIN versions v ON v.page_id = p.id "
            "AND v.number = p.current_version WHERE p.id = ?",
            [notice_id],
        ).fetchone()
        row["kind"] = f"file-{row['kind']}"
        row["notice_url"] = notice_url
        row["title"] = f"{notice_title or notice_url} · {label or row['title'] or row['url']}"
        row["attachments"] = []
    return rows


def _describe(db: Database, row: dict) -> None:
    """The record's summary, and the figures a changed text changed."""
    row["figures"], row["figures_summary"] = [], ""
    if row["kind"] not in DIFFED:
        detail = row["detail"] if row["kind"] not in ("returned", "new") else None
        row["summary"] = _SUMMARIES[row["kind"]] + (f": {detail}" if detail else "")
        return
    old, new = (
        db.execute(
            "SELECT text FROM versions WHERE page_id = ? AND number = ?", [row["page_id"], n]
        ).fetchone()[0]
        for n in (row["version"] - 1, row["version"])
    )
    blocks = diff_texts(old, new)
    changed = figures.figure_changes(blocks)
    row["figures"], row["figures_summary"] = figures.as_dicts(changed), figures.summary(changed)
    row["summary"] = _diff_summary(row, [b for b in blocks if b.op != "equal"])


def _diff_summary(row: dict, blocks: list) -> str:
    lines = []
    for block in blocks[:SUMMARY_PARAGRAPHS]:
        if block.op == "change":
            lines.append(
                "".join(
                    s.new if s.op == "equal" else f"[-{s.old}-]{{+{s.new}+}}"
                    for s in block.segments
                )
            )
        else:
            lines.append(("- " + block.old) if block.op == "delete" else ("+ " + block.new))
    more = len(blocks) - SUMMARY_PARAGRAPHS
    if more > 0:
        lines.append(f"… and {more} more changed paragraph(s)")
    if row["figures_summary"]:
        lines.insert(0, f"figures: {row['figures_summary']}")
    if row["kind"] == "revert":
        lines.insert(0, f"reverts to version {row['reverts_to']}")
    if row["kind"] == "reextract":
        lines.insert(0, "extracted again from the same page by a newer extractor or template model")
    return "\n".join(lines)


def _text(value: object) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def feed_id(archive: str = "") -> str:
    """The feed's Atom id: it names the archive (archive.events.archive_id), so that the
    entries of two archives never share an id."""
    return f"{FEED_ID}:{archive}" if archive else FEED_ID


def to_atom(
    rows: list[dict], *, title: str = "Rectification notices: changes", archive: str = ""
) -> str:
    """An Atom 1.0 feed of change records; all page text is escaped by the XML writer. Each
    entry's id is the archive's and the event's: unique, and the same in every feed."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = _text(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", feed_id(archive))
    sub(feed, "title", title)
    sub(feed, "updated", rows[0]["at"] if rows else "1970-01-01T00:00:00Z")
    author = sub(feed, "author")
    sub(author, "name", "rectification-archive")
    for row in rows:
        entry = sub(feed, "entry")
        sub(entry, "id", f"{feed_id(archive)}:event:{row['event']}")
        sub(entry, "title", f"[{row['kind']}] {row['title'] or row['url']}")
        sub(entry, "link", href=_text(row["url"]))
        sub(entry, "updated", row["at"])
        sub(entry, "category", term=_text(row["portal"] or ""))
        sub(entry, "summary", row["summary"], type="text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
