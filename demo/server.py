"""The sample portals: renders the sample site (demo/site) and serves it on 127.0.0.1.

Used by `python -m demo`, the bench and the tests. The site is data (demo/site): a manifest,
page templates per portal style, the notice texts and their documents.
"""

import hashlib
import html
import json
import re
import socket
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qsl

SITE_DIR = Path(__file__).resolve().parent / "site"
COUNTER = b"__COUNTER__"
# how the sample servers label document files (a download script sends octet-stream)
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
}
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


@dataclass
class Item:
    """One article of the sample site, read from a text file with a small header."""

    path: str
    title: str
    datetime: str
    source: str
    paragraphs: list[str]
    notice: bool = False
    link_text: str | None = None
    related: bool = False
    content_type: str | None = None
    scripted: bool = False  # the page builds its body with JavaScript
    document: str | None = None  # published only as this file (documents/), no HTML page
    attachments: list[dict] = field(default_factory=list)  # {file, path, label}

    @property
    def date(self) -> str:
        return self.datetime[:10]


@dataclass
class Page:
    body: bytes
    content_type: str
    status: int = 200
    location: str | None = None
    validators: bool = False  # send ETag / Last-Modified and answer 304 to them
    modified: float = field(default_factory=time.time)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        return formatdate(self.modified, usegmt=True)

    def not_modified(self, headers) -> bool:
        """Whether a conditional GET may be answered 304 (If-None-Match wins over the date)."""
        if not self.validators or self.status != 200:
            return False
        if headers.get("If-None-Match"):
            return headers["If-None-Match"] == self.etag
        since = headers.get("If-Modified-Since")
        return bool(since) and int(self.modified) <= parsedate_to_datetime(since).timestamp()


