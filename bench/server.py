"""A fast server for the synthetic portal: asyncio in its own process, pages from memory.

It must not be what the crawl waits for, nor take the crawl's CPU: no thread per request, no
parsing beyond the request line and the headers it needs. Control requests under /__bench/
apply an edit (the same, seeded, as in the bench process) and report the bytes sent.
"""

import asyncio
import json
import multiprocessing
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from .portal import BenchSite

_REASONS = {200: b"OK", 304: b"Not Modified", 404: b"Not Found"}


class _Server:
    def __init__(self, site: BenchSite, latency: float = 0.0) -> None:
        self.site = site
        self.latency = latency  # seconds before each answer (a slow portal server)
        self.bytes_sent = 0

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, str | None]:
        if path.startswith("/__bench/edit/"):
            return 200, str(self.site.edit(float(path.rsplit("/", 1)[1]))).encode(), None
        if path == "/__bench/bytes":
            return 200, json.dumps(self.bytes_sent).encode(), None
        found = self.site.pages.get(path.split("?")[0])
        if found is None:
            return 404, b"", None
        body, etag = found
        if headers.get("if-none-match") == etag:
            return 304, b"", etag
        self.bytes_sent += len(body)
        return 200, body, etag

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                path = line.split(b" ")[1].decode("latin-1")
                headers = {}
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                status, body, etag = self.answer(path, headers)
                if self.latency and not path.startswith("/__bench/"):
                    await asyncio.sleep(self.latency)
                head = b"HTTP/1.1 %d %s\r\nContent-Length: %d\r\n" % (
                    status,
                    _REASONS[status],
                    len(body) if status != 304 else 0,
                )
                head += b"Content-Type: text/html; charset=utf-8\r\n"
                if etag:
                    head += b"ETag: " + etag.encode() + b"\r\n"
                writer.write(head + b"\r\n" + (body if status == 200 else b""))
                await writer.drain()
        except (ConnectionError, IndexError):
            pass  # the client went away, or sent nothing we can answer: close
        finally:
            writer.close()


def _run(site: BenchSite, ready, latency: float) -> None:
    async def main() -> None:
        server = await asyncio.start_server(_Server(site, latency).handle, "127.0.0.1", 0)
        ready.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class Served:
    """The bench process's handle on the served site."""

    def __init__(self, site: BenchSite, base_url: str) -> None:
        self.site = site
        self.base_url = base_url

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base_url + path, timeout=600) as answer:
            return answer.read()

    @property
    def bytes_sent(self) -> int:
        return int(self._get("/__bench/bytes"))

    def edit(self, fraction: float) -> int:
        """Edit the same pages here and in the server; return how many."""
        self.site.edit(fraction)
        return int(self._get(f"/__bench/edit/{fraction}"))


@contextmanager
def serve(site: BenchSite, latency: float = 0.0) -> Iterator[Served]:
    """Serve the site from a forked process on a free port of 127.0.0.1 (each answer after
    `latency` seconds)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(site, send, latency), daemon=True)
    process.start()
    port = receive.recv()
    site.base_url = f"http://127.0.0.1:{port}"
    try:
        yield Served(site, site.base_url)
    finally:
        process.terminate()
        process.join()
