"""Seed files: validation names the file, the portal and the field; shipped seeds load."""

from pathlib import Path

import pytest

from crawler.exceptions import SeedError
from crawler.seeds import OPTIONAL, REQUIRED, load_seeds, select

from conftest import run_cli

SEEDS = Path(__file__).parent.parent / "seeds"
GOOD = """
[[portal]]
id = "p1"
name = "某区人民政府"
start_urls = ["https://www.example.gov.cn/"]
allowed_domains = ["example.gov.cn"]
"""


def write(tmp_path, text, name="s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_required_keys_alone_are_enough(tmp_path):
    (portal,) = load_seeds(write(tmp_path, GOOD))
    assert (portal.id, portal.render, portal.max_depth) == ("p1", "auto", 3)
    assert portal.allowed_domains == ("example.gov.cn",)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ('name = "某区人民政府"', "name", "missing required key"),
        ('id = "p1"', "id", "missing required key"),
        ('start_urls = ["https://www.example.gov.cn/"]', "start_urls", "missing"),
        ('allowed_domains = ["example.gov.cn"]', "allowed_domains", "missing"),
    ],
)
def test_missing_key(tmp_path, change, field, message):
    path = write(tmp_path, GOOD.replace(change, ""))
    with pytest.raises(SeedError) as err:
        load_seeds(path)
    assert str(path) in str(err.value) and f"field '{field}'" in str(err.value)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ('colour = "red"', "colour", "unknown key"),
        ('level = "village"', "level", "must be one of"),
        ('render = "selenium"', "render", "must be one of"),
        ("max_depth = -1", "max_depth", "whole number"),
        ('max_pages = "many"', "max_pages", "whole number"),
        ('encoding = "klingon"', "encoding", "unknown encoding"),
        ('detail_pattern = "("', "detail_pattern", "regular expression"),
    ],
)
def test_bad_optional_value(tmp_path, extra, field, message):
    path = write(tmp_path, GOOD + extra + "\n")
    with pytest.raises(SeedError) as err:
        load_seeds(path)
    text = str(err.value)
    assert str(path) in text and "portal 'p1'" in text and f"field '{field}'" in text
    assert message in text


def test_start_url_outside_allowed_domains(tmp_path):
    path = write(tmp_path, GOOD.replace("https://www.example.gov.cn/", "https://evil.example.com/"))
    with pytest.raises(SeedError, match="outside allowed_domains"):
        load_seeds(path)


def test_duplicate_id_across_files(tmp_path):
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    with pytest.raises(SeedError, match=r"b\.toml: portal 'p1': field 'id': duplicate id"):
        load_seeds(tmp_path)


def test_broken_toml_and_missing_path(tmp_path):
    with pytest.raises(SeedError, match="not valid TOML"):
        load_seeds(write(tmp_path, "[[portal]\nid="))
    with pytest.raises(SeedError, match="no such seeds"):
        load_seeds(tmp_path / "nope.toml")


def test_select_unknown_portal_lists_known(tmp_path):
    portals = load_seeds(write(tmp_path, GOOD))
    with pytest.raises(SeedError, match="known: p1"):
        select(portals, "p2")


def test_shipped_seeds_are_valid():
    portals = {p.id: p for p in load_seeds(SEEDS)}
    districts = [
        p for p in portals.values() if p.region and "厦门" in p.region and p.level == "district"
    ]
    assert len(districts) == 6
    assert any(p.level == "municipal" and "厦门" in (p.region or "") for p in portals.values())
    # the notices view and the exports facet on these two
    assert [p.id for p in portals.values() if not (p.region and p.level)] == []


def test_shipped_seeds_cover_the_country():
    by_file: dict[str, list] = {}
    for portal in load_seeds(SEEDS):
        by_file.setdefault(Path(portal.source).name, []).append(portal)
    assert {p.id for p in by_file["central.toml"]} >= {"ccdi"}
    assert {p.level for p in by_file["central.toml"]} == {"central"}
    provinces = by_file["provinces.toml"]
    assert {p.level for p in provinces} == {"province"}
    assert len({p.region for p in provinces}) == 32  # 31 provinces and 兵团
    assert "新疆生产建设兵团" in {p.region for p in provinces}
    levels = {p.level for p in by_file["local.toml"]}
    assert levels == {"province", "municipal", "district", "county"}
    for name in ("central.toml", "provinces.toml", "local.toml"):
        for portal in by_file[name]:
            assert portal.notes and portal.notes.startswith("evidence:"), portal.id
            # the home page is a second start URL wherever a column is the first
            first = portal.start_urls[0]
            assert len(portal.start_urls) >= 2 or first.count("/") == 3, portal.id


