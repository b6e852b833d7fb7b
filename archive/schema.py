"""Numbered schema migrations. Append new ones; never edit a released one."""

APPLICATION_ID = 0x52454354  # "RECT": marks a SQLite file as one of our archives

MIGRATIONS: list[str] = [
    # 1: the initial schema
    """
    CREATE TABLE portals (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        region TEXT,
        level TEXT,
        start_urls TEXT,
        updated_at TEXT
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        portals TEXT,
        counts TEXT,
        stats TEXT
    );
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        stored_size INTEGER NOT NULL,
        codec TEXT NOT NULL,
        data BLOB NOT NULL
    );
    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        portal_id TEXT REFERENCES portals(id),
        first_seen TEXT NOT NULL,
        last_seen TEXT,
        last_fetched TEXT,
        state TEXT NOT NULL DEFAULT 'live',
        state_since TEXT,
        redirect_to TEXT,
        current_version INTEGER,
        etag TEXT,
        last_modified TEXT,
        raw_sha256 TEXT
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        page_id INTEGER NOT NULL REFERENCES pages(id),
        number INTEGER NOT NULL,
        fetched_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        kind TEXT NOT NULL,
        reverts_to INTEGER,
        title TEXT,
        published TEXT,
        source TEXT,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        blob_sha256 TEXT REFERENCES blobs(sha256),
        extractor TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        metadata TEXT,
        UNIQUE (page_id, number)
    );
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        page_id INTEGER REFERENCES pages(id),
        url TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        status INTEGER,
        bytes INTEGER,
        outcome TEXT NOT NULL,
        blob_sha256 TEXT REFERENCES blobs(sha256),
        version_id INTEGER REFERENCES versions(id),
        detail TEXT
    );
    CREATE INDEX fetches_page ON fetches(page_id, fetched_at);
    CREATE INDEX fetches_run ON fetches(run_id);
    CREATE INDEX versions_fetched ON versions(fetched_at);
    CREATE INDEX pages_portal ON pages(portal_id);
    CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
        BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END;
    CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
        BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END;
    CREATE VIRTUAL TABLE search_index USING fts5(title, text, tokenize='trigram');
    """,
    # 2: notices that vanished from their list page while still answering
    """
    ALTER TABLE pages ADD COLUMN delisted_since TEXT;
    CREATE INDEX pages_state ON pages(state);
    """,
    # 3: copies of a notice across pages: MinHash LSH bands, similar pairs, clusters
    """
    CREATE TABLE copy_bands (
        band TEXT NOT NULL,
        page_id INTEGER NOT NULL REFERENCES pages(id)
    );
    CREATE INDEX copy_bands_band ON copy_bands(band);
    CREATE INDEX copy_bands_page ON copy_bands(page_id);
    CREATE TABLE copy_pairs (
        page_a INTEGER NOT NULL REFERENCES pages(id),
        page_b INTEGER NOT NULL REFERENCES pages(id),
        similarity REAL NOT NULL,
        computed_at TEXT NOT NULL,
        PRIMARY KEY (page_a, page_b)
    );
    CREATE INDEX copy_pairs_b ON copy_pairs(page_b);
    CREATE TABLE copy_clusters (
        page_id INTEGER PRIMARY KEY REFERENCES pages(id),
        cluster_id INTEGER NOT NULL
    );
    CREATE INDEX copy_clusters_cluster ON copy_clusters(cluster_id);
    """,
]

LATEST = len(MIGRATIONS)
