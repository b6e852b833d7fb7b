"""The explore portals on 127.0.0.1, each on its own port (its own site, with its own
robots.txt) and under its own path prefix, plus one more server, reached as `localhost` (a
host no seed allows), that the links out of the portals point to. All record every request
they receive."""

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .texts import Item, PortalData, load

HTML = "text/html; charset=utf-8"


@dataclass
class Answer:
    body: bytes
    content_type: str = HTML
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def html(cls, text: str, status: int = 200) -> "Answer":
        return cls(text.encode("utf-8"), HTML, status)

    @classmethod
    def json(cls, data: object, status: int = 200) -> "Answer":
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(body, "application/json;charset=UTF-8", status)


@dataclass
class Request:
    method: str
    target: str  # path and query, as sent
    headers: dict[str, str]
    body: bytes = b""
    portal: str = ""  # the portal whose server received it

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def json(self) -> dict:
        try:
            data = json.loads(self.body or b"null")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


Route = Callable[[Request], Answer | None]


class ExploreSite:
    """Every explore portal's pages and routes (answers computed from the request)."""

    def __init__(self, bases: dict[str, str], offsite_base: str) -> None:
        self.bases = bases  # portal -> its server's base URL
        self.offsite_base = offsite_base
        self.portals: dict[str, PortalData] = {p.id: p for p in load()}
        self.requests: list[Request] = []
        self.offsite_requests: list[Request] = []
        self.later = False
        self.pages: dict[str, Answer] = {}
        self.routes: list[Route] = []
        self.robots_lines: dict[str, str] = {}
        self.build()

    def build(self) -> None:
        from . import MODULES

        self.pages, self.routes = {}, [self._robots]
        for module in MODULES:
            module.install(self)

    def publish_later(self) -> None:
        """What the portals publish between the first crawl and the recrawl."""
        self.later = True
        self.build()

    # -- the items ----------------------------------------------------------------------

    def items(self, pid: str, list_name: str | None = None) -> list[Item]:
        """A portal's published items (in list order), of one list if named."""
        return [
            i
            for i in self.portals[pid].items
            if (self.later or not i.later) and (list_name is None or i.list == list_name)
        ]

    def notices(self, pid: str) -> list[Item]:
        return [i for i in self.items(pid) if i.notice]

    def non_notices(self, pid: str) -> list[Item]:
        return [i for i in self.items(pid) if not i.notice]

    def item_at(self, pid: str, path: str) -> Item | None:
        """The published item whose page is at this path."""
        return next((i for i in self.items(pid) if i.path == path), None)

    def find(self, pid: str, ident: str) -> Item | None:
        return next((i for i in self.items(pid) if i.id == ident), None)

    # -- URLs ---------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The URL of a path on the server of the portal its prefix names."""
        return self.bases[path.split("/")[1]] + path

    def robots(self, pid: str, lines: str) -> None:
        """What a portal's robots.txt says besides `User-agent: *`."""
        self.robots_lines[pid] = lines

    def _robots(self, request: Request) -> Answer | None:
        if request.path != "/robots.txt":
            return None
        lines = self.robots_lines.get(request.portal, "Disallow:\n")
        return Answer(f"User-agent: *\n{lines}".encode(), "text/plain")

    def offsite(self, path: str = "/") -> str:
        """A URL on a host no seed allows."""
        return self.offsite_base + path

    def add(self, path: str, answer: Answer | str) -> None:
        self.pages[path] = Answer.html(answer) if isinstance(answer, str) else answer

    def answer(self, request: Request) -> Answer:
        for route in self.routes:
            answer = route(request)
            if answer is not None:
                return answer
        if request.method == "GET":
            page = self.pages.get(request.target) or self.pages.get(request.path)
            if page is not None:
                return page
        return Answer.html("<html><body><h1>404 Not Found</h1></body></html>", 404)


OFFSITE_PAGE = (
    "<html><head><title>政务服务网</title></head><body><h1>政务服务网</h1>"
    '<a href="/art/1.html">中共某省委关于十九届中央第十轮巡视整改进展情况的通报</a></body></html>'
)


def _handler(record: Callable[[Request], Answer], pid: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            request = Request(self.command, self.path, dict(self.headers), body, pid)
            answer = record(request)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)

        do_GET = do_POST = do_HEAD = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the site keeps the requests."""

    return Handler


def _start(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def serve() -> Iterator[ExploreSite]:
    """Serve the explore portals on 127.0.0.1, and the out-of-scope host, for the block."""
    holder: list[ExploreSite] = []

    def portals(request: Request) -> Answer:
        holder[0].requests.append(request)
        return holder[0].answer(request)

    def offsite(request: Request) -> Answer:
        holder[0].offsite_requests.append(request)
        return Answer.html(OFFSITE_PAGE)

    servers = {p.id: _start(_handler(portals, p.id)) for p in load()}
    other = _start(_handler(offsite, ""))
    bases = {pid: f"http://127.0.0.1:{s.server_address[1]}" for pid, s in servers.items()}
    holder.append(ExploreSite(bases, f"http://localhost:{other.server_address[1]}"))
    try:
        yield holder[0]
    finally:
        for server in [*servers.values(), other]:
            server.shutdown()
            server.server_close()
