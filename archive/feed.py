"""The change feed: what is new, changed, gone or delisted since a date, as records or Atom."""

import re
import xml.etree.ElementTree as ET

from sqlite_utils import Database

from . import dates, records
from .diff import diff_texts

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:rectification-archive.invalid,2025:changes"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SUMMARY_PARAGRAPHS = 3

# A page a notice links as a file: its first archived version comes with the notice (it is no
# notice of its own); its later changes and its removal are changes of that notice's files.
_CHANGES = """
WITH files AS (
    SELECT l.attachment_page_id AS page_id, min(l.page_id) AS notice_id, max(l.label) AS label
    FROM attachments l GROUP BY l.attachment_page_id
)
SELECT v.kind AS kind, p.id AS page_id, p.url, p.portal_id AS portal, v.title, v.fetched_at AS at,
       v.number AS version, v.reverts_to, fl.notice_id, fl.label
FROM versions v JOIN pages p ON p.id = v.page_id LEFT JOIN files fl ON fl.page_id = p.id
WHERE v.fetched_at >= :since
  AND (v.kind IN ('changed', 'revert') OR (v.kind = 'new' AND fl.page_id IS NULL))
UNION ALL
SELECT 'gone', p.id, p.url, p.portal_id, cv.title, g.fetched_at, g.id, NULL, fl.notice_id, fl.label
FROM fetches g INDEXED BY fetches_outcome
JOIN pages p ON p.id = g.page_id
LEFT JOIN versions cv ON cv.page_id = p.id AND cv.number = p.current_version
LEFT JOIN files fl ON fl.page_id = p.id
WHERE g.outcome = 'gone' AND g.fetched_at >= :since
  AND coalesce((SELECT f.outcome FROM fetches f WHERE f.page_id = g.page_id AND f.id < g.id
                ORDER BY f.id DESC LIMIT 1), '') != 'gone'
UNION ALL
SELECT 'delisted', p.id, p.url, p.portal_id, cv.title, p.delisted_since, 0, NULL, NULL, NULL
FROM pages p LEFT JOIN versions cv ON cv.page_id = p.id AND cv.number = p.current_version
WHERE p.delisted_since >= :since AND p.id NOT IN (SELECT page_id FROM files)
ORDER BY at DESC, page_id
"""


def changes(db: Database, since: str, limit: int | None = None) -> list[dict]:
    """New, changed (and reverted), gone and delisted notices since a crawl time (a date or an
    ISO time), newest first. A notice's files are listed with it (`attachments`); a change or
    removal of a file is a record of kind `file-changed`, `file-revert` or `file-gone` that
    names its notice (`notice_url`). With `limit`, the newest `limit` of them."""
    params = {"since": dates.crawl_time(since), "limit": limit or -1}
    rows = list(db.query(_CHANGES + " LIMIT :limit", params))
    for row in rows:
        row["summary"] = _summary(db, row)
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


def _summary(db: Database, row: dict) -> str:
    if row["kind"] not in ("changed", "revert"):
        return {
            "new": "first archived version",
            "gone": "the page answers 404/410",
            "delisted": "no longer linked from its list page",
        }[row["kind"]]
    old, new = (
        db.execute(
            "SELECT text FROM versions WHERE page_id = ? AND number = ?", [row["page_id"], n]
        ).fetchone()[0]
        for n in (row["version"] - 1, row["version"])
    )
    blocks = [b for b in diff_texts(old, new) if b.op != "equal"]
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
    if row["kind"] == "revert":
        lines.insert(0, f"reverts to version {row['reverts_to']}")
    return "\n".join(lines)


def _text(value: object) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def to_atom(rows: list[dict], *, title: str = "Rectification notices: changes") -> str:
    """An Atom 1.0 feed of change records; all page text is escaped by the XML writer."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = _text(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", FEED_ID)
    sub(feed, "title", title)
    sub(feed, "updated", rows[0]["at"] if rows else "1970-01-01T00:00:00Z")
    author = sub(feed, "author")
    sub(author, "name", "rectification-archive")
    for row in rows:
        entry = sub(feed, "entry")
        sub(entry, "id", f"{FEED_ID}:{row['kind']}:{row['page_id']}:{row['version']}")
        sub(entry, "title", f"[{row['kind']}] {row['title'] or row['url']}")
        sub(entry, "link", href=_text(row["url"]))
        sub(entry, "updated", row["at"])
        sub(entry, "category", term=_text(row["portal"] or ""))
        sub(entry, "summary", row["summary"], type="text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
