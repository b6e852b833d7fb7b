"""A real HTTP receiver on 127.0.0.1 for Apprise's json:// and form:// notifications: it keeps
what it was sent, and answers 500 to the next `fail` deliveries."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class Receiver:
    def __init__(self) -> None:
        self.received: list[dict] = []  # messages accepted
        self.refused: list[dict] = []  # messages answered with a 500
        self.fail = 0
        self.lock = threading.Lock()
        self.port = 0

    def url(self, scheme: str = "json") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/"

    def take(self, body: bytes, content_type: str) -> bool:
        """Keep a message; False when told to fail it."""
        json_body = "json" in content_type
        message = json.loads(body) if json_body else dict(parse_qsl(body.decode()))
        with self.lock:
            if self.fail:
                self.fail -= 1
                self.refused.append(message)
                return False
            self.received.append(message)
            return True


@contextmanager
def receiver() -> Iterator[Receiver]:
    box = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = box.take(body, self.headers.get("Content-Type", ""))
            self.send_response(200 if ok else 500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
