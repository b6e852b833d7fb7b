"""The offline demo works on a fresh machine: serve, crawl, summarise."""

from conftest import open_archive, run_cli


def test_demo_crawls_the_sample_portal(tmp_path):
    db = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(db), module="crawler")
    assert result.returncode == 0, result.stderr
    assert "Sample portal serving at http://127.0.0.1:" in result.stdout
    for portal in ("sample-xm", "sample-sm", "sample-ta"):
        assert portal in result.stdout
    assert f"Archive: {db}" in result.stdout
    with open_archive(db) as archive:
        assert archive.stats()["pages"] == 5
