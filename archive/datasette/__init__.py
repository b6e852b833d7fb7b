"""The archive's Datasette plugin: a page per notice, the changes, the copies, a readable
notices table and short-term search. Read-only: every page reads, nothing writes.

Installed, Datasette loads it through the package's `datasette` entry point (pyproject.toml);
from the checkout `python -m archive datasette` registers it by hand (__main__.py). The
templates are in templates/ beside this file.
"""

from datasette import hookimpl
from markupsafe import Markup, escape

from . import counts, routes, short_search

TEXT_CHARS = 40  # the notices table shows this much of a notice's text
# the notices table shows these first, in this order (then the view's other columns)
FIRST_COLUMNS = ("title", "published", "portal", "region", "level", "kind", "state", "text")


@hookimpl
def startup(datasette):
    """Datasette counts every table; never the index SQLite cannot count (see counts)."""
    for database in datasette.databases.values():
        counts.count_scannable_only(database)


@hookimpl
def register_routes(datasette):
    return routes.ROUTES


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: short_search.wrap(app, datasette)


@hookimpl(trylast=True)  # after Datasette's own search filter: this one's context wins
def filters_from_request(request, database, table, datasette):
    return short_search.filters(request, database, table, datasette)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """In the notices table: the title links to the notice's page, the text is cut short."""
    if table != "notices" or value is None:
        return None
    if column == "title":
        href = datasette.urls.path("/-/notice") + "?" + routes.query(url=row["url"])
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if column == "text":
        text = " ".join(str(value).split())
        cut = text[:TEXT_CHARS] + ("…" if len(text) > TEXT_CHARS else "")
        return Markup(f'<span title="{escape(text[:300])}">{escape(cut)}</span>')
    return None


def column_order(table: str | None, columns: list) -> list[int]:
    """Positions of the table's columns in display order (the notices table: title first)."""
    names = [column["name"] for column in columns]
    if table != "notices":
        return list(range(len(names)))
    first = [names.index(name) for name in FIRST_COLUMNS if name in names]
    return first + [i for i in range(len(names)) if i not in first]


@hookimpl
def extra_template_vars(datasette):
    return {"archive_column_order": column_order, "archive_nav": routes.nav(datasette)}
