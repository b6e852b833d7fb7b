"""Datasette's table search for 1- and 2-character terms (巡视, 巡察), by the archive's search.

The trigram index behind Datasette's own `_search` needs 3+ characters. A search of the notices
table with a shorter term is handed to archive.search (the CLI's search, with its short-term
index) instead: the request's `_search` is renamed before Datasette reads it, and the filter
below keeps the rows whose URL the library found: its newest matches, up to Datasette's
max_returned_rows (a page of the table never shows more). Terms of 3+ characters keep the
trigram path.
"""

import json
import re
from urllib.parse import parse_qsl, urlencode

from datasette.filters import FilterArguments
from sqlite_utils import Database

from ..search import search

PARAM = "_archive_search"
_NOTICES_PATH = re.compile(r"/notices(\.\w+)?$")


def is_short(query: str) -> bool:
    """True when some term is too short for the trigram index."""
    terms = query.split()
    return bool(terms) and any(len(term) < 3 for term in terms)


def rewrite(query_string: bytes) -> bytes:
    """The query string with a short `_search` renamed to PARAM (others unchanged)."""
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(key == "_search" and is_short(value) for key, value in pairs):
        return query_string
    pairs = [(PARAM if key == "_search" else key, value) for key, value in pairs]
    return urlencode(pairs).encode("ascii")


def wrap(app):
    """ASGI middleware: rewrite short searches of the notices table."""

    async def inner(scope, receive, send):
        if scope.get("type") == "http" and _NOTICES_PATH.search(scope.get("path", "")):
            scope = dict(scope, query_string=rewrite(scope.get("query_string", b"")))
        await app(scope, receive, send)

    return inner


def filters(request, database, table, datasette):
    """Keep the notices the library's search finds for PARAM."""
    query = request.args.get(PARAM)
    if table != "notices" or not query:
        return None

    async def inner() -> FilterArguments:
        db = datasette.get_database(database)
        limit = datasette.setting("max_returned_rows")
        urls = await db.execute_fn(
            lambda conn: [
                row["url"] for row in search(Database(conn, execute_plugins=False), query, limit)
            ]
        )
        described = f'search matches "{query}"'
        if len(urls) >= limit:
            described += f" (its newest {limit:,} matches)"
        return FilterArguments(
            ["url IN (SELECT value FROM json_each(:archive_search_urls))"],
            {"archive_search_urls": json.dumps(urls, ensure_ascii=False)},
            [described],
            {"search": query, "supports_search": True},
        )

    return inner
