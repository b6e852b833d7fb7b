"""A list its page's own script holds as data and a client-side pager draws (no request, no
link in the page as served): explored once in Chromium, then read by its inline recipe over
plain HTTP, the item URLs made by the rule the drawn links showed. One crawl and one recrawl
(after the portal published) shared by the module."""

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import open_archive, run_crawl
from reading_helpers import notice_html

NOTICES = {
    1006: "中共某区民政局党组关于区委第六轮巡察整改进展情况的通报",
    1010: "中共某区财政局党组关于区委第六轮巡察整改进展情况的通报",
}
LATER = {1013: "中共某区水利局党组关于区委第七轮巡察整改进展情况的通报"}
NEWS = "区委巡察办召开第{}次工作会议"

LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告_某区人民政府</title>
</head><body><h2>通知公告</h2><ul id="list"></ul>
<div class="pager"><a href="javascript:void(0)" id="next">下一页</a></div>
<script>
var articles = %s;
var page = 0, size = 4;
function show() {
  var html = '';
  articles.slice(page * size, page * size + size).forEach(function (a) {
    html += '<li><a href="/art/' + a.id + '.html">' + a.title + '</a><span>' + a.date + '</span></li>';
  });
  document.getElementById('list').innerHTML = html;
}
document.getElementById('next').onclick = function () {
  if ((page + 1) * size < articles.length) { page += 1; show(); }
};
show();
</script></body></html>"""


class Portal:
    def __init__(self) -> None:
        self.titles = {1000 + n: NEWS.format(n) for n in range(12)} | NOTICES
        self.requests: list[str] = []

    def publish(self) -> None:
        self.titles = LATER | self.titles

    def page(self, path: str) -> tuple[int, str]:
        if path == "/index.html":
            return 200, '<html><body><a href="/tzgg/index.html">通知公告</a></body></html>'
        if path == "/tzgg/index.html":
            records = [
                {"id": k, "title": t, "date": "2025-01-01"}
                for k, t in sorted(self.titles.items(), reverse=True)
            ]
            return 200, LIST % json.dumps(records, ensure_ascii=False)
        ident = path.removeprefix("/art/").removesuffix(".html")
        if ident.isdigit() and int(ident) in self.titles:
            return 200, notice_html(self.titles[int(ident)])
        return 404, "<html><body>404</body></html>"


@pytest.fixture(scope="module")
def portal():
    site = Portal()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            status, text = site.page(self.path) if self.path != "/robots.txt" else (200, "")
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield site
    server.shutdown()
    server.server_close()


def _crawl(portal, folder, name: str) -> dict:
    seeds = folder / "seeds.toml"
    seeds.write_text(
        f'[[portal]]\nid = "inline"\nname = "某区人民政府"\n'
        f'start_urls = ["{portal.base}/index.html"]\nallowed_domains = ["127.0.0.1"]\n',
        "utf-8",
    )
    result = run_crawl(seeds, folder / name)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.errors_logged, result.stderr[-3000:]
    with open_archive(folder / name) as archive:
        row = next(iter(archive.db.query("SELECT stats FROM runs ORDER BY id DESC LIMIT 1")))
        urls = {page["url"] for page in archive.list_pages()}
    return {"stats": json.loads(row["stats"]), "urls": urls}


@pytest.fixture(scope="module")
def crawls(portal, tmp_path_factory):
    folder = tmp_path_factory.mktemp("inline")
    first = _crawl(portal, folder, "archive.db")
    with (
        sqlite3.connect(folder / "archive.db") as source,
        sqlite3.connect(folder / "recrawl.db") as target,
    ):
        source.backup(target)
    portal.publish()
    return first, _crawl(portal, folder, "recrawl.db")


def test_the_notices_a_client_pager_shows_are_found_by_exploring(portal, crawls):
    first, _ = crawls
    assert first["urls"] == {f"{portal.base}/art/{k}.html" for k in NOTICES}
    assert first["stats"]["playwright/browser_count"] == 1
    assert first["stats"]["portal/inline/recipes_stored"] == 1


def test_the_recrawl_reads_the_inline_data_over_http(portal, crawls):
    _, again = crawls
    assert again["stats"].get("playwright/browser_count", 0) == 0
    assert again["stats"]["portal/inline/recipes_replayed"] == 1
    assert f"{portal.base}/art/1013.html" in again["urls"]
    assert again["stats"]["portal/inline/delisted"] == 0
