"""The project installs as a package that works outside the checkout, offline: a fresh virtual
environment, the project installed into it by pip, and its commands, run from another
directory, crawl a local site into an archive, extract a saved page, export the archive and
serve it in Datasette with the archive's plugin loaded through its entry point."""

import fnmatch
import html
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyarrow.parquet as pq
import pytest
from screenshots import served

from demo.crawl import LOCAL_SETTINGS, PROJECT_ROOT
from demo.server import SampleSite, serve

PROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))
PORTAL = "sample-sm"  # one sample portal: two notices with attachments, no browser needed
# what the checkout may have set that would point the installed commands back at it
CHECKOUT_VARIABLES = ("PYTHONPATH", "ARCHIVE_PATH", "SEEDS_PATH", "SCRAPY_SETTINGS_MODULE")


@dataclass
class Installed:
    venv: Path
    home: Path  # outside the checkout: the commands' working directory
    env: dict[str, str]

    def run(self, command: str, *args: str, **env: str) -> subprocess.CompletedProcess:
        """A command of the environment's bin/ (a console script, or python), run in home."""
        return subprocess.run(
            [str(self.venv / "bin" / command), *args],
            cwd=self.home,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )


def _packages() -> list[Path]:
    """The checkout's packages that pyproject.toml installs (its packages.find patterns)."""
    include = PROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    return [
        path
        for path in sorted(PROJECT_ROOT.iterdir())
        if (path / "__init__.py").exists() and any(fnmatch.fnmatch(path.name, p) for p in include)
    ]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """A fresh virtual environment with the project installed by pip, without a network: the
    dependencies (pip and setuptools too) are this interpreter's, reached through a .pth file."""
    base = tmp_path_factory.mktemp("package")
    source = base / "source"  # a copy: the build writes its metadata beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    for package in _packages():
        shutil.copytree(
            package, source / package.name, ignore=shutil.ignore_patterns("__pycache__")
        )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(purelib) / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in CHECKOUT_VARIABLES}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    home = base / "elsewhere"
    home.mkdir()
    done = Installed(venv, home, env)
    pip = done.run(
        "python", "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
        str(source),
    )  # fmt: skip
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return done


@pytest.fixture(scope="module")
def crawled(installed) -> SampleSite:
    """The installed crawler's crawl of a sample portal into home/notices.db, run as the README
    says to run it outside the checkout (`scrapy crawl notices` with the package's settings)."""
    with serve() as site:
        (installed.home / "seeds.toml").write_text(site.seeds_toml([PORTAL]), "utf-8")
        settings = {**LOCAL_SETTINGS, "ARCHIVE_PATH": "notices.db", "BROWSER_ENABLED": "False"}
        result = installed.run(
            "python",
            "-m",
            "scrapy",
            "crawl",
            "notices",
            "-a",
            "seeds=seeds.toml",
            *(arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")),
            SCRAPY_SETTINGS_MODULE="crawler.settings",
        )
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_the_installed_package_is_the_one_imported_and_has_its_data_but_no_demo(installed):
    code = (
        "import archive, crawler, importlib.util\n"
        "print(archive.__file__, crawler.__file__, importlib.util.find_spec('demo'))"
    )
    result = installed.run("python", "-c", code)
    assert result.returncode == 0, result.stderr
    archive, crawler, demo = result.stdout.split()
    assert Path(archive).is_relative_to(installed.venv)
    assert Path(crawler).is_relative_to(installed.venv)
    assert demo == "None"  # the demo runs from the checkout only
    package = Path(archive).parent
    assert (package / "datasette" / "metadata.json").exists()
    assert (package / "datasette" / "templates" / "archive_notice.html").exists()
    assert (package / "schemas" / "notice.schema.json").exists()


def test_the_console_commands_run_from_any_directory(installed):
    for script, words in (
        ("rectification-archive", "Browse, diff, search and export"),
        ("rectification-crawler", "Crawler tools"),
    ):
        result = installed.run(script, "--help")
        assert result.returncode == 0, result.stderr
        assert words in result.stdout
    assert installed.run("rectification-crawler", "demo").returncode == 2  # not installed
    installed.run("python", "-c", "from archive import Archive; Archive('empty.db').close()")
    stats = installed.run("rectification-archive", "stats", "--db", "empty.db", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["pages"] == 0


def test_the_installed_crawler_crawls_with_its_own_settings(installed, crawled):
    agents = {headers.get("User-Agent", "") for _, _, headers in crawled.requests}
    assert agents and all(a.startswith(f"{PROJECT['project']['name']}/") for a in agents)
    stats = installed.run("rectification-archive", "--db", "notices.db", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["pages"] == crawled.archived([PORTAL])


def test_the_installed_probe_uses_the_packages_settings(installed):
    with serve() as site:
        (installed.home / "probe.toml").write_text(site.seeds_toml([PORTAL]), "utf-8")
        result = installed.run("rectification-crawler", "probe", "probe.toml", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [report["portal"] for report in json.loads(result.stdout)] == [PORTAL]
    agents = {headers.get("User-Agent", "") for _, _, headers in site.requests}
    assert agents and all(a.startswith(f"{PROJECT['project']['name']}/") for a in agents)


def test_the_installed_crawler_extracts_a_saved_page(installed, crawled):
    item = crawled.notices([PORTAL])[0]
    (installed.home / "notice.html").write_bytes(crawled.pages[item.path].body)
    result = installed.run(
        "rectification-crawler", "extract", "notice.html", "--url", crawled.url(item.path)
    )
    assert result.returncode == 0, result.stderr
    extracted = json.loads(result.stdout)
    assert extracted["notice"] is True
    assert extracted["title"] == item.title
    assert extracted["published"] == item.date


def test_the_installed_archive_exports(installed, crawled):
    notices = {crawled.url(item.path) for item in crawled.notices([PORTAL])}
    jsonl = installed.run("rectification-archive", "--db", "notices.db", "export", "--notices")
    assert jsonl.returncode == 0, jsonl.stderr
    assert {json.loads(line)["url"] for line in jsonl.stdout.splitlines()} == notices
    parquet = installed.run(
        "rectification-archive",
        "--db",
        "notices.db",
        "export",
        "--notices",
        "--format",
        "parquet",
        "-o",
        "notices.parquet",
    )
    assert parquet.returncode == 0, parquet.stderr
    assert set(pq.read_table(installed.home / "notices.parquet")["url"].to_pylist()) == notices


def test_the_installed_datasette_plugin_loads_by_its_entry_point(installed, crawled, tmp_path):
    item = crawled.notices([PORTAL])[0]
    command = [str(installed.venv / "bin" / "rectification-archive"), "--db", "notices.db"]
    log = tmp_path / "datasette.log"
    with served([*command, "datasette"], log, installed.home, installed.env) as base:
        plugins = json.load(urllib.request.urlopen(base + "/-/plugins.json", timeout=30))
        notice = urllib.request.urlopen(
            base + "/-/notice?" + urlencode({"url": crawled.url(item.path)}), timeout=30
        )
        page = html.unescape(notice.read().decode())
    # Datasette names a plugin by its distribution when an entry point loaded it
    (plugin,) = [p for p in plugins if p["name"] == PROJECT["project"]["name"]]
    assert plugin["version"] == PROJECT["project"]["version"]
    assert "register_routes" in plugin["hooks"]
    assert notice.status == 200 and f"<h1>{item.title}</h1>" in page
