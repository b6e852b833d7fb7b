"""A URL pasted from a browser, a chat or a spreadsheet finds its archived page."""

import pytest
from click.testing import CliRunner

from archive import Archive, PageContent, UnknownPage
from archive.cli import cli

URL = "https://www.p.gov.cn/zwgk/t20251225_1.htm?id=7"


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        for figure in ("212", "215"):
            archive.record_page(
                URL,
                PageContent(text=f"制定{figure}条整改措施。", title="巡视整改情况通报"),
                figure.encode(),
            )
    return str(path)


PASTED = [
    f"  {URL}\n",
    f"{URL}#top",
    f"{URL}&utm_source=wechat&from=timeline",
    URL.replace("https://", "http://"),
    URL.replace("www.p.gov.cn", "WWW.P.GOV.CN:443"),
]


@pytest.mark.parametrize("pasted", PASTED)
def test_pasted_url_is_found(db, pasted):
    with Archive(db, create=False) as archive:
        assert archive.page(pasted)["url"] == URL
        assert archive.version(pasted)["url"] == URL
    runner = CliRunner()
    for args in (["show", pasted], ["history", pasted], ["diff", pasted], ["copies", pasted]):
        result = runner.invoke(cli, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.stderr)
    shown = runner.invoke(cli, ["--db", db, "history", pasted]).stdout
    assert shown.startswith(URL + "\n")
    diffed = runner.invoke(cli, ["--db", db, "diff", f"{pasted.strip()}@1", f"{URL}@2"]).stdout
    assert "- 制定21[-2-]条" in diffed and "+ 制定21{+5+}条" in diffed


def test_another_page_is_still_unknown(db):
    with Archive(db, create=False) as archive, pytest.raises(UnknownPage, match="id=8"):
        archive.page(URL.replace("id=7", "id=8"))
