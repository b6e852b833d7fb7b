"""The archive writer of a distributed crawl: `python -m crawler ingest redis://…`.

It owns the archive file (holding its crawl lock) and applies the workers' messages with the
code a local crawl uses (crawler.writer.ArchiveWriter). The queue is reliable: a message is
moved (BLMOVE) to a processing list, applied in one transaction that also records its id
(table ingested_messages), and removed from the processing list only after the commit. A
restarted writer first finishes its processing list, skipping the ids already recorded.

After each run's end, and when it starts, the writer publishes the recrawl state (the known
pages of every portal, their validators and ages, the attachments never fetched) to Redis,
where the workers read it instead of the archive; and, with it and whenever a portal's chrome
changes, the portals' template models (crawler.templates), which the workers extract with.
"""

import json
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import redis

from archive import Archive
from archive.errors import ArchiveError, ArchiveWriteError
from archive.lock import CrawlLock
from archive.models import utcnow
from notice.template import PortalChrome

from . import stats as stat_keys
from .alerts import Alerts, end_of_run
from .distributed import codec, connection, keys
from .exceptions import CrawlerError, NoticeDropped
from .settings import SOURCES_RECHECK_DAYS
from .startup import known_pages, unlock_archive
from .templates import Templates
from .writer import RUN_STATUS, ArchiveWriter, ago

logger = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def _snapshot_json(snapshot: PortalChrome | None) -> str:
    return json.dumps(snapshot.as_dict() if snapshot else None, ensure_ascii=False)


class QueueUnavailable(CrawlerError):
    """The item queue's Redis cannot be reached (or went away)."""


@dataclass
class IngestSummary:
    applied: int = 0
    skipped: int = 0  # already applied (a restarted writer's processing list)
    rejected: int = 0  # not a message of ours: kept in the rejected list, never run
    runs_finished: list[int] = field(default_factory=list)
    # the portals whose health each finished run changed, and what its alerts did
    health_changes: list[dict] = field(default_factory=list)
    notified: list[dict] = field(default_factory=list)


def merge_stats(rows: Iterable[dict]) -> dict:
    """One run's statistics from its messages' counts: numbers add up, lists join, other
    values (a reason, a time) are the last one's."""
    total: dict = {}
    for counts in rows:
        for key, value in counts.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
            elif isinstance(value, list):
                total[key] = [*total.get(key, []), *value]
            else:
                total[key] = value
    return total


