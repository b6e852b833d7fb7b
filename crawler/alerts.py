"""The end of a run: the portals whose health changed, and the run's alerts (archive.notify)
to the NOTIFY_URLS destinations. Called by the local pipeline and the distributed writer once
the run is closed (Archive.finish_run wrote its health ledger rows)."""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from archive import Archive, health, notify

logger = logging.getLogger(__name__)


def parse_urls(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Apprise URLs from a setting: a list, or one string of URLs separated by spaces, newlines
    or commas followed by a space."""
    if not value:
        return ()
    if isinstance(value, str):
        value = re.split(r"\s+|,\s+", value)
    return tuple(url.strip() for url in value if url and url.strip())


@dataclass(frozen=True)
class Alerts:
    """Where the alerts go (NOTIFY_URLS), the web view they link to (WEB_BASE_URL), and after
    how many runs listing nothing a portal is silent (HEALTH_SILENT_RUNS)."""

    urls: tuple[str, ...] = ()
    web_base_url: str | None = None
    silent_runs: int = health.SILENT_RUNS

    @classmethod
    def from_settings(cls, settings) -> "Alerts":
        return cls(
            parse_urls(settings.get("NOTIFY_URLS")),
            settings.get("WEB_BASE_URL") or None,
            settings.getint("HEALTH_SILENT_RUNS", health.SILENT_RUNS),
        )

    def check(self) -> None:
        """Refuse a destination Apprise does not know (notify.NotifyError), before a crawl."""
        for url in self.urls:
            notify.check_url(url)


def end_of_run(archive: Archive, run_id: int, alerts: Alerts) -> tuple[list[dict], dict]:
    """The portals whose health the run changed, and what its alerts did ({sent, failed}:
    each destination as shown, with the runs sent or the reason it failed)."""
    changes = health.changes(archive.db, run_id, alerts.silent_runs)
    report: dict = {"sent": {}, "failed": {}}
    if not alerts.urls:
        return changes, report
    deliveries = notify.notify(
        archive.db,
        alerts.urls,
        new_from_run=run_id,
        base=alerts.web_base_url,
        silent_runs=alerts.silent_runs,
    )
    for delivery in deliveries:
        if delivery.sent:
            report["sent"][delivery.destination] = len(delivery.sent)
        if delivery.error:
            report["failed"][delivery.destination] = delivery.error
    return changes, report
