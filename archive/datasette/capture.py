"""The page as captured: a version's (or one fetch's) stored response, served from the archive,
made safe (sanitize.py), under a banner naming its address, its capture time and its version.

A file (PDF, DOCX …) is not shown: it is offered as a download of the stored bytes.
"""

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import lxml.html
import zstandard
from lxml.html import builder as E

from notice.encoding import decode_html
from notice.urls import canonical_url

from .. import blobs
from ..errors import UnreadableBlob
from . import clock, sanitize
from .pages import BadInput, Missing, Reader, number

FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
}
_LINK_STYLE = "all:initial;color:#0645ad;text-decoration:underline;cursor:pointer;font:inherit"
_BANNER_STYLE = (
    "all:initial;display:block;box-sizing:border-box;width:100%;margin:0 0 .5em;"
    "padding:.5em 1em;background:#fff3c4;color:#111;border-bottom:3px solid #8a5a00;"
    'font:14px/1.6 "Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;text-align:left'
)
_STRONG_STYLE = "all:initial;font:inherit;font-weight:bold"
_REMOVED = (  # the counts the banner names, in its order
    ("scripts", "script"),
    ("handlers", "event handler"),
    ("forms", "form element"),
    ("frames", "frame"),
    ("links", "script link"),
)


@dataclass
class Captured:
    """What the capture address answers: a sanitised page, or a file to download."""

    body: str | bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _stored_fetch(reader: Reader, page: dict, fetch: int) -> dict:
    row = reader._one(
        "SELECT f.id AS fetch, f.fetched_at AS at, f.status, f.outcome, f.blob_sha256, "
        "f.headers, v.number AS version FROM fetches f "
        "LEFT JOIN versions v ON v.id = f.version_id WHERE f.id = ? AND f.page_id = ?",
        [fetch, page["id"]],
    )
    if row is None:
        raise Missing(f"{page['url']} has no fetch {fetch}")
    if row["blob_sha256"] is None:
        raise Missing(
            f"fetch {fetch} of {page['url']} stored no page ({row['outcome']}, "
            f"HTTP {row['status'] or '—'})"
        )
    return row


def _stored_version(reader: Reader, page: dict, version: int | None) -> dict:
    row = reader.version(page["url"], version)  # UnknownVersion when there is none
    if row["blob_sha256"] is None:
        raise Missing(f"version {row['number']} of {page['url']} has no stored page")
    # the fetch that first brought this body: its time and headers
    first = reader._one(
        "SELECT id AS fetch, fetched_at AS at, status, outcome, headers FROM fetches "
        "WHERE page_id = ? AND blob_sha256 = ? ORDER BY id LIMIT 1",
        [page["id"], row["blob_sha256"]],
    ) or {"fetch": None, "at": row["fetched_at"], "status": None, "outcome": None, "headers": None}
    version = {"version": row["number"], "kind": row["kind"]}
    return {**first, **version, "blob_sha256": row["blob_sha256"]}


def _body(reader: Reader, stored: dict) -> bytes:
    try:
        return blobs.get(reader.db, stored["blob_sha256"])
    except (KeyError, ValueError, zlib.error, zstandard.ZstdError) as exc:
        raise UnreadableBlob(
            f"stored body {stored['blob_sha256']} cannot be read ({type(exc).__name__}: {exc})"
        ) from exc


def _linker(reader: Reader, capture_path: str):
    """Links to pages the archive holds lead to their capture; others get None."""

    def link_to(url: str) -> str | None:
        for candidate in dict.fromkeys((url, canonical_url(url))):
            if reader._one("SELECT url FROM pages WHERE url = ?", [candidate]):
                return capture_path + "?" + urlencode({"url": candidate})
        return None

    return link_to


def _removed_line(removed: Counter) -> str:
    named = [
        f"{removed[key]} {noun}{'s' if removed[key] != 1 else ''}"
        for key, noun in _REMOVED
        if removed[key]
    ]
    resources = removed["resources"]
    line = "Removed: " + (", ".join(named) if named else "nothing that runs") + ". "
    line += (
        f"{resources} outside resource{'s' if resources != 1 else ''} (images, styles, fonts …) "
        "not loaded: viewing this page contacts no other site."
        if resources
        else "It loads nothing from any other site."
    )
    return line


def _link(text: str, href: str):
    anchor = E.A(text, href=href, style=_LINK_STYLE)
    anchor.tail = " · "
    return anchor


def _banner(page: dict, stored: dict, removed: Counter, nav: dict):
    """The banner: lxml builds it, so every piece of text in it is escaped."""
    url = page["url"]
    version = stored["version"]
    what = (
        f"fetch {stored['fetch']} ({stored['outcome']}, HTTP {stored['status'] or '—'})"
        + (f", version {version}" if version else "")
        if stored.get("kind") is None
        else f"version {version} of {page['current_version']} ({stored['kind']})"
    )
    notice = nav["notice"] + "?" + urlencode({"url": url})
    links = [_link("this notice in the archive", notice)]
    if version:
        links.append(_link(f"version {version}'s text", f"{notice}&v={version}#text"))
    links[-1].tail = ""
    state = page["state"] if page["state"] != "live" else None
    return E.DIV(
        E.STRONG("Archived page, not the live site. ", style=_STRONG_STYLE),
        f"{url} as captured on {clock.local(stored['at'])} China time "
        f"({clock.utc(stored['at'])}): {what}."
        + (f" The address is {state} since {clock.local(page['state_since'])}." if state else ""),
        E.BR(),
        _removed_line(removed) + " ",
        *links,
        id="archive-capture-banner",
        role="note",
        style=_BANNER_STYLE,
    )


def _head(document, url: str) -> None:
    """Our charset, no referrer, no DNS prefetch, and a title that says it is archived."""
    head = document.find("head")
    if head is None:
        head = E.HEAD()
        document.insert(0, head)
    title = " ".join((head.findtext("title") or "").split()) or url
    for element in (
        E.TITLE(f"[archived] {title}"),
        E.META(name="referrer", content="no-referrer"),
        E.META(**{"http-equiv": "x-dns-prefetch-control", "content": "off"}),
        E.META(charset="utf-8"),
    ):
        head.insert(0, element)
    for old in head.findall("title")[1:]:
        old.drop_tree()


def capture(db, url: str | None, v: str | None, fetch: str | None, nav: dict) -> Captured:
    """The capture of version `v` (default: the current one), or of fetch `fetch`."""
    if not url:
        raise BadInput("give the page's address: /-/capture?url=URL&v=N")
    reader = Reader(db)
    page = reader.page(url)
    fetch_id = number(fetch, "fetch")
    if fetch_id is not None:
        stored = {**_stored_fetch(reader, page, fetch_id), "kind": None}
    else:
        stored = _stored_version(reader, page, number(v, "v"))
    body = _body(reader, stored)
    headers = json.loads(stored["headers"] or "{}")
    if page["content_kind"] != "html":
        name = page["url"].rstrip("/").rsplit("/", 1)[-1] or "file"
        return Captured(
            body,
            FILE_TYPES.get(page["content_kind"], "application/octet-stream"),
            {"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )
    document, removed = sanitize.sanitize(
        decode_html(body, headers).text, page["url"], _linker(reader, nav["capture"])
    )
    _head(document, page["url"])
    document.find("body").insert(0, _banner(page, stored, removed, nav))
    html = lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")
    return Captured(html, "text/html; charset=utf-8", {"content-security-policy": sanitize.POLICY})
