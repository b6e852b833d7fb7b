"""A crawl's exit status is true: interrupted by SIGINT or SIGTERM it exits 130 or 143 with one
line, stopped by CLOSESPIDER_TIMEOUT it exits 3 with its reason, and the browser going down
with a Ctrl-C is no browser failure. Real `scrapy crawl` processes, real signals, each sent
once the crawl is seen fetching (a page whose answer the server holds)."""

import configparser
import json
import os
import signal
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.commands.crawl import EXIT_STOPPED_EARLY
from crawler.settings import CLOSESPIDER_TIMEOUT
from demo.crawl import PROJECT_ROOT, crawl_command

from conftest import crawl_env, open_archive

NOTICE = "中共某县委关于巡察整改进展情况的通报"
UNITS = PROJECT_ROOT / "deploy" / "systemd"


class HeldSite:
    """A portal whose page `held` is answered only once `release` is set; `asked` is set when
    the crawler (or its browser) asks for it."""

    def __init__(self, held: str) -> None:
        self.held = held
        self.asked, self.release = threading.Event(), threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == site.held:
                    site.asked.set()
                    site.release.wait(timeout=60)
                if self.path == "/robots.txt":
                    self._answer(404, b"")
                elif self.path == "/":
                    link = f'<li><a href="/t1.html">{NOTICE}</a></li>'
                    self._answer(200, f"<html><body><ul>{link}</ul></body></html>".encode())
                else:
                    text = "<p>根据县委统一部署，县委巡察组对本单位开展了巡察。</p>" * 30
                    body = f"<html><head><title>{NOTICE}</title></head><body>{text}</body></html>"
                    self._answer(200, body.encode())

            def _answer(self, status: int, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the crawler is gone
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def seeds(self, path: Path, render: str = "http") -> Path:
        path.write_text(
            f'[[portal]]\nid = "held"\nname = "某县"\nstart_urls = ["{self.url}/"]\n'
            f'allowed_domains = ["127.0.0.1"]\nrender = "{render}"\n',
            "utf-8",
        )
        return path

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def held_site(request):
    site = HeldSite(request.param)
    yield site
    site.close()


def _start(seeds: Path, archive: Path, *extra: str) -> subprocess.Popen:
    """A crawl as a terminal or systemd runs it: a process group of its own, the default log
    level."""
    return subprocess.Popen(
        crawl_command(seeds, archive, *extra),
        cwd=PROJECT_ROOT,
        env=crawl_env(None),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _run(archive: Path) -> tuple[str, dict]:
    with open_archive(archive) as db:
        status, stats = db.db.execute("SELECT status, stats FROM runs").fetchone()
    return status, json.loads(stats)


@pytest.mark.parametrize("held_site", ["/"], indirect=True)
def test_ctrl_c_while_the_browser_renders_exits_130_and_is_no_browser_failure(held_site, tmp_path):
    archive = tmp_path / "a.db"
    crawl = _start(held_site.seeds(tmp_path / "s.toml", "browser"), archive)
    assert held_site.asked.wait(timeout=120), "the browser never asked for the page"
    os.killpg(crawl.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the browser gets it too
    held_site.release.set()
    out, err = crawl.communicate(timeout=180)
    assert crawl.returncode == 130, err
    assert err.splitlines() == ["interrupted (SIGINT): run #1 is marked interrupted"]
    assert "Crawl interrupted (shutdown)" in out and "browser could not start" not in out
    status, stats = _run(archive)
    assert status == "interrupted" and stats["crawl/interrupted"] == "SIGINT"
    assert "browser/unavailable" not in stats and stats["finish_reason"] == "shutdown"


@pytest.mark.parametrize("held_site", ["/t1.html"], indirect=True)
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_to_the_crawl_exits_128_plus_its_number(held_site, tmp_path, signum, code):
    archive = tmp_path / "a.db"
    crawl = _start(held_site.seeds(tmp_path / "s.toml"), archive, "-s", "BROWSER_ENABLED=False")
    assert held_site.asked.wait(timeout=120), "the crawl never asked for the notice"
    crawl.send_signal(signum)
    held_site.release.set()  # the page in flight is answered: the crawl stops gracefully
    _, err = crawl.communicate(timeout=120)
    assert crawl.returncode == code, err
    assert err.splitlines() == [f"interrupted ({signum.name}): run #1 is marked interrupted"]
    status, stats = _run(archive)
    assert status == "interrupted" and stats["crawl/interrupted"] == signum.name


@pytest.mark.parametrize("held_site", ["/t1.html"], indirect=True)
def test_a_crawl_stopped_by_its_time_limit_exits_3_with_the_reason(held_site, tmp_path):
    archive = tmp_path / "a.db"
    seeds = held_site.seeds(tmp_path / "s.toml")
    # the notice is never answered: the crawl can end only by its limit (its download
    # gives up after DOWNLOAD_TIMEOUT, which the close waits for)
    crawl = _start(
        seeds,
        archive,
        *("-s", "BROWSER_ENABLED=False", "-s", "CLOSESPIDER_TIMEOUT=1", "-s", "DOWNLOAD_TIMEOUT=5"),
    )
    _, err = crawl.communicate(timeout=120)
    assert crawl.returncode == EXIT_STOPPED_EARLY == 3, err
    assert err.splitlines()[-1] == (
        "Error: the crawl stopped at CLOSESPIDER_TIMEOUT (1) before reading every list; no "
        "notice was marked delisted"
    )
    assert _run(archive)[0] == "closespider_timeout"


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(UNITS / name, encoding="utf-8")
    return unit


@pytest.mark.parametrize("name", ["rectification-crawl.service", "rectification-worker@.service"])
def test_the_units_take_only_a_finished_crawl_for_a_success(name):
    service = _unit(name)["Service"]
    # 1: the crawl ran to its end and a portal was unreachable (the summary names it); a
    # failed browser, a lost Redis, a limit or a signal exit with codes that fail the unit
    assert service.get("SuccessExitStatus", "1").split() == ["1"]
    hours = int(service["TimeoutStartSec"].removesuffix("h"))
    assert hours * 3600 > CLOSESPIDER_TIMEOUT  # the crawl's own limit comes first (exit 3)
