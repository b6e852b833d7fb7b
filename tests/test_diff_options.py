"""diff's --from and --to mean what they say, or are refused."""

import pytest
from click.testing import CliRunner

from archive import Archive, PageContent
from archive.cli import cli

URL = "http://p.gov.cn/t20251225_1.htm"
OTHER = "http://p.gov.cn/t20251226_2.htm"


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        for figure in ("211", "212", "213"):
            archive.record_page(
                URL,
                PageContent(text=f"制定{figure}条整改措施。", title="巡视整改通报"),
                figure.encode(),
            )
        archive.record_page(
            OTHER, PageContent(text="制定300条整改措施。", title="巡视整改通报"), b"o"
        )
    return str(path)


def diff(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, "diff", *args])


def test_from_and_to_pick_the_versions(db):
    assert "figures: 211条 → 213条" in diff(db, URL, "--from", "1").stdout
    assert "figures: 211条 → 212条" in diff(db, URL, "--to", "2").stdout
    assert "figures: 213条 → 211条" in diff(db, URL, "--from", "3", "--to", "1").stdout
    assert "figures: 212条 → 213条" in diff(db, URL).stdout


def test_a_missing_version_is_named(db):
    result = diff(db, URL, "--to", "9")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {URL} has no version 9 (it has versions 1 to 3)"]
    assert "has no version 7" in diff(db, URL, "--from", "7").stderr


def test_from_is_refused_with_two_pages(db):
    result = diff(db, URL, OTHER, "--from", "1")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: --from and --to are for `diff URL`; write A@N B@M instead"
    ]
    assert "figures: 211条 → 300条" in diff(db, f"{URL}@1", OTHER).stdout