@dataclass
class SampleSite:
    """All pages of the sample site, rendered for one base URL, editable while served."""

    base_url: str
    root: Path = SITE_DIR
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[tuple[str, str, dict]] = field(default_factory=list)
    counter: int = 0
    not_modified: int = 0
    delay: float = 0.0  # seconds to wait before each answer (to slow a crawl down in tests)
    # answers computed from the request: route(method, path, query, form, headers) -> Page|None
    routes: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.manifest = tomllib.loads((self.root / "site.toml").read_text("utf-8"))
        self.portals = self.manifest["portal"]
        self.items: dict[str, list[Item]] = {p["id"]: self._items(p) for p in self.portals}
        self.pages["/robots.txt"] = Page(self.manifest["robots"].encode(), "text/plain")
        for portal in self.portals:
            self._render_portal(portal)
        from .sample import install  # the portals built in code (demo/sample)

        install(self)

    # -- reading the data -------------------------------------------------------------

    def _items(self, portal: dict) -> list[Item]:
        items = []
        for entry in portal.get("item", []):
            header, _, body = (
                (self.root / "items" / entry["file"]).read_text("utf-8").partition("\n---\n")
            )
            meta = dict(line.split(": ", 1) for line in header.splitlines())
            items.append(
                Item(
                    path=entry["path"],
                    title=meta["title"],
                    datetime=meta["date"],
                    source=meta["source"],
                    paragraphs=[p for p in body.splitlines() if p.strip()],
                    notice=entry.get("notice", False),
                    link_text=entry.get("link_text"),
                    related=entry.get("related", False),
                    content_type=entry.get("content_type"),
                    scripted=entry.get("scripted", False),
                    document=entry.get("document"),
                    attachments=entry.get("attachments", []),
                )
            )
            # a page lists its attachments under the text, as 附件 lines with links
            items[-1].paragraphs += [a["label"] for a in items[-1].attachments]
        return items

    def _template(self, name: str) -> Template:
        return Template((self.root / "templates" / f"{name}.html").read_text("utf-8"))

    # -- rendering --------------------------------------------------------------------

    def _page(self, portal: dict, title: str, main: str, meta: str = "") -> str:
        return self._template(f"{portal['style']}_page").substitute(
            title=html.escape(title),
            meta=meta,
            main=main,
            column=portal["column"],
            offsite=self.offsite_url,
        )

    def _put(self, portal: dict, path: str, text: str, content_type: str | None = None) -> None:
        body = text.encode(portal["encoding"])
        old = self.pages.get(path)
        if old is not None and old.body == body:
            return  # unchanged: keeps its Last-Modified
        validators = portal.get("validators", False)
        self.pages[path] = Page(body, content_type or portal["content_type"], validators=validators)

    def _render_portal(self, portal: dict) -> None:
        style = portal["style"]
        home = self._page(
            portal,
            portal["name"],
            self._template(f"{style}_home").substitute(offsite=self.offsite_url),
        )
        self._put(portal, portal["home"], home)
        for path, target in portal.get("redirects", {}).items():
            self.redirect(path, self.offsite_url if target == "offsite" else target)
        for path, template in portal.get("pages", {}).items():
            main = self._template(f"{style}_{template}").substitute()
            self._put(portal, path, self._page(portal, portal["column"], main))
        items = self.items[portal["id"]]
        for path, title in portal.get("topics", {}).items():
            listed = "\n".join(
                self._list_item(portal, item, relative=False) for item in items if item.notice
            )
            main = self._template(f"{style}_topic").substitute(items=listed)
            self._put(portal, path, self._page(portal, title, main))
        per_page = portal["per_page"]
        chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
        if portal["pagination"] in ("json", "hanweb"):
            self._render_script_list(portal, chunks)
            chunks = []
        for index, chunk in enumerate(chunks):
            main = self._template(f"{style}_list").substitute(
                column=portal["column"],
                items="\n".join(self._list_item(portal, item) for item in chunk),
                page_count=len(chunks),
                page_index=index,
                pager=self._pager(portal, index, len(chunks)),
            )
            self._put(
                portal, self.list_path(portal, index), self._page(portal, portal["column"], main)
            )
        for item in items:
            self.render_item(portal, item)

    def _render_script_list(self, portal: dict, chunks: list[list[Item]]) -> None:
        """A list built in the browser: a shell page, plus JSON pages or an embedded first page."""
        style = portal["style"]
        records = "\n".join(self._record(item) for item in chunks[0]) if chunks else ""
        main = self._template(f"{style}_list").substitute(
            column=portal["column"],
            records=records,
            per_page=portal["per_page"],
            total=len(self.items[portal["id"]]),
            offsite_base=self.offsite_url.rsplit("/", 2)[0],
        )
        self._put(portal, portal["list"], self._page(portal, portal["column"], main))
        if portal["pagination"] == "json":
            for index, chunk in enumerate(chunks):
                data = {
                    "data": {
                        "page": index + 1,
                        "pages": len(chunks),
                        "total": sum(len(c) for c in chunks),
                        "list": [{"title": i.title, "url": i.path, "date": i.date} for i in chunk],
                    }
                }
                body = json.dumps(data, ensure_ascii=False).encode()
                self.pages[f"{portal['api']}?page={index + 1}"] = Page(body, "application/json")

    @staticmethod
    def _record(item: Item) -> str:
        title = html.escape(item.title)
        return (
            f'<record><![CDATA[<li><a href="{item.path}" title="{title}" target="_blank">'
            f"{title}</a><span>{item.date}</span></li>]]></record>"
        )

    def dataproxy(self, path: str, query: dict[str, str], form: dict[str, str]) -> Page | None:
        """Hanweb's jpage endpoint: records startrecord..endrecord of the column in `form`."""
        for portal in self.portals:
            if portal.get("api") == path and portal["pagination"] == "hanweb":
                items = self.items[portal["id"]]
                if form.get("columnid") != "5678" or form.get("webid") != "3":
                    return Page(b"<datastore><error>bad column</error></datastore>", "text/xml")
                start, end = int(query["startrecord"]), int(query["endrecord"])
                records = "".join(self._record(item) for item in items[start - 1 : end])
                body = (
                    '<?xml version="1.0" encoding="UTF-8"?><datastore>'
                    f"<totalrecord>{len(items)}</totalrecord><recordset>{records}</recordset>"
                    "</datastore>"
                )
                return Page(body.encode(), "text/xml; charset=UTF-8")
        return None

    def list_path(self, portal: dict, index: int) -> str:
        """The path of list page `index` (0-based) in the portal's pagination scheme."""
        base = portal["list"]
        if portal["pagination"] == "trs":
            return base if index == 0 else f"{base}index_{index}.html"
        if portal["pagination"] == "numbered":
            return base if index == 0 else f"{base}?pageNum={index + 1}"
        stem, _, ext = base.rpartition(".")
        return base if index == 0 else f"{stem}_{index + 1}.{ext}"

    def _pager(self, portal: dict, index: int, count: int) -> str:
        if portal["pagination"] == "trs":
            return ""  # TRS writes its pager with createPageHTML() in the browser
        links = [f'<a href="{self.list_path(portal, 0)}">首页</a>']
        if portal["pagination"] == "numbered":
            links += [f'<a href="{self.list_path(portal, i)}">{i + 1}</a>' for i in range(count)]
        if index + 1 < count:
            links.append(f'<a href="{self.list_path(portal, index + 1)}">下一页</a>')
        links.append(f'<a href="{self.list_path(portal, count - 1)}">尾页</a>')
        return f"共{count}页 " + " ".join(links)

    def _list_item(self, portal: dict, item: Item, relative: bool = True) -> str:
        """One list entry; `relative` links only work on pages in the list's own folder."""
        title = html.escape(item.title)
        style = portal["style"]
        if style == "xm":
            href = "./" + item.path.removeprefix(portal["list"]) if relative else item.path
            short = title if len(item.title) <= 20 else html.escape(item.title[:18]) + "..."
            return (
                f'<li><a href="{href}" title="{title}" target="_blank">{short}</a>'
                f"<span>[{item.date}]</span></li>"
            )
        if style == "sm":
            if item.link_text:
                return (
                    f'<tr><td>街道公告</td><td><a href="{item.path}">{item.link_text}</a></td>'
                    f"<td>{item.date}</td></tr>"
                )
            link = f'<a href="{item.path}" target="_blank">{title}</a>'
            return f"<tr><td>{link}</td><td>{item.date}</td></tr>"
        href = item.path.removeprefix(portal["list"].rpartition("/")[0] + "/")
        return f'<tr><td>·<a href="{href}">{title}</a></td><td>{item.date}</td></tr>'

    def _body(self, portal: dict, item: Item) -> str:
        if item.scripted:
            paragraphs = json.dumps(item.paragraphs, ensure_ascii=False).replace("</", "<\\/")
            return (
                "<script>var paras = " + paragraphs + ";\n"
                'document.getElementById("content").innerHTML = paras.map(function (p) {'
                ' var e = document.createElement("p"); e.textContent = p; return e.outerHTML;'
                ' }).join("");</script>'
            )
        out = []
        links = {a["label"]: a["path"] for a in item.attachments}
        for para in item.paragraphs:
            text = html.escape(para)
            if para in links:
                out.append(f'<p><a href="{html.escape(links[para])}">{text}</a></p>')
                continue
            if portal["style"] == "ta":
                out.append(
                    '<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt">'
                    f'<span style="font-size:16.0pt;font-family:仿宋_GB2312">{text}</span>'
                    '<span lang="EN-US"><o:p></o:p></span></p>'
                )
            elif _HEADING.match(para) and portal["style"] == "xm":
                out.append(f'<p style="text-indent:2em;"><strong>{text}</strong></p>')
            else:
                out.append(f"<p>\u3000\u3000{text}</p>")
        return "\n".join(out)

    def _put_document(self, path: str, name: str) -> None:
        body = (self.root / "documents" / name).read_bytes()
        suffix = "." + name.rsplit(".", 1)[-1]
        kind = "application/octet-stream" if "?" in path else DOCUMENT_TYPES[suffix]
        self.pages[path] = Page(body, kind, validators=True)

    def render_item(self, portal: dict, item: Item) -> None:
        """(Re)render one article page from its item data."""
        if item.document:
            self._put_document(item.path, item.document)
            return
        for attachment in item.attachments:
            self._put_document(attachment["path"], attachment["file"])
        related = "".join(
            f'<li><a href="{other.path}">{html.escape(other.title)}</a></li>'
            for other in self.items[portal["id"]]
            if other.notice and other is not item and item.related
        )
        year, month, day = item.date.split("-")
        main = self._template(f"{portal['style']}_detail").substitute(
            title=html.escape(item.title),
            source=html.escape(item.source),
            datetime=item.datetime,
            date=item.date,
            cndate=f"{year}年{month}月{day}日",
            body=self._body(portal, item),
            related=related,
        )
        meta = ""
        if portal["style"] == "xm":
            meta = (
                f'<meta name="ArticleTitle" content="{html.escape(item.title)}">\n'
                f'<meta name="PubDate" content="{item.datetime}">\n'
                f'<meta name="ContentSource" content="{html.escape(item.source)}">'
            )
        self._put(portal, item.path, self._page(portal, item.title, main, meta), item.content_type)

    # -- what tests and the demo need -------------------------------------------------

    @property
    def offsite_url(self) -> str:
        """A link to the same server under another host name: out of every portal's scope."""
        return self.base_url.replace("127.0.0.1", "localhost") + "/xm/offsite.html"

    def url(self, path: str) -> str:
        return self.base_url + path

    def notices(self, ids: list[str] | None = None) -> list[Item]:
        """The items that are rectification notices (what a crawl must archive)."""
        return [
            i
            for pid, items in self.items.items()
            if ids is None or pid in ids
            for i in items
            if i.notice
        ]

    def attachments(self, ids: list[str] | None = None) -> list[dict]:
        """The attachments of the notices (archived beside them), with their notice's path."""
        return [
            dict(attachment, notice=item.path)
            for item in self.notices(ids)
            for attachment in item.attachments
        ]

    def archived(self, ids: list[str] | None = None) -> int:
        """How many pages a crawl of these portals archives: notices and their attachments."""
        return len(self.archived_urls(ids))

    def archived_urls(self, ids: list[str] | None = None) -> set[str]:
        """The URLs a crawl of these portals archives: notices and their attachments."""
        paths = [i.path for i in self.notices(ids)] + [a["path"] for a in self.attachments(ids)]
        return {self.url(path) for path in paths}

    def non_notices(self, ids: list[str] | None = None) -> list[Item]:
        return [
            i
            for pid, items in self.items.items()
            if ids is None or pid in ids
            for i in items
            if not i.notice
        ]

    def find(self, path: str) -> tuple[dict, Item]:
        for portal in self.portals:
            for item in self.items[portal["id"]]:
                if item.path == path:
                    return portal, item
        raise KeyError(path)

    def edit_text(self, path: str, old: str, new: str) -> None:
        """Change an article's body text (an edit of the notice itself)."""
        portal, item = self.find(path)
        item.paragraphs = [p.replace(old, new) for p in item.paragraphs]
        self.render_item(portal, item)

    def edit_raw(self, path: str, old: str, new: str) -> None:
        """Change the served bytes of a page (e.g. only its footer)."""
        page = self.pages[path]
        encoding = "gb18030" if path.startswith("/ta/") else "utf-8"
        text = page.body.decode(encoding)
        if old not in text:
            raise ValueError(f"{old!r} not in {path}")
        page.body = text.replace(old, new).encode(encoding)
        page.modified = time.time()

    def redirect(self, path: str, target: str, status: int = 302) -> None:
        """Make a path answer with a redirect."""
        self.pages[path] = Page(b"", "text/html", status, location=target)

    def move(self, path: str, new_path: str) -> None:
        """Move an article to a new URL: the old one redirects, the lists link the new one."""
        portal, item = self.find(path)
        item.path = new_path
        self._render_portal(portal)
        self.redirect(path, self.url(new_path), 301)

    def _calendar(self, path: str) -> Page:
        """An endless calendar: every day links the next one, forever (a crawler trap)."""
        day = int(dict(parse_qsl(path.partition("?")[2])).get("day", "0"))
        body = (
            f"<html><head><title>巡视巡察工作日历</title></head><body><h1>第{day}天</h1>"
            f'<a href="/trap/calendar?day={day + 1}">下一页</a> '
            f'<a href="/trap/calendar?day={day + 1};jsessionid=S{day}">下一页</a></body></html>'
        )
        return Page(body.encode(), "text/html; charset=utf-8")

    def unlist(self, path: str) -> None:
        """Take an article off its portal's lists; the page itself still answers."""
        portal, item = self.find(path)
        self.items[portal["id"]].remove(item)
        self._render_portal(portal)
        self.render_item(portal, item)

    def remove(self, path: str) -> None:
        self.pages[path] = Page(b"<html><body>404 Not Found</body></html>", "text/html", 404)

    @property
    def http_portals(self) -> list[str]:
        """The portals that need no browser."""
        return [
            p["id"]
            for p in self.portals
            if p.get("render", "http") == "http" and not p.get("code_built")
        ]

    @property
    def code_built(self) -> list[str]:
        """The portals built in code (demo/sample), crawled by their own tests."""
        return [p["id"] for p in self.portals if p.get("code_built")]

    def seeds_toml(self, ids: list[str] | None = None, extra: dict[str, str] | None = None) -> str:
        """A seeds file with the sample portals, as a user would write it; `extra` adds TOML
        lines to a portal (a `render` line there replaces the manifest's)."""
        out = []
        for portal in self.portals:
            if ids is not None and portal["id"] not in ids:
                continue
            more = (extra or {}).get(portal["id"], "")
            render = f'render = "{portal["render"]}"\n' if portal.get("render") else ""
            out.append(
                "[[portal]]\n"
                f'id = "{portal["id"]}"\n'
                f'name = "{portal["name"]}"\n'
                f'region = "{portal["region"]}"\n'
                f'level = "{portal["level"]}"\n'
                f'start_urls = ["{self.url(portal["home"])}"]\n'
                'allowed_domains = ["127.0.0.1"]\n' + ("" if "render" in more else render) + more
            )
        return "\n".join(out)

    def _lookup(self, path: str) -> Page | None:
        """Find a page, serving a directory and its index document alike, as servers do."""
        route, sep, query = path.partition("?")
        stem = route.rsplit("/", 1)[0] + "/"
        candidates = [route]
        if route.endswith("/"):
            candidates += [route + "index.html", route + "index.htm"]
        elif route.rsplit("/", 1)[1] in ("index.html", "index.htm"):
            candidates.append(stem)
        for candidate in candidates:
            page = self.pages.get(candidate + sep + query) or self.pages.get(candidate)
            if page is not None:
                return page
        return None

    def route(
        self, method: str, path: str, form: dict[str, str], headers: dict | None = None
    ) -> Page | None:
        """The answer of a route (a code-built portal's dynamic page), if one has it."""
        query = dict(parse_qsl(path.partition("?")[2]))
        for route in self.routes:
            page = route(method, path, query, form, headers or {})
            if page is not None:
                return page
        return None

    def respond(self, path: str, headers: dict | None = None) -> Page:
        if self.delay:
            time.sleep(self.delay)
        if path.startswith("/trap/calendar"):
            return self._calendar(path)
        if path.startswith("/trap/slow"):
            time.sleep(3)
        if path.startswith("/trap/loop-"):
            other = "b" if path.startswith("/trap/loop-a") else "a"
            return Page(b"", "text/html", 302, location=f"/trap/loop-{other}")
        if path.startswith("/trap/503"):
            return Page(b"<html><body>Service Unavailable</body></html>", "text/html", 503)
        page = self.route("GET", path, {}, headers) or self._lookup(path)
        if page is None:
            return Page(b"<html><body>404 Not Found</body></html>", "text/html", 404)
        if COUNTER in page.body:
            self.counter += 1
            return Page(page.body.replace(COUNTER, str(self.counter).encode()), page.content_type)
        return page


