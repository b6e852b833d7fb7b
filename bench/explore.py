"""What exploring lists costs: a synthetic portal whose four lists only a visitor's actions
page (加载更多 by offset, a JSON feed by cursor, an ASP.NET postback pager, rows that are no
links), crawled from its home page twice: the first crawl explores each list in Chromium and
stores its recipe; the second, after each list published one more notice, replays the recipes
over plain HTTP (it should start no browser).

Reported: the first crawl's seconds, browser seconds per explored list and browser starts; the
recrawl's seconds, browser starts, recipes replayed and the new notices it found."""

import hashlib
import json
import random
import sqlite3
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from demo.crawl import PROJECT_ROOT, crawl_command

from .portal import LIST, Notice, _clauses, _detail, _notice

SHOWN = 10  # items a list shows before its mechanism
LISTS = {
    "more": "通知公告",
    "cursor": "党建工作",
    "postback": "巡察工作",
    "rows": "信息公开",
}


def _page(title: str, main: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_某市人民政府</title>'
        f'</head><body><div class="nav"><a href="/index.html">首页</a></div>{main}</body></html>'
    ).encode()


def _links(notices: list[Notice]) -> str:
    return "".join(
        f'<li><a href="{n.path}">{n.title}</a><span>{n.date}</span></li>' for n in notices
    )


class ExploreSite:
    """The portal's lists and pages; `publish` adds one notice at the top of every list."""

    def __init__(self, per_list: int, seed: int = 2024) -> None:
        rng = random.Random(seed)
        clauses = tuple(_clauses())
        self.lists = {
            name: [_notice(k * 1000 + i, clauses, rng) for i in range(per_list + 1)]
            for k, name in enumerate(LISTS)
        }
        self.pages = {}
        self.shown = {name: items[1:] for name, items in self.lists.items()}  # one held back
        for items in self.lists.values():
            for notice in items:
                self.pages[notice.path] = _detail(notice, random.Random(notice.path))

    def publish(self) -> None:
        self.shown = dict(self.lists)

    def home(self) -> bytes:
        links = "".join(
            f'<li><a href="/{name}/index.html">{label}</a></li>' for name, label in LISTS.items()
        )
        return _page("首页", f"<ul>{links}</ul>")

    # -- the four lists ---------------------------------------------------------------------

    def more(self, query: dict) -> bytes:
        if "start" in query:
            start = int(query["start"])
            return _links(self.shown["more"][start : start + SHOWN]).encode()
        script = (
            "<script>var n = SHOWN; document.getElementById('more').addEventListener('click', "
            "function () { var x = new XMLHttpRequest(); x.open('GET', '/more/index.html?start=' "
            "+ n); x.onload = function () { document.getElementById('list').insertAdjacentHTML("
            "'beforeend', x.responseText); n += SHOWN; }; x.send(); });</script>"
        ).replace("SHOWN", str(SHOWN))
        shown = _links(self.shown["more"][:SHOWN])
        main = f'<ul id="list">{shown}</ul><button id="more">加载更多</button>'
        return _page("通知公告", main + script)

    def cursor(self, query: dict) -> bytes:
        items = self.shown["cursor"]
        if "feed" not in query:
            script = (
                "<script>var c = null; function load() { fetch('/cursor/index.html?feed=1' + "
                "(c ? '&cursor=' + c : '')).then(function (r) { return r.json(); }).then("
                "function (d) { d.records.forEach(function (a) { var li = "
                "document.createElement('li'); li.innerHTML = '<a></a>'; li.firstChild.href = "
                "a.link; li.firstChild.textContent = a.title; document.getElementById('list')"
                ".appendChild(li); }); c = d.next; }); } document.getElementById('more')"
                ".addEventListener('click', load); load();</script>"
            )
            return _page(
                "党建工作", '<ul id="list"></ul><button id="more">查看更多</button>' + script
            )
        keys = [hashlib.md5(n.path.encode()).hexdigest()[:10] for n in items]
        start = keys.index(query["cursor"]) + 1 if query.get("cursor") in keys else 0
        batch = items[start : start + SHOWN]
        more = start + SHOWN < len(items)
        records = [{"title": n.title, "link": n.path} for n in batch]
        data = {"records": records, "next": keys[start + len(batch) - 1] if more else None}
        return json.dumps(data, ensure_ascii=False).encode()

    def postback(self, form: dict) -> bytes:
        items = self.shown["postback"]
        page = int(form.get("__EVENTARGUMENT") or 1)
        state = hashlib.sha1(f"{page}".encode()).hexdigest()
        count = -(-len(items) // SHOWN)
        pager = "".join(
            f"<a href=\"javascript:__doPostBack('pager','{n}')\">{n}</a> "
            for n in range(1, count + 1)
            if n != page
        )
        if page < count:
            pager += f"<a href=\"javascript:__doPostBack('pager','{page + 1}')\">下一页</a>"
        main = (
            '<form id="f" method="post" action="/postback/index.html">'
            '<input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" '
            'name="__EVENTARGUMENT" value="">'
            f'<input type="hidden" name="__VIEWSTATE" value="{state}">'
            f"<ul>{_links(items[(page - 1) * SHOWN : page * SHOWN])}</ul><div>{pager}</div></form>"
            "<script>function __doPostBack(t, a) { var f = document.getElementById('f'); "
            "f.__EVENTTARGET.value = t; f.__EVENTARGUMENT.value = a; f.submit(); }</script>"
        )
        return _page("巡察工作", main)

    def rows(self) -> bytes:
        """Rows with the article's folder and file name in data attributes, opened by one
        handler on the table that builds the URL from them."""
        rows = "".join(
            f'<tr data-ym="{n.path.split("/")[-2]}" data-id="{n.path.rsplit("/", 1)[1][:-4]}" '
            f'style="cursor:pointer"><td>{n.title}</td><td>{n.date}</td></tr>'
            for n in self.shown["rows"]
        )
        script = (
            "<script>document.getElementById('t').addEventListener('click', function (e) { "
            "var r = e.target.closest('tr'); if (r) { location.href = 'LIST' + "
            "r.getAttribute('data-ym') + '/' + r.getAttribute('data-id') + '.htm'; } });</script>"
        ).replace("LIST", LIST)
        return _page("信息公开", f'<table id="t">{rows}</table>' + script)

    def answer(self, method: str, path: str, query: dict, form: dict) -> tuple[int, bytes, str]:
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path == "/index.html":
            return 200, self.home(), html
        if path == "/more/index.html":
            return 200, self.more(query), html
        if path == "/cursor/index.html":
            kind = "application/json" if "feed" in query else html
            return 200, self.cursor(query), kind
        if path == "/postback/index.html":
            return 200, self.postback(form if method == "POST" else {}), html
        if path == "/rows/index.html":
            return 200, self.rows(), html
        if path in self.pages:
            return 200, self.pages[path], html
        return 404, b"", html


def _serve(site: ExploreSite) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            form = dict(parse_qsl(body.decode("utf-8", "replace")))
            status, data, kind = site.answer(
                self.command, parts.path, dict(parse_qsl(parts.query)), form
            )
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _crawl(seeds: Path, archive: Path) -> dict:
    started = time.perf_counter()
    command = crawl_command(seeds, archive, "-s", "LOG_LEVEL=WARNING")
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"the crawl failed: {done.stderr[-2000:]}")
    seconds = time.perf_counter() - started
    with sqlite3.connect(archive) as db:
        stats = json.loads(
            db.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        )
        notices = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    mine = "portal/bench-explore/"

    def stat(name: str) -> int:
        return int(stats.get(mine + name, 0))

    explored = stat("explored")
    return {
        "seconds": round(seconds, 1),
        "browser_starts": int(stats.get("playwright/browser_count", 0)),
        "lists_explored": explored,
        "browser_seconds_per_list": round(stat("explore_ms") / 1000 / explored, 2)
        if explored
        else 0,
        "recipes_learned": stat("recipes_learned"),
        "recipes_replayed": stat("recipes_replayed"),
        "recipe_calls": stat("recipe_calls"),
        "notices_archived": notices,
    }


