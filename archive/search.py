"""Full-text search over current versions: FTS5 trigram, with a substring fallback.

The trigram tokenizer matches substrings of three or more characters, which suits Chinese;
shorter terms (巡视 is two characters) are matched with instr() on the current versions, newest
first, stopping at the limit: quick for terms that occur, a scan of every text for absent ones.
"""

from sqlite_utils import Database

SNIPPET_CHARS = 40


def _fts_query(terms: list[str]) -> str:
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _snippet(text: str, term: str) -> str:
    pos = text.find(term)
    if pos < 0:
        return text[: SNIPPET_CHARS * 2]
    start = max(0, pos - SNIPPET_CHARS)
    end = pos + len(term) + SNIPPET_CHARS
    return (
        ("…" if start else "")
        + text[start:pos]
        + "["
        + term
        + "]"
        + text[pos + len(term) : end]
        + ("…" if end < len(text) else "")
    ).replace("\n", " ")


_SELECT = (
    "SELECT p.url, p.portal_id AS portal, v.number AS version, v.title, v.published, "
    "s.text AS _text FROM search_index s JOIN pages p ON p.id = s.rowid "
    "JOIN versions v ON v.page_id = p.id AND v.number = p.current_version "
)


# Current versions, newest first, read in index order so that a scan stops at the limit.
_NEWEST_FIRST = (
    "SELECT p.url, p.portal_id AS portal, v.number AS version, v.title, v.published, "
    "v.text AS _text FROM versions v INDEXED BY versions_published "
    "CROSS JOIN pages p ON p.id = v.page_id AND p.current_version = v.number "
)


def search(db: Database, query: str, limit: int = 20) -> list[dict]:
    """Pages whose current title or text contains every term of the query."""
    terms = query.split()
    if not terms:
        return []
    if all(len(term) >= 3 for term in terms):
        sql = _SELECT + "WHERE search_index MATCH ? ORDER BY rank LIMIT ?"
        params: list = [_fts_query(terms), limit]
    else:
        cond = " AND ".join("(instr(v.title, ?) > 0 OR instr(v.text, ?) > 0)" for _ in terms)
        sql = _NEWEST_FIRST + f"WHERE {cond} ORDER BY v.published DESC LIMIT ?"
        params = [t for term in terms for t in (term, term)] + [limit]
    results = []
    for row in db.query(sql, params):
        text = row.pop("_text")
        row["snippet"] = _snippet(text, terms[0])
        results.append(row)
    return results
