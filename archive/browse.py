"""Datasette over an archive: the bundled metadata, keyed by the archive file's name."""

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

METADATA = Path(__file__).parent / "datasette" / "metadata.json"
_KEY = "archive"  # the database name the bundled metadata is written for


def metadata_for(db: Path) -> dict:
    """The bundled metadata, for an archive file of any name (Datasette keys it by stem)."""
    metadata = json.loads(METADATA.read_text("utf-8"))
    metadata["databases"] = {db.stem: metadata["databases"][_KEY]}
    return metadata


def datasette_command(db: Path, metadata_path: Path, extra: tuple[str, ...]) -> list[str]:
    """The `datasette serve` command line for an archive and its metadata file."""
    return ["datasette", "serve", str(db), "-m", str(metadata_path), *extra]


def serve(db: Path, extra: tuple[str, ...] = ()) -> int:
    """Run `datasette serve` on an archive with the bundled metadata until it stops; return
    its exit status. The metadata file lives as long as the server and is removed after it
    (also on Ctrl-C or SIGTERM, which are passed on to the server)."""
    with tempfile.TemporaryDirectory(prefix="archive-datasette-") as tmp:
        metadata = Path(tmp) / f"{db.stem}.metadata.json"
        metadata.write_text(json.dumps(metadata_for(db), ensure_ascii=False), "utf-8")
        server = subprocess.Popen([sys.executable, "-m", *datasette_command(db, metadata, extra)])
        previous = signal.signal(signal.SIGTERM, lambda signum, _: server.send_signal(signum))
        try:
            while True:
                try:
                    return server.wait()
                except KeyboardInterrupt:  # the server, in our process group, got it too
                    continue
        finally:
            signal.signal(signal.SIGTERM, previous)
