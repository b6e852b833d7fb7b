"""One crawl at a time per archive: an advisory lock file beside the database.

The operating system releases the lock when the process ends, however it ends (SIGKILL too).
"""

import fcntl
import os
import time
from pathlib import Path

from .errors import ArchiveLocked
from .models import utcnow


class CrawlLock:
    """An exclusive lock on `ARCHIVE.lock`, naming its holder."""

    def __init__(self, archive_path: str | Path) -> None:
        self.path = Path(f"{archive_path}.lock")
        self._file = None

    def acquire(self, *, wait: bool = False, timeout: float | None = None) -> None:
        """Take the lock; without `wait`, refuse at once if another crawl holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if self._current(handle):
                    break
                # the holder removed the file as it finished: lock the new one
                handle.close()
                handle = self.path.open("a+")
                continue
            except BlockingIOError:
                if not wait or (deadline is not None and time.monotonic() > deadline):
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    handle.close()
                    raise ArchiveLocked(
                        f"another crawl is writing {self.path.with_suffix('')} ({holder}); "
                        "wait for it to finish, or pass -s ARCHIVE_WAIT=True to wait"
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {utcnow()}")
        handle.flush()
        self._file = handle

    def _current(self, handle) -> bool:
        """True when the locked file is still the one at the lock's path."""
        try:
            return os.stat(self.path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            return False

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