# Named as mirrors or as unverified in the catalogue's evidence: never crawled.
NOT_SEEDED = (
    "qdubb.cn",
    "djmvtrix.com",
    "jwfz.org.cn",
    "lzfzwl.org.cn",
    "gxcounty.com",
    "shjw.gov.cn",
    "lnsupervision.gov.cn",
    "jljw.gov.cn",
    "hljjj.gov.cn",
    "cqjjjc.gov.cn",
    "ytjw.gov.cn",
    "hnlzw.net",
    "hangzhou.com.cn",
)


def test_shipped_seeds_leave_out_mirrors_and_unverified_domains():
    domains = {d for p in load_seeds(SEEDS) for d in p.allowed_domains}
    assert domains.isdisjoint(NOT_SEEDED)


API = """
[[portal.list_api]]
kind = "hanweb"
url = "https://www.example.gov.cn/module/web/jpage/dataproxy.jsp"
params = { columnid = 1234, webid = 2 }
per_page = 15
"""


def test_list_api_is_read(tmp_path):
    (portal,) = load_seeds(write(tmp_path, GOOD + API))
    (api,) = portal.list_apis
    assert (api.kind, api.per_page, api.params) == (
        "hanweb",
        15,
        (("columnid", "1234"), ("webid", "2")),
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ('kind = "hanweb"', "list_api.kind", "must be one of"),
        ("per_page = 15", "list_api.per_page", "whole number"),
        ("https://www.example.gov.cn/module", "list_api.url", "inside allowed_domains"),
        ("per_page = 15", "list_api.pagesize", "unknown key"),
    ],
)
def test_bad_list_api(tmp_path, change, field, message):
    replacement = {
        "list_api.kind": 'kind = "graphql"',
        "list_api.per_page": "per_page = 0",
        "list_api.url": "https://evil.example.com/module",
        "list_api.pagesize": "pagesize = 15",
    }[field]
    path = write(tmp_path, GOOD + API.replace(change, replacement))
    with pytest.raises(SeedError) as err:
        load_seeds(path)
    assert f"field '{field}'" in str(err.value) and message in str(err.value)


def test_robots_opt_out_needs_a_reason(tmp_path):
    with pytest.raises(
        SeedError, match="field 'robots_reason': robots = false needs a stated reason"
    ):
        load_seeds(write(tmp_path, GOOD + "robots = false\n"))
    (portal,) = load_seeds(
        write(tmp_path, GOOD + 'robots = false\nrobots_reason = "公开信息，站点robots误封全站"\n')
    )
    assert portal.robots is False


def test_search_key(tmp_path):
    url = "https://www.example.gov.cn/jsearchfront/search.do?websiteid=1&q={q}&p={page}"
    (portal,) = load_seeds(write(tmp_path, GOOD + f'search = "{url}"\n'))
    assert portal.search == url
    for bad in ("https://other.cn/s?q={q}", "https://www.example.gov.cn/s?q=x", "ftp://x/{q}"):
        with pytest.raises(SeedError, match=r"field 'search'.*\{q\}"):
            load_seeds(write(tmp_path, GOOD + f'search = "{bad}"\n'))


def test_every_problem_of_a_file_is_reported(tmp_path):
    """check-seeds names every problem of every file at once, not the first only; a crawl
    names the first and says how many more there are."""
    bad = (
        GOOD.replace('id = "p1"', 'id = "P 1"')
        + 'level = "village"\nmax_depth = 99\n'
        + "\n[[portal]]\n"
        + 'id = "p2"\nname = "某县"\nstart_urls = ["ftp://x.gov.cn/"]\n'
        + 'allowed_domains = ["x.gov.cn"]\ncolour = "red"\n'
    )
    path = write(tmp_path, bad, "a.toml")
    write(tmp_path, "[[portal]\n", "b.toml")
    result = run_cli("check-seeds", str(tmp_path), module="crawler")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {path}: portal 'P 1': field 'id': must be a slug: lower-case letters, digits, "
        "- and _",
        f"Error: {path}: portal 'P 1': field 'level': must be one of central, province, "
        "municipal, district, county",
        f"Error: {path}: portal 'P 1': field 'max_depth': must be a whole number from 0 to 20",
        f"Error: {path}: portal 'p2': field 'colour': unknown key (known: "
        + ", ".join(REQUIRED + OPTIONAL)
        + ")",
        f"Error: {path}: portal 'p2': field 'start_urls': 'ftp://x.gov.cn/' is not an http(s) URL",
        result.stderr.splitlines()[-1],
    ]
    assert result.stderr.splitlines()[-1].startswith(
        f"Error: {tmp_path / 'b.toml'}: not valid TOML"
    )
    with pytest.raises(SeedError) as err:
        load_seeds(tmp_path)
    assert str(err.value).endswith(
        "(and 5 more problem(s): `python -m crawler check-seeds` lists them)"
    )
