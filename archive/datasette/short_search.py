"""Datasette's table search of the notices, for terms of any length, by the archive's search.

Datasette's own `_search` asks the full-text index the metadata names (`fts_table`); a trigram
index needs 3+ characters, so 巡视 and 巡察 would find nothing. Such a search, and every search
when the metadata names no index, is handed to archive.search (the CLI's search, with its
short-term index) instead: the request's `_search` is renamed before Datasette reads it, and
the filter below keeps the rows whose URL the library found: its newest matches, up to
Datasette's max_returned_rows (a page of the table never shows more).
"""

import json
import re
from urllib.parse import parse_qsl, urlencode

from datasette.filters import FilterArguments
from sqlite_utils import Database

from ..search import search

PARAM = "_archive_search"
TABLE = "notices"
_TABLE_PATH = re.compile(rf"^/(?P<database>[^/]+)/{TABLE}(\.\w+)?$")


def is_short(query: str) -> bool:
    """True when some term is too short for a trigram index."""
    terms = query.split()
    return bool(terms) and any(len(term) < 3 for term in terms)


def rewrite(query_string: bytes, *, indexed: bool = True) -> bytes:
    """The query string with `_search` renamed to PARAM when the library must answer it: a
    short term, or any term when there is no full-text index (`indexed` False)."""
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(key == "_search" and (is_short(value) or not indexed) for key, value in pairs):
        return query_string
    pairs = [(PARAM if key == "_search" else key, value) for key, value in pairs]
    return urlencode(pairs).encode("ascii")


def wrap(app, datasette):
    """ASGI middleware: hand the notices table's searches to the library where needed."""

    async def inner(scope, receive, send):
        match = _TABLE_PATH.match(scope.get("path", "")) if scope.get("type") == "http" else None
        if match and scope.get("query_string"):
            metadata = datasette.table_metadata(match["database"], TABLE)
            indexed = bool(metadata.get("fts_table"))
            scope = dict(scope, query_string=rewrite(scope["query_string"], indexed=indexed))
        await app(scope, receive, send)

    return inner


def filters(request, database, table, datasette):
    """Offer search on the notices table; keep the notices the library finds for PARAM.
    (Runs after Datasette's own filter, whose `supports_search` needs an fts_table.)"""
    if table != TABLE:
        return None

    async def inner() -> FilterArguments:
        context = {"supports_search": True}
        query = request.args.get(PARAM)
        if not query:
            return FilterArguments([], extra_context=context)
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
            {**context, "search": query},
        )

    return inner
