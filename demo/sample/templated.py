"""A sample portal whose chrome uses words no rule lists (a date-and-source bar, a view
counter, a font-size and night-mode widget in table cells, a related-links block under a new
heading, an editor field, a footer), its notices rendered from one template (and from a
redesigned one): for the template model's tests and the extraction measurements (bench).
Not one of the demo's portals: it has its own server (`serve`), and its counter rises on
every view. The page templates are in templated_pages/."""

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template

TEMPLATES = Path(__file__).resolve().parent / "templated_pages"
_WORDS = "整改 措施 制度 问题 督导 落实 责任 清单 基层 党建 资金 项目 监督 干部 群众 服务 管理 机制"
WORDS = _WORDS.split()
SITE = "某某县人民政府"
COLUMN = "巡察整改"
_UNITS = "县教育局 县民政局 县财政局 县水利局 县审计局 县卫健局 县林业局 县文旅局"
UNITS = _UNITS.split()
CLOSING = "特此通报。"  # the same last paragraph on every notice: content, not chrome


@dataclass
class Notice:
    index: int
    title: str
    date: str
    source: str
    paragraphs: list[str]

    @property
    def path(self) -> str:
        return f"/xcgz/2024{self.index + 1:02d}/t2024{self.index + 1:02d}15_{900 + self.index}.html"


def paragraphs(seed: int, count: int, words: int) -> list[str]:
    """`count` made-up paragraphs of rectification words, each ending in a count (seeded)."""
    rng = random.Random(seed)
    return [
        "".join(rng.choice(WORDS) for _ in range(words)) + f"，共{rng.randint(1, 300)}项。"
        for _ in range(count)
    ]


def notice(index: int) -> Notice:
    unit = UNITS[index % len(UNITS)]
    body = paragraphs(seed=index, count=12, words=40)
    opening = (
        f"根据县委统一部署，县委第{index + 1}巡察组对{unit}党组开展了常规巡察，"
        f"并反馈了巡察意见。现将巡察整改情况予以公布。"
    )
    return Notice(
        index,
        f"中共某某{unit}党组关于县委第{index + 1}轮巡察整改情况的通报",
        f"2024-{index + 1:02d}-15",
        unit if index % 3 else "县委巡察办",
        [opening, *body, CLOSING, f"中共某某{unit}党组", f"2024年{index + 1}月15日"],
    )


def render(item: Notice, counter: int, style: str = "article", related: list[Notice] = ()) -> bytes:
    links = "".join(f'<li><a href="{r.path}">{r.title}</a></li>' for r in related)
    page = Template((TEMPLATES / f"{style}.html").read_text("utf-8")).substitute(
        title=item.title,
        column=COLUMN,
        site=SITE,
        source=item.source,
        date=item.date,
        counter=counter,
        body="\n".join(f"<p>{p}</p>" for p in item.paragraphs),
        related=links,
        editor=("张三", "李四")[item.index % 2],
        icp="12345678",
    )
    return page.encode("utf-8")


@dataclass
class Portal:
    """The portal's notices, served with a counter that rises on every view."""

    count: int = 6
    style: str = "article"
    base_url: str = ""
    views: int = 2596
    notices: list[Notice] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.notices = [notice(i) for i in range(self.count)]

    def list_page(self) -> bytes:
        links = "".join(
            f'<li><a href="{n.path}">{n.title}</a><span>{n.date}</span></li>' for n in self.notices
        )
        return (
            f"<html><head><meta charset='utf-8'><title>{COLUMN}_{SITE}</title></head><body>"
            f"<h2>{COLUMN}</h2><ul class='list'>{links}</ul></body></html>"
        ).encode()

    def page(self, path: str) -> bytes | None:
        if path in ("/", "/xcgz/"):
            return self.list_page()
        for item in self.notices:
            if item.path == path:
                self.views += 7
                return render(
                    item, self.views, self.style, [n for n in self.notices if n is not item][:2]
                )
        return None

    def seeds(self) -> str:
        return (
            "[[portal]]\n"
            'id = "tpl"\n'
            'name = "某某县人民政府（模板样例）"\n'
            'level = "county"\n'
            f'start_urls = ["{self.base_url}/xcgz/"]\n'
            'allowed_domains = ["127.0.0.1"]\n'
        )


@contextmanager
def serve(portal: Portal) -> Iterator[Portal]:
    """Serve the portal on 127.0.0.1 on a free port for the duration of the block."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = portal.page(self.path)
            if self.path == "/robots.txt" or body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    portal.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield portal
    finally:
        server.shutdown()
        server.server_close()
