"""The list recipes a crawl learned (how to read a list over plain HTTP), kept per portal and
list for the next crawl. The archive keeps each recipe as the crawler wrote it (JSON) and
does not read it."""

from collections.abc import Iterable

from sqlite_utils import Database

from .models import utcnow


class RecipeStore:
    """Mixed into Archive: write and read list recipes."""

    db: Database

    def record_recipe(
        self, portal_id: str, list_url: str, key: str, recipe: str, run_id: int | None = None
    ) -> None:
        """Keep a recipe learned in this run (a recipe learned again starts afresh)."""
        with self._write():
            self.db.execute(
                "INSERT INTO list_recipes (portal_id, list_url, key, recipe, learned_at, "
                "learned_run) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (portal_id, list_url, key) DO UPDATE SET recipe = excluded.recipe, "
                "learned_at = excluded.learned_at, learned_run = excluded.learned_run, "
                "failures = 0",
                [portal_id, list_url, key, recipe, utcnow(), run_id],
            )

    def recipe_replayed(self, portal_id: str, list_url: str, key: str, items: int) -> None:
        """A replay of a stored recipe read `items` items; one that read none counts as a
        failure (the list is explored again)."""
        with self._write():
            self.db.execute(
                "UPDATE list_recipes SET replayed_at = ?, items = ?, "
                "failures = CASE WHEN ? > 0 THEN 0 ELSE failures + 1 END "
                "WHERE portal_id = ? AND list_url = ? AND key = ?",
                [utcnow(), items, items, portal_id, list_url, key],
            )

    def list_recipes(self, portal_ids: Iterable[str], *, failing: bool = False) -> list[dict]:
        """The recipes of these portals (portal_id, list_url, key, recipe, …); those whose
        last replay read nothing only when `failing`."""
        portal_ids = list(portal_ids)
        marks = ",".join("?" * len(portal_ids))
        where = "" if failing else " AND failures = 0"
        return list(
            self.db.query(
                f"SELECT * FROM list_recipes WHERE portal_id IN ({marks}){where} "
                "ORDER BY portal_id, list_url, key",
                portal_ids,
            )
        )
