"""The template models the archive keeps with its portals (notice.template), and the pages
held back until their template knows its chrome."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from notice.template import PortalModel, Template

from .db import where_equal
from .errors import UnknownPortal
from .models import utcnow


class TemplateRecords:
    """Template models and held pages, mixed into Archive."""

    db: Database

    def template_model(self, portal_id: str) -> PortalModel:
        """The portal's model as last saved (no template yet: an empty one)."""
        rows = self.db.execute(
            "SELECT model FROM templates WHERE portal_id = ? ORDER BY id", [portal_id]
        ).fetchall()
        return PortalModel(portal_id, [Template.from_dict(json.loads(row[0])) for row in rows])

    def save_template_model(self, model: PortalModel) -> None:
        """Replace the portal's saved templates with the model's (in the caller's transaction,
        or one of its own)."""
        with self._write():
            self.db.execute("DELETE FROM templates WHERE portal_id = ?", [model.portal])
            for t in model.templates:
                self.db.execute(
                    "INSERT INTO templates (portal_id, id, pages, revision, chrome, first_seen,"
                    " last_seen, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        model.portal,
                        t.id,
                        t.pages,
                        t.revision,
                        len(t.chrome),
                        t.first_seen,
                        t.last_seen,
                        json.dumps(t.as_dict(), ensure_ascii=False, separators=(",", ":")),
                    ],
                )

    def template_report(self, portal_id: str) -> dict:
        """What the crawler learned is chrome on a portal, per template: its pages, state
        (`learning` before it knows its chrome, `mature`, `replaced` when a newer mature
        template took its place: a redesign), core signature, shared <title> parts and chrome.
        UnknownPortal for a portal the archive does not know."""
        self.require_portal(portal_id)
        model = self.template_model(portal_id)
        templates = []
        for t in model.templates:
            later = model.replaced_by(t)
            state = "replaced" if later else "mature" if t.mature else "learning"
            templates.append(
                {
                    "template": t.id,
                    "state": state,
                    "replaced_by": later.id if later else None,
                    "pages": t.pages,
                    "revision": t.revision,
                    "first_seen": t.first_seen,
                    "last_seen": t.last_seen,
                    "core": sorted(t.core()),
                    "title_parts": sorted(t.affixes),
                    "chrome": t.described(),
                }
            )
        return {"portal": portal_id, "templates": templates}

    def template_portals(self) -> list[str]:
        """The portals with a saved model."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT portal_id FROM templates")]

    def require_portal(self, portal_id: str) -> None:
        """UnknownPortal unless the archive knows the portal (from its seeds or its pages)."""
        known = self.db.execute(
            "SELECT 1 FROM portals WHERE id = ? UNION ALL "
            "SELECT 1 FROM templates WHERE portal_id = ? LIMIT 1",
            [portal_id, portal_id],
        ).fetchone()
        if known is None:
            raise UnknownPortal(f"no portal {portal_id!r} in the archive {self.path}")

    # -- pages held until their template is known ---------------------------------------

    def park_page(self, url: str, portal_id: str, template: int, item: str) -> None:
        """Hold a page (its crawl item, encoded) until its template knows its chrome; a page
        held again replaces what was held (under a new id: ids count every hold)."""
        with self._write():
            self.db.execute(
                "INSERT OR REPLACE INTO parked_pages (url, portal_id, template, parked_at, item)"
                " VALUES (?, ?, ?, ?, ?)",
                [url, portal_id, template, utcnow(), item],
            )

    def parked_pages(self, portal_id: str | None = None, template: int | None = None) -> list:
        """Held pages (url, portal_id, template, item), oldest first; of a portal, of one of
        its templates, or all."""
        where, params = where_equal(portal_id=portal_id, template=template)
        sql = f"SELECT url, portal_id, template, item FROM parked_pages {where} ORDER BY id"
        return list(self.db.execute(sql, params).fetchall())

    def parked_template(self, url: str) -> int | None:
        """The template a held page waits for; None when the page is not held."""
        row = self.db.execute("SELECT template FROM parked_pages WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    @contextmanager
    def releasing(self, url: str) -> Iterator[None]:
        """A held page's release: what is written inside (its version, with its event) and
        the page's removal from the held pages, in one transaction."""
        with self._write():
            yield
            self.db.execute("DELETE FROM parked_pages WHERE url = ?", [url])
