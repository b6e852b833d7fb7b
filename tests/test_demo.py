"""The offline demo works on a fresh machine: serve, crawl, summarise."""

from crawler.demo import demo_portals
from crawler.demo_site import SampleSite

from conftest import open_archive, run_cli


def test_demo_crawls_the_sample_portal(tmp_path):
    db = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(db), module="crawler")
    assert result.returncode == 0, result.stderr
    assert "Sample portal serving at http://127.0.0.1:" in result.stdout
    site = SampleSite("http://127.0.0.1:1")
    ids = demo_portals(site)
    assert "sample-js" in ids  # Chromium is installed where the tests run
    for portal in ids:
        assert portal in result.stdout
    assert f"Archive: {db}" in result.stdout
    with open_archive(db) as archive:
        assert archive.stats()["pages"] == site.archived(ids)
