"""The plugin's pages: /-/notice, /-/changes (and its Atom feed), /-/copies, /-/capture,
/-/health. GET only; the front page's part is `front`, which the plugin adds to Datasette's own
home page."""

from urllib.parse import urlencode

from datasette.utils.asgi import Response
from sqlite_utils import Database

from ..errors import UnknownPage, UnknownVersion, UnreadableBlob
from . import capture as captured
from . import health_page, listing, pages
from .compact import preview

ATOM_TYPE = "application/atom+xml; charset=utf-8"
# what each error answers: a malformed parameter, nothing archived, a damaged stored body
_STATUS = {
    pages.BadInput: 400,
    UnknownPage: 404,
    UnknownVersion: 404,
    pages.Missing: 404,
    UnreadableBlob: 500,
}


def query(**params: object) -> str:
    """A query string (values None are left out)."""
    return urlencode({k: v for k, v in params.items() if v is not None})


def nav(datasette) -> dict:
    """Links every plugin page shows."""
    return {
        "changes": datasette.urls.path("/-/changes"),
        "notice": datasette.urls.path("/-/notice"),
        "copies": datasette.urls.path("/-/copies"),
        "capture": datasette.urls.path("/-/capture"),
        "health": datasette.urls.path("/-/health"),
    }


async def _read(datasette, build, *args):
    """Run a page builder on the archive's read connection (in Datasette's SQL thread)."""
    db = datasette.get_database()
    return await db.execute_fn(lambda conn: build(Database(conn, execute_plugins=False), *args))


async def _answer(datasette, request, build, *args):
    """The builder's result, or the error page its error asks for (as a Response)."""
    try:
        return await _read(datasette, build, *args)
    except tuple(_STATUS) as error:
        status = next(code for kind, code in _STATUS.items() if isinstance(error, kind))
        html = await datasette.render_template(
            "error.html",
            {"ok": False, "error": str(error), "status": status, "title": "Error"},
            request=request,
        )
        return Response.html(html, status=status)


async def _page(datasette, request, template: str, build, *args) -> Response:
    context = await _answer(datasette, request, build, *args)
    if isinstance(context, Response):
        return context
    context.update({"query": query, "preview": preview, "nav": nav(datasette), "database": None})
    return Response.html(
        await datasette.render_template(template, context, request=request, view_name=template)
    )


def _params(request) -> dict:
    return {key: request.args.get(key) for key in request.args}


async def notice(datasette, request) -> Response:
    args = _params(request)
    return await _page(
        datasette, request, "archive_notice.html", pages.notice, args.pop("url", None), args
    )


async def changes(datasette, request) -> Response:
    return await _page(
        datasette, request, "archive_changes.html", listing.changes_page, _params(request)
    )


async def changes_atom(datasette, request) -> Response:
    try:
        body = await _read(
            datasette, listing.atom, request.args.get("since"), request.args.get("after")
        )
    except pages.BadInput as error:
        return Response.text(str(error), status=400)
    return Response(body, content_type=ATOM_TYPE)


async def copies(datasette, request) -> Response:
    url = request.args.get("url")
    return await _page(datasette, request, "archive_copies.html", pages.copy_diffs, url)


async def capture(datasette, request) -> Response:
    args = request.args
    answer = await _answer(
        datasette,
        request,
        captured.capture,
        args.get("url"),
        args.get("v"),
        args.get("fetch"),
        nav(datasette),
    )
    if isinstance(answer, Response):
        return answer
    headers = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}
    return Response(
        answer.body, content_type=answer.content_type, headers={**headers, **answer.headers}
    )


async def front(datasette) -> dict | None:
    """The front page's part (listing.front) for the archive Datasette serves first."""
    return await _read(datasette, listing.front)


async def health(datasette, request) -> Response:
    portal = request.args.get("portal") or None
    return await _page(datasette, request, "archive_health.html", health_page.page, portal)


ROUTES = [
    (r"^/-/health$", health),
    (r"^/-/notice$", notice),
    (r"^/-/changes$", changes),
    (r"^/-/changes\.atom$", changes_atom),
    (r"^/-/copies$", copies),
    (r"^/-/capture$", capture),
]
