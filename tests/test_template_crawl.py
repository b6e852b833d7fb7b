"""The template model in a real crawl (`scrapy crawl` subprocesses on a portal served on
127.0.0.1): notices archived without their template's chrome, and a recrawl in which only the
chrome changed (a view counter rises on every request) writes no version."""

import json

from demo.sample.templated import CLOSING, Portal, serve
from notice.normalize import clean_lines

from conftest import cli_output, open_archive, run_crawl


def test_a_recrawl_where_only_the_chrome_changed_writes_no_version(tmp_path):
    archive_path = tmp_path / "archive.db"
    seeds = tmp_path / "seeds.toml"
    with serve(Portal(count=6)) as portal:
        seeds.write_text(portal.seeds(), "utf-8")
        for extra in ([], ["-a", "full=1"]):
            result = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False", *extra)
            assert result.returncode == 0, result.stderr[-3000:]
            assert not result.errors_logged, result.stderr[-5000:]
        urls = [portal.base_url + n.path for n in portal.notices]
        with open_archive(archive_path) as archive:
            assert archive.stats()["versions"] == len(urls)
            for notice, url in zip(portal.notices, urls, strict=True):
                version = archive.version(url)
                assert version["text"] == clean_lines("\n".join(notice.paragraphs))
                assert version["text"].endswith(
                    CLOSING + "\n" + notice.paragraphs[-2] + "\n" + notice.paragraphs[-1]
                )
                assert [f["outcome"] for f in archive.fetches(url)] == ["new", "chrome-only"]
            runs = archive.db.execute("SELECT stats FROM runs ORDER BY id").fetchall()
    second = json.loads(runs[-1][0])
    assert second["portal/tpl/template/matched"] == len(urls)
    assert second["portal/tpl/template_changed"] == 0  # the health ledger's: not redesigned
    report = json.loads(
        cli_output("template", "tpl", "--db", str(archive_path), "--json", module="crawler")
    )
    (template,) = report["templates"]
    assert template["state"] == "mature"
    chrome = " ".join(entry["text"] for entry in template["chrome"])
    assert "次浏览" in chrome and "本页编校" in chrome
