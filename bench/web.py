"""Page latency of the web view (`python -m archive datasette`): median milliseconds per page,
each page requested through Datasette's own ASGI client, in this process, with the archive's
plugin loaded, as a reader's browser would ask for it (routing, SQL and templates included;
no network). The target is 200 ms a page at 100,000 versions.

    python -m bench.web ARCHIVE.db      # the figures for one archive, as JSON
"""

import asyncio
import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

TARGET_MS = 200
REPEATS = 7


def _datasette(archive_path: Path):
    from datasette.app import Datasette
    from datasette.plugins import pm

    from archive import browse
    from archive import datasette as plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="archive.datasette")
    metadata = browse.metadata_for(archive_path)
    return Datasette([str(archive_path)], metadata=metadata, settings=browse.SETTINGS)


def _targets(archive_path: Path) -> dict[str, str]:
    """The pages to time: the most-edited notice (its last two versions, its first and last
    side by side, its first version's text, its page as captured), a copy of a republished
    notice (or that notice), the last week's changes (all, and one kind on one portal), the
    notices table and its searches, home (the front page) and database."""
    import sqlite3

    with sqlite3.connect(f"file:{archive_path}?mode=ro", uri=True) as conn:
        url, last, portal, newest = conn.execute(
            "SELECT url, current_version, portal_id, (SELECT max(fetched_at) FROM versions) "
            "FROM pages ORDER BY current_version DESC LIMIT 1"
        ).fetchone()
        copy = conn.execute(
            "SELECT p.url FROM copy_clusters c JOIN pages p ON p.id = c.page_id "
            "WHERE c.cluster_id IN (SELECT cluster_id FROM copy_clusters GROUP BY cluster_id "
            "HAVING count(*) > 1) AND c.page_id != c.cluster_id LIMIT 1"
        ).fetchone()
    name = archive_path.stem
    week = (datetime.fromisoformat(newest[:10]) - timedelta(days=7)).strftime("%Y-%m-%d")
    notice = "/-/notice?" + urlencode({"url": url})
    return {
        "notice": notice,
        "notice_pair": notice + "&" + urlencode({"from": 1, "to": last}),
        "notice_side": notice + "&" + urlencode({"from": 1, "to": last, "view": "side"}),
        "notice_version": notice + "&v=1",
        "capture": "/-/capture?" + urlencode({"url": url}),
        "changes": "/-/changes?" + urlencode({"since": week}),
        "changes_filtered": "/-/changes?"
        + urlencode({"since": week, "kind": "changed", "portal": portal}),
        "changes_atom": "/-/changes.atom?" + urlencode({"since": week}),
        "copies": "/-/copies?" + urlencode({"url": copy[0] if copy else url}),
        "notices_table": f"/{name}/notices",
        "table_search_2": f"/{name}/notices?_search=" + quote("巡视"),
        "table_search_3+": f"/{name}/notices?_search=" + quote("整改措施"),
        "home": "/",
        "database": f"/{name}",
    }


async def _time_pages(ds, targets: dict[str, str]) -> dict[str, float]:
    await ds.invoke_startup()
    result = {}
    for key, path in targets.items():
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            response = await ds.client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
        result[key] = round(statistics.median(times), 2)
    return result


def page_latency(archive_path: Path) -> dict[str, float]:
    """Median milliseconds of each web page, with the slowest and the target."""
    pages = asyncio.run(_time_pages(_datasette(archive_path), _targets(archive_path)))
    pages["slowest"] = max(pages.values())
    pages["target"] = TARGET_MS
    return pages


if __name__ == "__main__":
    print(json.dumps(page_latency(Path(sys.argv[1])), indent=2))
