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
    # 4: what notices state (fields, headline counts, numbered items), attachments, response
    # headers for WARC export, and a `notices` view for Datasette
    """
    CREATE TABLE notice_fields (
        version_id INTEGER PRIMARY KEY REFERENCES versions(id),
        parser_version TEXT NOT NULL,
        issuer TEXT,
        kind TEXT,
        report_type TEXT,
        inspection_body TEXT,
        inspection_round TEXT,
        period_start TEXT,
        period_end TEXT,
        feedback_date TEXT,
        phone TEXT,
        email TEXT,
        postal_address TEXT,
        item_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE notice_counts (
        version_id INTEGER NOT NULL REFERENCES versions(id),
        position INTEGER NOT NULL,
        measure TEXT NOT NULL,
        number REAL NOT NULL,
        unit TEXT NOT NULL,
        PRIMARY KEY (version_id, position)
    );
    CREATE TABLE notice_items (
        version_id INTEGER NOT NULL REFERENCES versions(id),
        position INTEGER NOT NULL,
        section_path TEXT NOT NULL,
        marker TEXT NOT NULL,
        number INTEGER NOT NULL,
        depth INTEGER NOT NULL,
        leaf INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (version_id, position)
    );
    CREATE TABLE attachments (
        page_id INTEGER NOT NULL REFERENCES pages(id),
        attachment_page_id INTEGER NOT NULL REFERENCES pages(id),
        label TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (page_id, attachment_page_id)
    );
    CREATE INDEX attachments_attachment ON attachments(attachment_page_id);
    ALTER TABLE pages ADD COLUMN content_kind TEXT NOT NULL DEFAULT 'html';
    ALTER TABLE fetches ADD COLUMN headers TEXT;
    CREATE INDEX fetches_version ON fetches(version_id);
    CREATE VIEW notices AS
    SELECT p.id AS page_id, p.url, p.portal_id AS portal, po.region, po.level,
           v.title, v.published, substr(v.published, 1, 4) AS year, v.number AS version,
           v.kind AS version_kind, v.fetched_at, p.first_seen, p.state, p.content_kind,
           f.issuer, f.kind, f.report_type, f.inspection_body, f.inspection_round,
           f.period_start, f.period_end, f.feedback_date, f.phone, f.email, f.postal_address,
           f.item_count, v.text
    FROM pages p
    JOIN versions v ON v.page_id = p.id AND v.number = p.current_version
    LEFT JOIN portals po ON po.id = p.portal_id
    LEFT JOIN notice_fields f ON f.version_id = v.id;
    """,
    # 5: copy signatures are now made from a sample of CRC-32 hashed shingles: the old band
    # keys cannot be compared with new ones, so matches are dropped and made again (the next
    # crawl, or `python -m archive index-copies`, indexes every page that has none)
    """
    DELETE FROM copy_bands;
    DELETE FROM copy_pairs;
    DELETE FROM copy_clusters;
    """,
    # 6: short (1-2 character) search terms scan current versions newest first and stop at the
    # limit, instead of reading every text before sorting
    """
    CREATE INDEX versions_published ON versions(published);
    """,
    # 7: the `notices` view lists notices, not the files they link (a file published on its
    # own, linked by no notice, is a notice); each notice counts its files
    """
    DROP VIEW IF EXISTS notices;
    CREATE VIEW notices AS
    SELECT p.id AS page_id, p.url, p.portal_id AS portal, po.region, po.level,
           v.title, v.published, substr(v.published, 1, 4) AS year, v.number AS version,
           v.kind AS version_kind, v.fetched_at, p.first_seen, p.state, p.content_kind,
           f.issuer, f.kind, f.report_type, f.inspection_body, f.inspection_round,
           f.period_start, f.period_end, f.feedback_date, f.phone, f.email, f.postal_address,
           f.item_count, v.text,
           (SELECT count(*) FROM attachments a WHERE a.page_id = p.id) AS attachment_count
    FROM pages p
    JOIN versions v ON v.page_id = p.id AND v.number = p.current_version
    LEFT JOIN portals po ON po.id = p.portal_id
    LEFT JOIN notice_fields f ON f.version_id = v.id
    WHERE p.id NOT IN (SELECT attachment_page_id FROM attachments);
    """,
    # 8: one search index for terms of any length, holding no text: the trigram index (which
    # kept its own copy of every text and took nearly three times its size) gives way to a
    # contentless index of two-character tokens, row id = version id (archive.search; the
    # search_tokens() SQL function is registered by archive.db.open_database)
    """
    DROP TABLE search_index;
    CREATE VIRTUAL TABLE search_terms USING fts5(
        terms, content='', tokenize='ascii', detail=none, columnsize=0
    );
    INSERT INTO search_terms (rowid, terms)
    SELECT v.id, search_tokens(v.title, v.text)
    FROM pages p JOIN versions v ON v.page_id = p.id AND v.number = p.current_version;
    """,
    # 9: numbered items refer to the span of their version's text they hold (text_start and
    # text_end, in characters) instead of copying it; `text` is kept only for an item whose text
    # is not one span (a heading continued after its inline enumeration). The view
    # notice_item_texts reads items with their text. WITHOUT ROWID: the key is the table's only
    # index.
    """
    CREATE TABLE notice_items_spans (
        version_id INTEGER NOT NULL REFERENCES versions(id),
        position INTEGER NOT NULL,
        section_path TEXT NOT NULL,
        marker TEXT NOT NULL,
        number INTEGER NOT NULL,
        depth INTEGER NOT NULL,
        leaf INTEGER NOT NULL,
        text_start INTEGER NOT NULL,
        text_end INTEGER NOT NULL,
        text TEXT,
        PRIMARY KEY (version_id, position)
    ) WITHOUT ROWID;
    INSERT INTO notice_items_spans
    SELECT i.version_id, i.position, i.section_path, i.marker, i.number, i.depth, i.leaf,
           max(instr(v.text, i.text) - 1, 0), max(instr(v.text, i.text) - 1, 0) + length(i.text)
               * (instr(v.text, i.text) > 0),
           CASE WHEN instr(v.text, i.text) > 0 THEN NULL ELSE i.text END
    FROM notice_items i JOIN versions v ON v.id = i.version_id;
    DROP TABLE notice_items;
    ALTER TABLE notice_items_spans RENAME TO notice_items;
    CREATE VIEW notice_item_texts AS
    SELECT i.version_id, i.position, i.section_path, i.marker, i.number, i.depth, i.leaf,
           coalesce(i.text, substr(v.text, i.text_start + 1, i.text_end - i.text_start)) AS text
    FROM notice_items i JOIN versions v ON v.id = i.version_id;
    """,
    # 10: the change feed reads the fetches that found a page gone, and the pages delisted, since
    # a date, not every fetch and page
    """
    CREATE INDEX fetches_outcome ON fetches(outcome, fetched_at);
    CREATE INDEX pages_delisted ON pages(delisted_since);
    """,
    # 11: the distributed writer (crawler.ingest): every queue message it applied, recorded in
    # the transaction of its writes (a restarted writer skips what is here: nothing is written
    # twice), with the counts of what it did; and the archive's run of each distributed run
    """
    CREATE TABLE ingested_messages (
        id TEXT PRIMARY KEY,
        run_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        counts TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX ingested_messages_run ON ingested_messages(run_key);
    CREATE TABLE ingested_runs (
        run_key TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id)
    );
    """,
    # 12: copies are the same notice, not only similar texts: each pair keeps why its pages are
    # one notice (`basis`, notice.identity: the same issuer and round, else the same title; NULL
    # when they are not, such as one template filled in by two units), and clusters link only
    # such pairs. The clusters are derived again at the default threshold (0.7); pages never
    # matched stay unmatched (the next crawl, or `index-copies`, matches them).
    """
    ALTER TABLE copy_pairs ADD COLUMN basis TEXT;
    UPDATE copy_pairs SET basis = copy_basis(
        (SELECT json_array(f.issuer, f.inspection_round, v.title) FROM pages p
         JOIN versions v ON v.page_id = p.id AND v.number = p.current_version
         LEFT JOIN notice_fields f ON f.version_id = v.id WHERE p.id = copy_pairs.page_a),
        (SELECT json_array(f.issuer, f.inspection_round, v.title) FROM pages p
         JOIN versions v ON v.page_id = p.id AND v.number = p.current_version
         LEFT JOIN notice_fields f ON f.version_id = v.id WHERE p.id = copy_pairs.page_b)
    );
    WITH RECURSIVE links (a, b) AS (
        SELECT page_a, page_b FROM copy_pairs WHERE similarity >= 0.7 AND basis IS NOT NULL
        UNION ALL
        SELECT page_b, page_a FROM copy_pairs WHERE similarity >= 0.7 AND basis IS NOT NULL
    ), reach (root, page) AS (
        SELECT page_id, page_id FROM copy_clusters
        UNION
        SELECT reach.root, links.b FROM reach JOIN links ON links.a = reach.page
    )
    INSERT OR REPLACE INTO copy_clusters (page_id, cluster_id)
    SELECT page, min(root) FROM reach GROUP BY page;
    """,
    # 13: the event log (archive.events): every change the archive reports, one append-only row
    # with an increasing id, written in the transaction of the change, so that a consumer
    # storing the last id it read misses and repeats nothing (`changes --after ID`). The history
    # archived before is logged in time order: versions (new, changed, revert, reextract), then
    # what fetches found (chrome-only, returned, gone, soft-gone, redirected, blocked: each the
    # first of its kind in a row), then the notices delisted now (earlier delistings and
    # relistings left no trace). The archive gets an id of its own (Atom ids name it).
    """
    CREATE TABLE archive_identity (id TEXT NOT NULL);
    INSERT INTO archive_identity (id) VALUES (lower(hex(randomblob(16))));
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        page_id INTEGER NOT NULL REFERENCES pages(id),
        version_id INTEGER REFERENCES versions(id),
        fetch_id INTEGER REFERENCES fetches(id),
        run_id INTEGER REFERENCES runs(id),
        notice_id INTEGER REFERENCES pages(id),
        detail TEXT
    );
    CREATE INDEX events_at ON events(at);
    CREATE INDEX events_page ON events(page_id, id);
    CREATE INDEX events_version ON events(version_id);
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    WITH files AS (
        SELECT attachment_page_id AS page_id, min(page_id) AS notice_id FROM attachments
        GROUP BY attachment_page_id
    ), found AS (
        SELECT f.fetched_at AS at, 0 AS rank, f.id AS source, 'returned' AS kind, f.page_id,
               (SELECT v.id FROM versions v WHERE v.page_id = f.page_id
                AND v.fetched_at <= f.fetched_at ORDER BY v.number DESC LIMIT 1) AS version_id,
               f.id AS fetch_id, f.run_id, f.detail
        FROM fetches f WHERE f.page_id IS NOT NULL AND f.detail LIKE 'returned after being %'
        UNION ALL
        SELECT v.fetched_at, 1, v.id, v.kind, v.page_id, v.id,
               (SELECT f.id FROM fetches f WHERE f.version_id = v.id), v.run_id, NULL
        FROM versions v
        UNION ALL
        SELECT f.fetched_at, 1, f.id,
               CASE WHEN f.outcome = 'gone' AND f.detail LIKE 'soft 404%' THEN 'soft-gone'
                    ELSE f.outcome END,
               f.page_id,
               (SELECT v.id FROM versions v WHERE v.page_id = f.page_id
                AND v.fetched_at <= f.fetched_at ORDER BY v.number DESC LIMIT 1),
               f.id, f.run_id, f.detail
        FROM fetches f
        WHERE f.page_id IS NOT NULL AND (
            f.outcome = 'chrome-only'
            OR (f.outcome IN ('gone', 'redirected', 'blocked') AND coalesce(
                (SELECT p.outcome || CASE WHEN p.outcome = 'redirected'
                                          THEN ' ' || coalesce(p.detail, '') ELSE '' END
                 FROM fetches p WHERE p.page_id = f.page_id AND p.id < f.id
                 AND p.outcome != 'error' ORDER BY p.id DESC LIMIT 1), '')
                != f.outcome || CASE WHEN f.outcome = 'redirected'
                                     THEN ' ' || coalesce(f.detail, '') ELSE '' END)
        )
        UNION ALL
        SELECT p.delisted_since, 2, p.id, 'delisted', p.id,
               (SELECT v.id FROM versions v
                WHERE v.page_id = p.id AND v.number = p.current_version), NULL, NULL, NULL
        FROM pages p WHERE p.delisted_since IS NOT NULL
    )
    INSERT INTO events (at, kind, page_id, version_id, fetch_id, run_id, notice_id, detail)
    SELECT found.at, found.kind, found.page_id, found.version_id, found.fetch_id, found.run_id,
           files.notice_id, found.detail
    FROM found LEFT JOIN files ON files.page_id = found.page_id
    ORDER BY found.at, found.rank, found.source;
    """,
    # 14: the portal health ledger (archive.health): one row per run and portal, written when
    # the run ends, in its closing transaction; the states (ok, silent, degraded, blocked, down)
    # are derived from them when read. `coverage` and `template_changed` are NULL where the run
    # recorded no list coverage or template model.
    """
    CREATE TABLE health_ledger (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        portal_id TEXT NOT NULL,
        at TEXT NOT NULL,
        run_status TEXT NOT NULL,
        reachable INTEGER NOT NULL,
        blocked_by TEXT,
        pages INTEGER NOT NULL,
        listed INTEGER,
        new INTEGER NOT NULL,
        changed INTEGER NOT NULL,
        gone INTEGER NOT NULL,
        delisted INTEGER NOT NULL,
        lists_complete INTEGER,
        incomplete_why TEXT,
        coverage TEXT,
        template_changed INTEGER,
        errors INTEGER NOT NULL,
        PRIMARY KEY (run_id, portal_id)
    );
    CREATE INDEX health_ledger_portal ON health_ledger(portal_id, run_id);
    """,
    # 15: alerts (archive.notify): for each destination (the SHA-256 of its Apprise URL, which
    # holds its secret), the last event and run delivered, so that a failed delivery is sent
    # again next time from there: nothing lost, nothing sent twice
    """
    CREATE TABLE notify_deliveries (
        destination TEXT PRIMARY KEY,
        shown_as TEXT NOT NULL,
        last_event INTEGER NOT NULL,
        last_run INTEGER NOT NULL,
        delivered_at TEXT,
        failed_at TEXT,
        error TEXT
    );
    """,
    # 16: coverage (crawler.coverage): per run, what each list of each portal said it holds
    # (stated items and pages), what the crawl read of it, and whether it was complete; per run
    # and portal, whether its listing was complete and why not. And the URLs sitemaps and feeds
    # listed that a crawl fetched and did not archive (not notices): a later crawl fetches them
    # again only when their lastmod changes (crawler.sources.admit). New tables only, so it
    # may run again on a copy whose later state was undone (IF NOT EXISTS)
    """
    CREATE TABLE IF NOT EXISTS coverage (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        portal_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        list_url TEXT NOT NULL,
        stated_items INTEGER,
        stated_pages INTEGER,
        read_items INTEGER,
        read_pages INTEGER NOT NULL,
        complete INTEGER NOT NULL,
        reason TEXT,
        PRIMARY KEY (run_id, portal_id, kind, list_url)
    );
    CREATE TABLE IF NOT EXISTS portal_coverage (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        portal_id TEXT NOT NULL,
        complete INTEGER NOT NULL,
        reason TEXT,
        lists INTEGER NOT NULL,
        incomplete_lists INTEGER NOT NULL,
        PRIMARY KEY (run_id, portal_id)
    );
    CREATE TABLE IF NOT EXISTS source_urls (
        portal_id TEXT NOT NULL,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        changed TEXT,
        run_id INTEGER REFERENCES runs(id),
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (portal_id, url)
    );
    """,
    # 17: list recipes: how a list the explorer read in the browser is read over plain HTTP
    # (crawler.explore.recipes, as JSON), per portal and list; the next crawl replays them
    # without the browser, and explores the list again once a replay read nothing
    """
    CREATE TABLE list_recipes (
        portal_id TEXT NOT NULL,
        list_url TEXT NOT NULL,
        key TEXT NOT NULL,
        recipe TEXT NOT NULL,
        learned_at TEXT NOT NULL,
        learned_run INTEGER REFERENCES runs(id),
        replayed_at TEXT,
        items INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (portal_id, list_url, key)
    );
    """,
    # 18: the template model (notice.template): per portal and template, what its pages taught
    # (`model`, JSON: unit counts, signature, <title> parts, the URLs learned from) and what
    # it makes of them (pages, revision of its chrome, chrome units); and the pages of a
    # template still too young to know its chrome, held until it knows (`item`: the crawl
    # item as the distributed queue's codec writes it), so that no first version keeps it
    """
    CREATE TABLE templates (
        portal_id TEXT NOT NULL,
        id INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        chrome INTEGER NOT NULL,
        first_seen TEXT,
        last_seen TEXT,
        model TEXT NOT NULL,
        PRIMARY KEY (portal_id, id)
    );
    CREATE TABLE parked_pages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL UNIQUE,
        portal_id TEXT NOT NULL,
        template INTEGER NOT NULL,
        parked_at TEXT NOT NULL,
        item TEXT NOT NULL
    );
    CREATE INDEX parked_pages_template ON parked_pages(portal_id, template);
    """,
]

LATEST = len(MIGRATIONS)
