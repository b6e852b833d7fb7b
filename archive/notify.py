"""Alerts: after each crawl, one message per run, sent through Apprise to wherever people read
(e-mail, a webhook, DingTalk, WeCom, Feishu/Lark, Telegram …; docs/alerts.md).

A run's message names its notices that are new, changed (with the figures that changed), gone
and delisted, each with a link to its notice page, and the portals whose health it changed
(archive.health). Messages are made from the event log (archive.events) and the ledger.

Each destination keeps, in the archive, the last event and run delivered to it (table
notify_deliveries, keyed by the SHA-256 of its URL, which holds its secret). A delivery that
fails is logged and tried again at the next call from there, with the runs after it, in order:
nothing is lost, and a message is not sent again once its delivery was recorded (only a process
killed between a delivery and its record, a moment, would send it twice).
"""

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlite_utils import Database

from . import feed, health
from .errors import ArchiveError
from .models import utcnow

logger = logging.getLogger(__name__)

# the notices' events a message lists, by heading
SECTIONS = (
    ("New", ("new",)),
    ("Changed", ("changed", "revert")),
    ("Gone", ("gone", "soft-gone")),
    ("Delisted", ("delisted",)),
)
MAX_LISTED = 30  # per section; the rest is counted, with a link to the changes page


class NotifyError(ArchiveError):
    """A destination that is not an Apprise URL, or a call with nothing to start from."""


@dataclass
class Message:
    """One run's message (run None: events outside any crawl, e.g. a re-extraction)."""

    run: int | None
    events: list[dict] = field(default_factory=list)
    health: list[dict] = field(default_factory=list)
    last_event: int = 0

    @property
    def empty(self) -> bool:
        return not self.events and not self.health


@dataclass
class Delivery:
    """What a call did for one destination."""

    destination: str  # the URL as Apprise shows it, secrets hidden
    sent: list[int | None] = field(default_factory=list)  # the runs whose message was sent
    error: str | None = None  # why the next message failed (it is sent again next time)


# -- composing --------------------------------------------------------------------------


def notice_link(url: str, base: str | None) -> str:
    """A notice's page in the web view at `base` (WEB_BASE_URL), else the notice itself."""
    if not base:
        return url
    return f"{base.rstrip('/')}/-/notice?url={quote(url, safe='')}"


def pending(
    db: Database, after: int, last_run: int, *, silent_runs: int = health.SILENT_RUNS
) -> list[Message]:
    """The messages not yet delivered: the events after event `after` and the health changes
    of the runs after `last_run`, one message per run (oldest first; events outside a crawl
    first). A run still running waits for its end, and so does everything after it; a run
    with nothing to say makes an empty message (not sent, but delivered past)."""
    runs, running = [], None
    for run_id, status in db.execute(
        "SELECT id, status FROM runs WHERE id > ? ORDER BY id", [last_run]
    ).fetchall():
        if status == "running":
            running = run_id
            break
        runs.append(run_id)
    messages: dict[int | None, Message] = {run: Message(run) for run in runs}
    for row in sorted(feed.changes(db, after=after), key=lambda r: r["event"]):
        run = row["run"]
        if run is not None and running is not None and run >= running:
            break
        message = messages.setdefault(run, Message(run))
        message.events.append(row)
        message.last_event = row["event"]
    for run in runs:
        messages[run].health = health.changes(db, run, silent_runs)
    return sorted(messages.values(), key=lambda m: (m.run is not None, m.run or 0))


def _line(row: dict, base: str | None) -> list[str]:
    title = row["title"] or row["url"]
    head = f"- {title} ({row['portal'] or '-'})"
    if row.get("figures_summary"):
        head += f"; figures: {row['figures_summary']}"
    return [head, f"  {notice_link(row['url'], base)}"]


def compose(message: Message, base: str | None = None) -> tuple[str, str]:
    """A message's title and text."""
    notices = [r for r in message.events if not r["kind"].startswith("file-")]
    parts, counts = [], []
    for heading, kinds in SECTIONS:
        rows = [r for r in notices if r["kind"] in kinds]
        if not rows:
            continue
        counts.append(f"{len(rows)} {heading.lower()}")
        parts.append(f"{heading} ({len(rows)}):")
        for row in rows[:MAX_LISTED]:
            parts += _line(row, base)
        if len(rows) > MAX_LISTED:
            more = f"… and {len(rows) - MAX_LISTED} more"
            if base:
                first = rows[0]["event"] - 1
                more += f": {base.rstrip('/')}/-/changes?after={first}"
            parts.append(more)
    if message.health:
        counts.append(f"{len(message.health)} portal(s) changed health")
        parts.append("Portal health:")
        for change in message.health:
            line = f"- {change['portal']}: {change['before'] or 'new'} -> {change['state']}"
            parts.append(line + (f" ({change['reason']})" if change["reason"] else ""))
    name = f"run #{message.run}" if message.run is not None else "outside a crawl"
    title = f"Rectification notices, {name}: " + (", ".join(counts) or "nothing new")
    return title, "\n".join(parts)


# -- delivering ---------------------------------------------------------------------------


