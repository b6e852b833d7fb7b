"""Full-text search over current versions, for Chinese terms of any length.

One index serves every term: `search_terms`, a contentless FTS5 table holding each current
version's title and text as overlapping two-character tokens (巡视整改 → 巡视 视整 整改 改),
with only row ids kept (detail=none). A query asks the index for the versions holding every
token of its terms, and the candidates are verified against the stored text, newest first. The
index stores no text: each text is kept once, in `versions`.

Tokens are made from runs of letters and digits: each pair of neighbours, and the run's last
character alone, so that a one-character term is found as the prefix of a token. A term with
no letter or digit (punctuation) is matched by reading the texts.
"""

from sqlite_utils import Database

from notice.tokens import RUN, index_text

SNIPPET_CHARS = 40
# Candidates up to this many are read and sorted; more (a common term) are verified in date
# order, newest first, stopping at the limit.
FEW_CANDIDATES = 500


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def match_query(terms: list[str]) -> str | None:
    """The FTS5 query for versions that may contain every term (None: a term has no token).

    Every token of a term is a token of any text holding the term; a run that ends the term is
    followed in such a text by anything, so its last character is asked for only as a prefix
    when it is alone (a longer run's last character is already in its last pair)."""
    parts = []
    for term in terms:
        runs = list(RUN.finditer(term))
        if not runs:
            return None
        for run in runs:
            chars = run.group()
            parts += [_quoted(chars[i : i + 2]) for i in range(len(chars) - 1)]
            if run.end() < len(term):
                parts.append(_quoted(chars[-1]))
            elif len(chars) == 1:
                parts.append(_quoted(chars) + " *")
    return " AND ".join(dict.fromkeys(parts))


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


_COLUMNS = (
    "SELECT p.url, p.portal_id AS portal, v.number AS version, v.title, v.published, "
    "v.text AS _text "
)
# A few candidates: read by id, then sorted.
_BY_ID = _COLUMNS + (
    "FROM versions v JOIN pages p ON p.id = v.page_id AND p.current_version = v.number "
)
# Current versions, newest first, read in index order so that a scan stops at the limit.
_NEWEST_FIRST = _COLUMNS + (
    "FROM versions v INDEXED BY versions_published "
    "CROSS JOIN pages p ON p.id = v.page_id AND p.current_version = v.number "
)
_CANDIDATES = "SELECT rowid FROM search_terms WHERE search_terms MATCH ?"


def _matching(db: Database, terms: list[str]) -> tuple[str, list] | None:
    """The query of the current versions holding every term, and its parameters (None: no
    candidate at all)."""
    verify = " AND ".join("(instr(v.title, ?) > 0 OR instr(v.text, ?) > 0)" for _ in terms)
    params: list = [t for term in terms for t in (term, term)]
    match = match_query(terms)
    if match is None:
        return _NEWEST_FIRST + f"WHERE {verify}", params
    ids = [row[0] for row in db.execute(f"{_CANDIDATES} LIMIT ?", [match, FEW_CANDIDATES + 1])]
    if not ids:
        return None
    if len(ids) <= FEW_CANDIDATES:
        return _BY_ID + f"WHERE v.id IN ({', '.join('?' * len(ids))}) AND {verify}", ids + params
    return _NEWEST_FIRST + f"WHERE v.id IN ({_CANDIDATES}) AND {verify}", [match, *params]


def count(db: Database, query: str) -> int:
    """How many pages hold every term of the query (what `search` would find without a
    limit)."""
    terms = query.split()
    found = _matching(db, terms) if terms else None
    if found is None:
        return 0
    sql, params = found
    return db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def search(db: Database, query: str, limit: int = 20) -> list[dict]:
    """Pages whose current title or text contains every term of the query, newest first."""
    terms = query.split()
    found = _matching(db, terms) if terms else None
    if found is None:
        return []
    sql, params = found
    results = []
    for row in db.query(sql + " ORDER BY v.published DESC LIMIT ?", [*params, limit]):
        text = row.pop("_text")
        row["snippet"] = _snippet(text, terms[0])
        results.append(row)
    return results


def add(db: Database, version_id: int, tokens: str) -> None:
    """Index a version (it becomes its page's current one) by its tokens
    (notice.tokens.index_text); call inside the write's transaction."""
    db.execute("INSERT INTO search_terms (rowid, terms) VALUES (?, ?)", [version_id, tokens])


def remove(db: Database, version_id: int, title: str | None, text: str) -> None:
    """Take a version out of the index (a contentless index is told what it had indexed)."""
    db.execute(
        "INSERT INTO search_terms (search_terms, rowid, terms) VALUES ('delete', ?, ?)",
        [version_id, index_text(title, text)],
    )