class Ingest:
    """Applies queue messages to an open archive (the writer's library; the CLI is thin)."""

    def __init__(
        self, archive: Archive, client: redis.Redis, url: str, alerts: Alerts | None = None
    ) -> None:
        self.archive = archive
        self.client = client
        self.url = url
        self.alerts = alerts or Alerts()
        self.summary = IngestSummary()
        # the template models: learned from every page, published for the workers as they
        # change (crawler.templates)
        self.templates = Templates(archive, publish=self._publish_templates)

    @staticmethod
    def connect(url: str) -> redis.Redis:
        """A client for the queue at `url`, checked with a PING."""
        return connection.connect(url, "queue", QueueUnavailable, timeout=30)

    # -- the recrawl state ------------------------------------------------------------

    def publish_state(self) -> None:
        """Every portal's known pages, missing attachments, archived attachments and list
        recipes, replaced in one Redis transaction (a worker never reads half of it)."""
        ids = [row["id"] for row in self.archive.db.query("SELECT id FROM portals ORDER BY id")]
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(keys.STATE)
        sources = self.archive.source_urls(ids, ago(SOURCES_RECHECK_DAYS)) if ids else {}
        for pid in ids:
            known, missing, attachments = known_pages(self.archive, [pid])
            state = {"known": known, "missing": missing, "attachments": sorted(attachments)}
            state["sources"] = sources.get(pid, {})
            state["recipes"] = [
                [row["list_url"], row["recipe"]] for row in self.archive.list_recipes([pid])
            ]
            pipe.hset(keys.STATE, pid, json.dumps(state, ensure_ascii=False))
        pipe.delete(keys.TEMPLATES)
        for pid in self.archive.template_portals():
            pipe.hset(keys.TEMPLATES, pid, _snapshot_json(self.templates.get(pid)))
        pipe.set(keys.STATE_AT, utcnow())
        pipe.execute()

    def _publish_templates(self, portal_id: str, snapshot: PortalChrome) -> None:
        self.client.hset(keys.TEMPLATES, portal_id, _snapshot_json(snapshot))

    # -- messages ---------------------------------------------------------------------

    def _run_id(self, run_key: str) -> int:
        row = self.archive.db.execute(
            "SELECT run_id FROM ingested_runs WHERE run_key = ?", [run_key]
        ).fetchone()
        if row is not None:
            return row[0]
        # a run whose begin this writer never saw (a queue emptied by hand): a run anyway
        return self._begin(run_key, {"portals": []})

    def _begin(self, run_key: str, body: dict) -> int:
        portals = body["portals"]
        if portals:
            self.archive.upsert_portals(portals)
        run_id = self.archive.begin_run([p["id"] for p in portals])
        self.archive.db.execute(
            "INSERT INTO ingested_runs (run_key, run_id) VALUES (?, ?)", [run_key, run_id]
        )
        return run_id

    def _item(self, run_key: str, item) -> Counter:
        counts: Counter = Counter()

        def count(key: str, n: int = 1) -> None:
            counts[key] += n

        try:
            self._writer(run_key, count).write(item)
        except NoticeDropped as exc:
            counts["item_dropped_count"] += 1
            counts[f"item_dropped_reasons_count/{type(exc).__name__}"] += 1
            logger.info("dropped: %s", exc)
        except ArchiveWriteError:
            raise
        except ArchiveError as exc:  # this item cannot be recorded (the others can)
            counts["ingest/errors"] += 1
            logger.error("cannot record %s: %s", getattr(item, "url", item), exc)
        return counts

    def _writer(self, run_key: str, count) -> ArchiveWriter:
        return ArchiveWriter(self.archive, self._run_id(run_key), count, self.templates)

    def _end(self, run_key: str, body: dict) -> int:
        """Close the run: the notices held for their young template archived, its
        statistics from all its messages, delisting only after a finished run in which no
        worker was lost."""
        run_id = self._run_id(run_key)
        released: Counter = Counter()
        self._writer(run_key, lambda key, n=1: released.update({key: n})).release()
        self.templates.save()
        rows = self.archive.db.execute(
            "SELECT kind, counts FROM ingested_messages WHERE run_key = ? ORDER BY rowid",
            [run_key],
        ).fetchall()
        counts = [json.loads(c) for _, c in rows]
        ours = [dict(released), self.templates.run_stats()]
        self.templates.run.clear()
        merged = merge_stats(counts + ours)
        stats = {k: v for k, v in merged.items() if stat_keys.worth_keeping(k)}
        reasons = [c.get("finish_reason") for (kind, _), c in zip(rows, counts, strict=True)]
        reasons = [r for (kind, _), r in zip(rows, reasons, strict=True) if kind == "worker"]
        # one worker stopped early (Ctrl-C, Redis gone): the run did not finish
        reason = next((r for r in reasons if r != "finished"), body["reason"])
        stats["finish_reason"] = reason
        stats[stat_keys.FRONTIER_WORKERS] = len(reasons)
        if body["lost"]:
            stats[stat_keys.WORKERS_LOST] = "all" if body["lost"] < 0 else body["lost"]
        for pid, why in body["incomplete"].items():
            stats[stat_keys.portal_key(pid, stat_keys.LISTING_INCOMPLETE)] = why
        for pid, listed in body.get("listed_counts", {}).items():
            stats[stat_keys.portal_key(pid, stat_keys.LISTED)] = listed
        status = RUN_STATUS.get(reason, reason)
        if status == "finished" and not body["lost"]:
            for pid, listed in body["listed"].items():
                key = stat_keys.portal_key(pid, stat_keys.DELISTED)
                stats[key] = self.archive.mark_delisted(pid, listed, run_id=run_id)
        if "coverage" in body:  # what each list said it holds, what the workers read of it
            self.archive.record_coverage(
                run_id, body["coverage"]["portals"], body["coverage"]["lists"]
            )
            self.archive.remember_source_urls(run_id, body.get("sources", []))
        self.archive.finish_run(run_id, status, stats)
        self.summary.runs_finished.append(run_id)
        return run_id

    def apply(self, raw: bytes) -> str:
        """Apply one message in one transaction with its id: applied, skipped or rejected."""
        try:
            message = codec.read(raw)
        except codec.CodecError as exc:
            logger.error("rejected a queue message: %s", exc)
            self.client.lpush(keys.REJECTED, raw)
            self.summary.rejected += 1
            return "rejected"
        kind, run_key, body = message["kind"], message["run"], message["body"]
        try:
            with self.archive.db.atomic():
                done = self.archive.db.execute(
                    "SELECT 1 FROM ingested_messages WHERE id = ?", [message["id"]]
                ).fetchone()
                if done:
                    self.summary.skipped += 1
                    return "skipped"
                counts: dict = {}
                if kind == "begin":
                    self._begin(run_key, body)
                elif kind == "item":
                    counts = dict(self._item(run_key, body))
                elif kind == "worker":
                    counts = body["stats"]
                else:
                    self._end(run_key, body)
                self.archive.db.execute(
                    "INSERT INTO ingested_messages (id, run_key, kind, counts, at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [message["id"], run_key, kind, json.dumps(counts, default=str), utcnow()],
                )
        except sqlite3.OperationalError as exc:
            raise ArchiveWriteError(f"cannot write archive {self.archive.path}: {exc}") from exc
        self.summary.applied += 1
        if kind == "end":
            self.publish_state()
            self._after_run(self.summary.runs_finished[-1])
        return "applied"

    def _after_run(self, run_id: int) -> None:
        """The run is closed: say which portals' health it changed, send its alerts."""
        changes, notified = end_of_run(self.archive, run_id, self.alerts)
        for change in changes:
            logger.warning(
                "health: %s %s -> %s (%s)",
                change["portal"],
                change["before"] or "new",
                change["state"],
                change["reason"],
            )
        self.summary.health_changes += [dict(change, run=run_id) for change in changes]
        if self.alerts.urls:
            self.summary.notified.append(dict(notified, run=run_id))

    # -- the queue --------------------------------------------------------------------

    def recover(self) -> None:
        """Finish the messages a previous writer took and may not have committed (oldest
        first); those it committed are skipped."""
        for raw in reversed(self.client.lrange(keys.PROCESSING, 0, -1)):
            self.apply(raw)
            self.client.lrem(keys.PROCESSING, 1, raw)

    def consume(self, until_idle: float | None = None) -> IngestSummary:
        """Take and apply messages until stopped, or until none came for `until_idle` s."""
        self.recover()
        idle_since = time.monotonic()
        wait = POLL_SECONDS if until_idle is None else max(0.1, min(POLL_SECONDS, until_idle))
        while True:
            raw = self.client.blmove(keys.ITEMS, keys.PROCESSING, wait, "RIGHT", "LEFT")
            if raw is None:
                if until_idle is not None and time.monotonic() - idle_since >= until_idle:
                    return self.summary
                continue
            self.apply(raw)
            self.client.lrem(keys.PROCESSING, 1, raw)
            idle_since = time.monotonic()


def ingest(
    path: str | Path, url: str, *, until_idle: float | None = None, alerts: Alerts | None = None
) -> IngestSummary:
    """Connect to the queue, take the archive's crawl lock, publish the recrawl state, then
    apply messages (see Ingest.consume); each run's end sends its `alerts`. Redis errors
    become one QueueUnavailable."""
    if alerts is not None:
        alerts.check()
    client = Ingest.connect(url)
    lock = CrawlLock(path)
    lock.acquire(wait=False)
    archive = None
    try:
        archive = Archive(path)
        writer = Ingest(archive, client, url, alerts)
        archive.index_copies()  # pages archived before copy matching (or a change of it)
        writer.publish_state()
        return writer.consume(until_idle)
    except redis.RedisError as exc:
        raise QueueUnavailable(connection.unreachable("queue", url, exc)) from exc
    finally:
        if archive is not None:
            archive.close()
        unlock_archive(lock)
