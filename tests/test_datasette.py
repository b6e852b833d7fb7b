"""Datasette over a real archive with the bundled metadata: facets, search, canned queries."""

import json
import sys
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from screenshots import served

from demo.crawl import PROJECT_ROOT

METADATA = PROJECT_ROOT / "archive" / "datasette" / "metadata.json"


@pytest.fixture(params=["metadata-file", "archive-command"])
def datasette(request, site, crawl, archive_path: Path, tmp_path: Path):
    """Datasette serving the crawled archive (edited once, so one notice has two versions):
    as the README says (`datasette archive.db -m …`), and by `python -m archive datasette` on a
    file of another name."""
    crawl()
    site.edit_text("/xm/zwgk/tzgg/202109/t20210930_1870.htm", "核查档案420卷", "核查档案450卷")
    crawl("-a", "full=1")
    if request.param == "metadata-file":
        command = [sys.executable, "-m", "datasette", "serve", str(archive_path)]
        command += ["-m", str(METADATA)]
        name = "archive"
    else:
        demo = archive_path.with_name("demo.db")
        archive_path.rename(demo)
        command = [sys.executable, "-m", "archive", "--db", str(demo), "datasette"]
        name = "demo"
    with served(command, tmp_path / "datasette.log") as base:
        yield lambda path: json.load(
            urllib.request.urlopen(base + path.replace("/archive/", f"/{name}/"), timeout=30)
        )


def test_datasette_browses_the_archive_out_of_the_box(site, datasette):
    # the notices view, with its configured facets
    page = datasette("/archive/notices.json?_shape=objects&_facet=year")
    rows = page["rows"]
    assert {row["url"] for row in rows} >= {site.url(i.path) for i in site.notices(["sample-sm"])}
    facets = page["facet_results"]
    facets = facets.get("results", facets)  # the layout differs between Datasette versions
    # year on request: a year facet reads every version of a large archive
    assert {"portal", "region", "level", "kind", "report_type", "year"} <= set(facets)
    kinds = {value["value"] for value in facets["kind"]["results"]}
    assert kinds == {"巡视", "巡察"}
    # full-text search is archive.search's (its index holds two-character tokens, which
    # Datasette's own FTS search cannot query): the web view calls it
    # canned queries
    changed = datasette("/archive/changed_after_publication.json?_shape=array")
    assert [row["url"] for row in changed] == [site.url("/xm/zwgk/tzgg/202109/t20210930_1870.htm")]
    assert changed[0]["versions"] == 2
    measures = datasette("/archive/measures.json?_shape=array&measure=" + quote("整改措施"))
    assert {(row["issuer"], row["number"]) for row in measures} >= {("中共厦门市思明区委", 212)}