@contextmanager
def _apprise_logs() -> Iterator[None]:
    """Apprise's own log records stay with Apprise (its results keep them, and the reason of a
    failure is logged here once): they do not reach the crawl's log too."""
    apprise_log = logging.getLogger("apprise")
    before, apprise_log.propagate = apprise_log.propagate, False
    try:
        yield
    finally:
        apprise_log.propagate = before


def check_url(url: str) -> None:
    """Refuse (NotifyError) a URL that Apprise does not know."""
    _apprise(url)


def _apprise(url: str):
    """An Apprise object for one URL (NotifyError when Apprise does not know the URL)."""
    import apprise

    client = apprise.Apprise()
    with _apprise_logs():
        known = client.add(url)
    if not known:
        raise NotifyError(f"not an Apprise URL: {shown_as(url)}")
    return client


def shown_as(url: str) -> str:
    """A URL as it may be shown and stored: Apprise's private form (its secrets hidden)."""
    import apprise

    with _apprise_logs():
        plugin = apprise.Apprise.instantiate(url)
    if plugin is None:  # its scheme only: the rest may be a secret
        return url.split(":", 1)[0] + "://…"
    return plugin.url(privacy=True).split("?", 1)[0]  # its options are Apprise's defaults


def apprise_send(url: str, title: str, body: str) -> str | None:
    """Send one message with Apprise; None when delivered, else why not."""
    client = _apprise(url)
    with _apprise_logs():
        result = client.notify(body=body, title=title)
    if result:
        return None
    reasons = [
        entry.message
        for entry in result.logs()
        if logging.getLevelName(entry.level) in (logging.WARNING, logging.ERROR, logging.CRITICAL)
    ]
    return "; ".join(reasons[-2:]) or "the destination refused the message"


def destination_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def cursor(db: Database, url: str) -> tuple[int, int] | None:
    """The last event and run delivered to a destination, or None (never delivered to)."""
    row = db.execute(
        "SELECT last_event, last_run FROM notify_deliveries WHERE destination = ?",
        [destination_key(url)],
    ).fetchone()
    return (row[0], row[1]) if row else None


def start_at_run(db: Database, run_id: int) -> tuple[int, int]:
    """A cursor that starts with a run: the last event before it, the run before it."""
    row = db.execute(
        "SELECT coalesce((SELECT min(id) FROM events WHERE run_id = ?) - 1, "
        "(SELECT max(id) FROM events), 0)",
        [run_id],
    ).fetchone()
    return row[0], run_id - 1


def _store(db: Database, url: str, values: dict) -> None:
    key = destination_key(url)
    with db.atomic():
        db.execute(
            "INSERT OR IGNORE INTO notify_deliveries (destination, shown_as, last_event, "
            "last_run) VALUES (?, ?, 0, 0)",
            [key, shown_as(url)],
        )
        sets = ", ".join(f"{name} = ?" for name in values)
        db.execute(
            f"UPDATE notify_deliveries SET {sets} WHERE destination = ?", [*values.values(), key]
        )


def deliver(
    db: Database,
    url: str,
    start: tuple[int, int],
    *,
    base: str | None = None,
    silent_runs: int = health.SILENT_RUNS,
    send: Callable[[str, str, str], str | None] = apprise_send,
) -> Delivery:
    """Send one destination its pending messages from `start` (last event, last run), one at
    a time, recording each delivery; stop at the first failure (recorded, sent again next
    time)."""
    _apprise(url)  # an URL Apprise does not know is refused before anything is read
    done = Delivery(shown_as(url))
    last_event, last_run = start
    for message in pending(db, last_event, last_run, silent_runs=silent_runs):
        last_event = max(last_event, message.last_event)
        last_run = max(last_run, message.run or 0)
        if not message.empty:
            title, body = compose(message, base)
            error = send(url, title, body)
            if error is not None:
                logger.error("alert to %s not delivered: %s", done.destination, error)
                done.error = error
                _store(db, url, {"failed_at": utcnow(), "error": error[:500]})
                return done
            done.sent.append(message.run)
        delivered = {"last_event": last_event, "last_run": last_run, "delivered_at": utcnow()}
        _store(db, url, {**delivered, "error": None})
    return done


def notify(
    db: Database,
    urls: Iterable[str],
    *,
    after: int | None = None,
    new_from_run: int | None = None,
    base: str | None = None,
    silent_runs: int = health.SILENT_RUNS,
) -> list[Delivery]:
    """Send every destination what it has not had: from event `after` when given, else from
    its last delivery, else (a destination never delivered to) from run `new_from_run`."""
    deliveries = []
    for url in urls:
        if after is not None:
            # the runs up to the event's were delivered with it
            run = db.execute(
                "SELECT coalesce(max(run_id), 0) FROM events WHERE id <= ?", [after]
            ).fetchone()[0]
            start = (after, run)
        else:
            start = cursor(db, url)
            if start is None and new_from_run is None:
                raise NotifyError(
                    f"nothing was ever sent to {shown_as(url)}: give --after EVENT_ID "
                    "(0: every event) the first time"
                )
            start = start or start_at_run(db, new_from_run)
        deliveries.append(deliver(db, url, start, base=base, silent_runs=silent_runs))
    return deliveries
