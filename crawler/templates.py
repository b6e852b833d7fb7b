"""The template models in a crawl (notice.template): learned by the writer, used by the
extraction workers, kept in the archive.

The writer (crawler.writer, the one process that sees every page, in a local crawl and in a
distributed one) learns from every page extracted: it sorts the page into its portal's
template and counts its units. Workers extract with a snapshot of their portal's model
(passed with each page in a local crawl; read from Redis, where the writer publishes it, in a
distributed one). A snapshot may be older than the writer's model: the writer checks which
template and chrome revision a page was cleaned with, and extracts it again with its own when
they differ, so what is archived is always the current model's reading.
"""

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from archive import Archive
from archive.models import utcnow
from notice.encoding import decode_html
from notice.errors import ExtractionError
from notice.extract import Extraction, Reading, extract_article
from notice.template import Observation, PortalChrome, PortalModel

from . import stats as stat_keys
from .list_api import ListApiError
from .lists.detail import article_from_reply

logger = logging.getLogger(__name__)
SAVE_EVERY = 50  # pages learned on a portal between saves of its model (and at the end)
# what a run counts per portal (Templates.run) → its stat
RUN_STATS = {"matched": stat_keys.TEMPLATE_MATCHED, "unmatched": stat_keys.TEMPLATE_UNMATCHED}