def run(per_list: int, workdir: Path, log=print) -> dict:
    """Crawl the portal, then recrawl it after every list published one notice."""
    site = ExploreSite(per_list)
    server = _serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    seeds = workdir / "bench-explore.toml"
    seeds.write_text(
        '[[portal]]\nid = "bench-explore"\nname = "某市人民政府"\n'
        f'start_urls = ["{base}/index.html"]\nallowed_domains = ["127.0.0.1"]\n',
        "utf-8",
    )
    archive = workdir / "bench-explore.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive}{suffix}").unlink(missing_ok=True)
    try:
        first = _crawl(seeds, archive)
        log(f"[explore] first crawl: {first}")
        site.publish()
        again = _crawl(seeds, archive)
        log(f"[explore] recrawl: {again}")
    finally:
        server.shutdown()
        server.server_close()
    again["new_notices"] = again.pop("notices_archived") - first["notices_archived"]
    return {
        "lists": len(LISTS),
        "notices_per_list": per_list,
        "first_crawl": first,
        "recrawl": again,
    }


def line(result: dict) -> str:
    first, again = result["first_crawl"], result["recrawl"]
    return (
        f"exploration ({result['lists']} lists of {result['notices_per_list']} notices): "
        f"first crawl {first['seconds']} s, {first['lists_explored']} lists explored, "
        f"{first['browser_seconds_per_list']} browser s per list, "
        f"{first['browser_starts']} browser start(s); "
        f"recrawl {again['seconds']} s, {again['browser_starts']} browser start(s), "
        f"{again['recipes_replayed']} recipes replayed, {again['new_notices']} new notices of "
        f"{result['lists']}"
    )
