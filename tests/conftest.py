"""Shared fixtures: the sample portal on a real HTTP server, and real `scrapy crawl` runs."""

import os
import subprocess
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive import Archive
from crawler.demo import PROJECT_ROOT, crawl_command
from crawler.demo_site import SampleSite, serve

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def errors_logged(self) -> bool:
        return "'log_count/ERROR'" in self.stderr


@pytest.fixture
def site() -> Iterator[SampleSite]:
    """The sample portal served on 127.0.0.1 (a fresh copy per test: tests may edit it)."""
    with serve() as sample:
        yield sample


@pytest.fixture
def seeds_file(site: SampleSite, tmp_path: Path) -> Path:
    """Seeds for the sample portals that need no browser (browser tests write their own)."""
    path = tmp_path / "seeds.toml"
    path.write_text(site.seeds_toml(site.http_portals), "utf-8")
    return path


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


def run_crawl(seeds: Path, archive: Path, *extra: str, timeout: int = 180) -> CrawlResult:
    """Run a real `python -m scrapy crawl notices` subprocess."""
    env = dict(os.environ, LOG_LEVEL="INFO")
    env.pop("ARCHIVE_PATH", None)
    proc = subprocess.run(
        crawl_command(seeds, archive, *extra),
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def crawl(seeds_file: Path, archive_path: Path):
    """Crawl the sample portal into the test's archive; fail on any logged error."""

    def _crawl(*extra: str) -> CrawlResult:
        # these portals need no browser: prove it by crawling without one
        result = run_crawl(seeds_file, archive_path, "-s", "BROWSER_ENABLED=False", *extra)
        assert result.returncode == 0, result.stderr[-3000:]
        assert not result.errors_logged, result.stderr[-5000:]
        return result

    return _crawl


def run_cli(*args: str, module: str = "archive") -> subprocess.CompletedProcess:
    """Run `python -m archive …` (or `crawler`) in-process with click's CliRunner, as a user
    would from a shell: its exit status, stdout and stderr (with the traceback of an error the
    CLI did not turn into a message)."""
    from click.testing import CliRunner

    from archive.cli import cli as archive_cli
    from crawler.cli import cli as crawler_cli

    command = {"archive": archive_cli, "crawler": crawler_cli}[module]
    result = CliRunner().invoke(command, list(args), prog_name=f"python -m {module}")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, stderr)


def link_from_list(site: SampleSite, path: str, text: str, list_path: str = "/ta/xxgk/list.htm"):
    """Add a link to a list page of the sample site (GBK portal's list by default)."""
    site.edit_raw(list_path, "</table>", f'<tr><td><a href="{path}">{text}</a></td></tr></table>')


def open_archive(path: Path) -> Archive:
    return Archive(path, create=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test is a failure: browser tests must really run there."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skipping is a failure here")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
