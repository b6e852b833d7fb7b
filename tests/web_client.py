"""The web view in-process: Datasette over an archive with the bundled metadata and the
archive's plugin, read through Datasette's own ASGI client (no server, no browser), and the
pages it answers read as a browser would parse them.

Datasette's client is async; WebClient runs it on an event loop in a thread of its own, so a
test may call it from a thread where another loop runs (the web tests' Playwright browser)."""

import asyncio
import threading
from pathlib import Path

import httpx
from datasette.app import Datasette
from datasette.plugins import pm
from parsel import Selector

from archive import browse
from archive import datasette as plugin


class WebClient:
    def __init__(self, archive: Path, metadata: dict | None = None):
        if not pm.is_registered(plugin):  # the checkout: the entry point is not installed
            pm.register(plugin, name="archive.datasette")
        self.datasette = Datasette(
            [str(archive)],
            metadata=metadata or browse.metadata_for(archive),
            settings=browse.SETTINGS,
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._run(self.datasette.invoke_startup())

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=120)

    def get(self, path: str) -> httpx.Response:
        return self._run(self.datasette.client.get(path))

    def page(self, path: str) -> Selector:
        """A page that must answer 200, parsed."""
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[-2000:])
        return Selector(text=response.text)

    def close(self) -> None:
        for database in self.datasette.databases.values():
            database.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    def __enter__(self) -> "WebClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def text(node: Selector) -> str:
    """An element's text as Playwright's text assertions read it: its textContent, with runs of
    whitespace made one space."""
    return " ".join("".join(node.xpath(".//text()").getall()).split())


def texts(page: Selector, css: str) -> list[str]:
    """The text of every element matching a CSS selector."""
    return [text(node) for node in page.css(css)]