def _form(body: bytes) -> dict[str, str]:
    """A form POST's fields: UTF-8, or GBK (gb18030) as an old site's own forms send them."""
    raw = body.decode("latin-1")
    try:
        return dict(parse_qsl(raw, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        return dict(parse_qsl(raw, encoding="gb18030"))


class _Handler(BaseHTTPRequestHandler):
    site: SampleSite
    protocol_version = "HTTP/1.1"  # keep-alive, as real portals do

    def do_GET(self) -> None:
        self.site.requests.append((self.command, self.path, dict(self.headers)))
        if self.path.startswith("/trap/reset"):  # drop the connection without an answer
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        page = self.site.respond(self.path, dict(self.headers))
        if page.not_modified(self.headers):
            self.site.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.end_headers()
            return
        self._send(page)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = _form(self.rfile.read(length))
        self.site.requests.append((self.command, self.path, dict(self.headers)))
        route, _, query = self.path.partition("?")
        page = (
            self.site.route("POST", self.path, form, dict(self.headers))
            or self.site.dataproxy(route, dict(parse_qsl(query)), form)
            or Page(b"not found", "text/plain", 404)
        )
        self._send(page)

    def _send(self, page: Page) -> None:
        self.send_response(page.status)
        if page.location:
            self.send_header("Location", page.location)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        for name, value in page.headers.items():
            self.send_header(name, value)
        if page.validators and page.status == 200:
            self.send_header("ETag", page.etag)
            self.send_header("Last-Modified", page.last_modified)
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are kept in site.requests instead."""


@contextmanager
def serve(root: Path = SITE_DIR) -> Iterator[SampleSite]:
    """Serve the sample site on 127.0.0.1 on a free port for the duration of the block."""
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    site = SampleSite(f"http://127.0.0.1:{server.server_address[1]}", root)
    handler.site = site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