def stored_page(
    body: bytes, content_type: str | None, detail_api: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """The page the archive's bytes make, with its headers: HTML as fetched, or, for a
    shell's detail API, the article built from its JSON reply as the crawl built it."""
    headers = {"Content-Type": content_type} if content_type else {}
    if not detail_api:
        return body, headers
    try:
        text = decode_html(body, headers).text
        html = article_from_reply(text, detail_api).encode()
    except ListApiError as exc:
        raise ExtractionError(f"stored detail API reply: {exc}") from exc
    return html, {"Content-Type": "text/html; charset=utf-8"}


def extract_stored(
    body: bytes,
    url: str,
    content_type: str | None,
    detail_api: str | None = None,
    model: PortalChrome | None = None,
    parts: Iterable[tuple[bytes, str, Mapping[str, str]]] = (),
) -> Extraction:
    """Extract a page from the bytes the archive stores (see stored_page); a notice split
    over several pages with its further pages (`parts`: body, url and headers each), joined
    as the crawl joined them."""
    html, headers = stored_page(body, content_type, detail_api)
    return extract_article(html, url, headers, parts, model)


def stored_parts(archive: Archive, url: str, number: int | None = None) -> list[tuple]:
    """The further pages a version of a notice was read from (Archive.raw_parts), as
    extract_stored takes them."""
    return [
        (part["body"], part["url"], {"Content-Type": part["content_type"] or "text/html"})
        for part in archive.raw_parts(url, number)
    ]


def _applied(extraction: Extraction) -> tuple[int, int] | None:
    reading = extraction.reading
    if reading is None or reading.template is None:
        return None
    return reading.template, reading.revision


class NoTemplates:
    """No model (a crawl without an archive): extraction by the rules alone."""

    def get(self, portal_id: str) -> PortalChrome | None:
        return None


class Templates:
    """The writer's template models: learning, current extraction, snapshots, saving.

    `publish(portal, snapshot)`: called when a portal's chrome changed (the distributed
    writer puts it in Redis)."""

    def __init__(
        self, archive: Archive, publish: Callable[[str, PortalChrome], None] | None = None
    ) -> None:
        self.archive = archive
        self.publish = publish
        self.models: dict[str, PortalModel] = {}
        self.unsaved: Counter = Counter()
        self.run: dict[str, Counter] = {}  # per portal: pages matched / unmatched this run

    def model(self, portal_id: str) -> PortalModel:
        if portal_id not in self.models:
            self.models[portal_id] = self.archive.template_model(portal_id)
        return self.models[portal_id]

    def get(self, portal_id: str) -> PortalChrome | None:
        """The portal's snapshot for extraction (None before its first template)."""
        model = self.model(portal_id)
        return model.snapshot() if model.templates else None

    def observe(self, portal_id: str, url: str, extraction: Extraction) -> Observation | None:
        """Learn from an extracted page (once per URL and template); None without a reading."""
        if extraction.reading is None:
            return None
        return self.learn(portal_id, url, extraction.reading)

    def learn(self, portal_id: str, url: str, reading: Reading) -> Observation:
        """Sort a page's reading into its portal's model and learn from it (see observe)."""
        model = self.model(portal_id)
        observation = model.observe(url, reading, utcnow())
        counts = self.run.setdefault(portal_id, Counter())
        if observation.expected:
            counts["matched" if observation.matched else "unmatched"] += 1
        if observation.learned:
            self.unsaved[portal_id] += 1
        if observation.changed or observation.matured or self.unsaved[portal_id] >= SAVE_EVERY:
            self.save(portal_id)
            if self.publish is not None and (observation.changed or observation.matured):
                self.publish(portal_id, model.snapshot())
        return observation

    def current(self, item, observation: Observation | None) -> tuple[Extraction, bool]:
        """The page's extraction with the writer's model: the worker's when it used the same
        template and chrome revision, else extracted again here; and whether it was."""
        extraction = item.extraction
        if observation is None:
            return extraction, False
        template = observation.template.snapshot()
        wanted = (template.template, template.revision) if template.applies else None
        if _applied(extraction) == wanted:
            return extraction, False
        return self.extract_item(item), True

    def extract_item(self, item) -> Extraction:
        """A crawl item's page (with its further pages, if any) extracted with its portal's
        current model."""
        parts = [(p["body"], p["url"], p["headers"]) for p in item.parts]
        return extract_stored(
            item.body,
            item.url,
            item.headers.get("Content-Type"),
            item.detail_api,
            self.get(item.portal),
            parts,
        )

    def reread(self, url: str, portal_id: str) -> Callable[[dict], tuple[str | None, str]]:
        """What the current model makes of a stored version of the page (for the archive to
        tell a change of the page from a change of our reading)."""

        def read(version: Mapping) -> tuple[str | None, str]:
            meta = json.loads(version["metadata"] or "{}")
            number = version["number"]
            extraction = extract_stored(
                self.archive.raw_html(url, number),
                url,
                meta.get("content_type"),
                meta.get("detail_api"),
                self.get(portal_id),
                stored_parts(self.archive, url, number) if meta.get("parts") else (),
            )
            return extraction.title, extraction.text

        return read

    def save(self, portal_id: str | None = None) -> None:
        """Write the models (one portal's, or every one changed since its last save)."""
        portals = [portal_id] if portal_id else [p for p in self.models if self.unsaved[p]]
        for pid in portals:
            self.archive.save_template_model(self.model(pid))
            self.unsaved[pid] = 0

    def changed_portals(self) -> dict[str, Counter]:
        """The portals whose pages this run mostly matched none of their mature templates
        (their template changed: a redesign the model has to learn again), with the counts."""
        return {
            pid: counts
            for pid, counts in self.run.items()
            if counts["unmatched"] and counts["unmatched"] >= counts["matched"]
        }

    def run_stats(self) -> dict[str, int]:
        """This run's template figures per portal, as crawl stats: pages matched and
        unmatched, and whether the template changed (0 or 1, for a portal whose pages met a
        mature template: the health ledger's `template_changed`; none before it has one)."""
        stats = {}
        changed = self.changed_portals()
        for pid, counts in self.run.items():
            for what, n in counts.items():
                stats[stat_keys.portal_key(pid, RUN_STATS[what])] = n
            if counts:
                stats[stat_keys.portal_key(pid, stat_keys.TEMPLATE_CHANGED)] = int(pid in changed)
        return stats
