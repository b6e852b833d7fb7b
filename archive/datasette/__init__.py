"""The archive's Datasette plugin: a front page of what changed, a page per notice (any two
versions compared, every version's text, each capture of the page), the changes, the copies, a
readable notices table and short-term search. Read-only: every page reads, nothing writes.

Installed, Datasette loads it through the package's `datasette` entry point (pyproject.toml);
from the checkout `python -m archive datasette` registers it by hand (__main__.py). The
templates are in templates/ beside this file.
"""

from datasette import hookimpl
from markupsafe import Markup, escape

from . import clock, counts, routes, short_search

TEXT_CHARS = 40  # the notices table shows this much of a notice's text
# the notices table shows these first, in this order (then the view's other columns)
FIRST_COLUMNS = (
    "title", "issuer", "region", "published", "version", "state", "kind", "portal", "level", "text",
)  # fmt: skip
# column headings of the notices table that say more than the view's column names
HEADINGS = {"version": "versions"}


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


@hookimpl
def prepare_jinja2_environment(env, datasette):
    """`{{ at|china_time }}`: a crawl time in China time, UTC on hover."""
    env.filters["china_time"] = clock.time_tag


@hookimpl(trylast=True)  # after Datasette's own search filter: this one's context wins
def filters_from_request(request, database, table, datasette):
    return short_search.filters(request, database, table, datasette)


def _cell(row, column: str):
    """A column of the row, or None when the table page selected it away (`_col`)."""
    try:
        return row[column]
    except (KeyError, IndexError):
        return None


def _badge(kind: str, label: str, title: str = "") -> str:
    hover = f' title="{escape(title)}"' if title else ""
    return f'<span class="archive-badge badge-{escape(kind)}"{hover}>{escape(label)}</span>'


async def _state(row, value, database, datasette) -> Markup:
    """A notice's state with badges: gone or redirected, changed (several versions), delisted
    (no longer on its list, while its page still answers)."""
    badges = [_badge(value, value) if value != "live" else escape(value)]
    versions = _cell(row, "version") or 0
    if versions > 1:
        badges.append(_badge("changed", "changed", f"{versions} versions"))
    page_id = _cell(row, "page_id")
    if page_id is not None:
        found = await datasette.get_database(database).execute(
            "SELECT delisted_since FROM pages WHERE id = ?", [page_id]
        )
        first = found.first()
        since = first[0] if first else None
        if since:
            badges.append(_badge("delisted", "delisted", f"off its list since {since}"))
    return Markup(" ".join(str(b) for b in badges))


def _notice_href(datasette, url: str, anchor: str = "") -> str:
    return datasette.urls.path("/-/notice") + "?" + routes.query(url=url) + anchor


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """In the notices table: the title links to the notice's page, the state has badges, the
    number of versions links to their comparison, the text is cut short."""
    if table != "notices" or value is None:
        return None
    url = _cell(row, "url")
    if column == "title" and url:
        return Markup(f'<a href="{escape(_notice_href(datasette, url))}">{escape(value)}</a>')
    if column == "state":
        return _state(row, value, database, datasette)
    if column == "version" and url and value > 1:
        href = _notice_href(datasette, url, "#compare")
        return Markup(f'<a href="{escape(href)}" title="compare its versions">{value}</a>')
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


def heading(table: str | None, column: str) -> str:
    """A column's heading in the table page."""
    return HEADINGS.get(column, column) if table == "notices" else column


@hookimpl
def extra_template_vars(view_name, datasette):
    """The templates' helpers; the home page's front page (routes.front); no view's SQL
    definition under its table (a reader wants the rows, not the CREATE VIEW)."""
    helpers = {
        "archive_column_order": column_order,
        "archive_heading": heading,
        "archive_nav": routes.nav(datasette),
        "archive_query": routes.query,
    }
    if view_name == "table":
        return {**helpers, "view_definition": None}
    if view_name == "index":

        async def front() -> dict:
            return {**helpers, "archive_front": await routes.front(datasette)}

        return front
    return helpers
