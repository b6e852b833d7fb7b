"""The plugin's pages: /-/notice, /-/changes (and its Atom feed), /-/copies, /-/health. GET
only."""

from urllib.parse import urlencode

from datasette.utils.asgi import Response
from sqlite_utils import Database

from ..errors import UnknownPage
from . import health_page, pages
from .compact import preview

ATOM_TYPE = "application/atom+xml; charset=utf-8"


def query(**params: object) -> str:
    """A query string (values None are left out)."""
    return urlencode({k: v for k, v in params.items() if v is not None})


def nav(datasette) -> dict:
    """Links every plugin page shows."""
    return {
        "changes": datasette.urls.path("/-/changes"),
        "notice": datasette.urls.path("/-/notice"),
        "copies": datasette.urls.path("/-/copies"),
        "health": datasette.urls.path("/-/health"),
    }


async def _read(datasette, build, *args):
    """Run a page builder on the archive's read connection (in Datasette's SQL thread)."""
    db = datasette.get_database()
    return await db.execute_fn(lambda conn: build(Database(conn, execute_plugins=False), *args))


async def _page(datasette, request, template: str, build, *args) -> Response:
    try:
        context = await _read(datasette, build, *args)
    except pages.BadInput as error:
        return await _error(datasette, request, str(error), 400)
    except UnknownPage as error:
        return await _error(datasette, request, str(error), 404)
    context.update({"query": query, "preview": preview, "nav": nav(datasette), "database": None})
    return Response.html(
        await datasette.render_template(template, context, request=request, view_name=template)
    )


async def _error(datasette, request, message: str, status: int) -> Response:
    html = await datasette.render_template(
        "error.html",
        {"ok": False, "error": message, "status": status, "title": "Error"},
        request=request,
    )
    return Response.html(html, status=status)


async def notice(datasette, request) -> Response:
    args = request.args
    return await _page(
        datasette, request, "archive_notice.html", pages.notice, args.get("url"), args.get("upto")
    )


async def changes(datasette, request) -> Response:
    args = request.args
    return await _page(
        datasette,
        request,
        "archive_changes.html",
        pages.changes,
        args.get("since"),
        args.get("after"),
    )


async def changes_atom(datasette, request) -> Response:
    try:
        body = await _read(
            datasette, pages.atom, request.args.get("since"), request.args.get("after")
        )
    except pages.BadInput as error:
        return Response.text(str(error), status=400)
    return Response(body, content_type=ATOM_TYPE)


async def copies(datasette, request) -> Response:
    url = request.args.get("url")
    return await _page(datasette, request, "archive_copies.html", pages.copy_diffs, url)


async def health(datasette, request) -> Response:
    portal = request.args.get("portal") or None
    return await _page(datasette, request, "archive_health.html", health_page.page, portal)


ROUTES = [
    (r"^/-/health$", health),
    (r"^/-/notice$", notice),
    (r"^/-/changes$", changes),
    (r"^/-/changes\.atom$", changes_atom),
    (r"^/-/copies$", copies),
]
