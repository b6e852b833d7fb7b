"""What a crawl prints at the default log level: what needs attention, in one line each (no
Scrapy banner, no statistics dump); a mistyped spider argument stops it before it starts."""

import json

import pytest

from conftest import closed_port, open_archive, run_crawl

BANNER = ("Scrapy 2.", "Versions:", "Overridden settings", "Enabled extensions", "Dumping")


def _dead_portal(tmp_path):
    port = closed_port()
    seeds = tmp_path / "dead.toml"
    seeds.write_text(
        f'[[portal]]\nid = "dead"\nname = "不可达门户"\nstart_urls = ["http://127.0.0.1:{port}/"]\n'
        'allowed_domains = ["127.0.0.1"]\n',
        "utf-8",
    )
    return seeds, port


def test_an_unreachable_portal_is_one_line(tmp_path, archive_path):
    seeds, port = _dead_portal(tmp_path)
    result = run_crawl(seeds, archive_path, log_level=None)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()  # 114 lines before
    assert f"ERROR: portal dead unreachable: http://127.0.0.1:{port}/ (" in line
    assert not any(word in result.stderr for word in BANNER)
    assert "UNREACHABLE" in result.stdout
    with open_archive(archive_path) as archive:
        stats = json.loads(archive.db.execute("SELECT stats FROM runs").fetchone()[0])
    assert stats["portal/dead/unreachable"] == 1
    assert stats["log_count/ERROR"] == 1  # its robots.txt that could not be read is no error


def test_invalid_seeds_are_the_only_line(tmp_path, archive_path):
    seeds = tmp_path / "bad.toml"
    seeds.write_text('[[portal]]\nid = "x"\nname = "某区"\n', "utf-8")
    result = run_crawl(seeds, archive_path, log_level=None)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"Error: {seeds}: portal 'x': field 'start_urls': missing required key (and 1 more "
        "problem(s): `python -m crawler check-seeds` lists them)"
    ]
    assert not archive_path.exists()


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        (
            "prtal=sample-xm",
            "unknown spider argument -a prtal=sample-xm (known: portal, seeds, full)",
        ),
        ("full=maybe", "-a full=maybe: give 1 (revisit every known notice) or 0"),
    ],
)
def test_a_mistyped_spider_argument_is_an_error(tmp_path, archive_path, argument, message):
    seeds, _ = _dead_portal(tmp_path)
    result = run_crawl(seeds, archive_path, "-a", argument, log_level=None)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"Error: {message}"]
    assert not archive_path.exists()  # nothing was crawled
