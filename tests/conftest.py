"""Shared fixtures: the sample portal on a real HTTP server, and real `scrapy crawl` runs."""

import datetime
import ipaddress
import os
import socket
import ssl
import subprocess
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from archive import Archive
from demo.crawl import PROJECT_ROOT, crawl_command
from demo.server import SampleSite, _Handler, serve

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


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no authority signed, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_site(site, tmp_path):
    """The sample site again, over HTTPS with a self-signed certificate (an old gov portal)."""
    cert, key = _self_signed(tmp_path)
    handler = type("TLSHandler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def seeds_file(site: SampleSite, tmp_path: Path) -> Path:
    """Seeds for the sample portals that need no browser (browser tests write their own)."""
    path = tmp_path / "seeds.toml"
    path.write_text(site.seeds_toml(site.http_portals), "utf-8")
    return path


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


def settings(**values: object) -> list[str]:
    """Scrapy settings as `scrapy crawl` arguments: ["-s", "NAME=VALUE", …]."""
    return [arg for name, value in values.items() for arg in ("-s", f"{name}={value}")]


def crawl_env(log_level: str | None = "INFO") -> dict[str, str]:
    """The environment of a test's crawl: LOG_LEVEL as given (None: the crawl's default)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ARCHIVE_PATH", "LOG_LEVEL")}
    return env if log_level is None else dict(env, LOG_LEVEL=log_level)


def run_crawl(
    seeds: Path, archive: Path, *extra: str, timeout: int = 180, log_level: str | None = "INFO"
) -> CrawlResult:
    """Run a real `python -m scrapy crawl notices` subprocess (at LOG_LEVEL INFO, whose
    statistics some tests read; None: at the crawl's default level)."""
    proc = subprocess.run(
        crawl_command(seeds, archive, *extra),
        cwd=PROJECT_ROOT,
        env=crawl_env(log_level),
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


def cli_output(*args: str, module: str = "archive") -> str:
    """The standard output of a CLI command that must succeed (see run_cli)."""
    result = run_cli(*args, module=module)
    assert result.returncode == 0, result.stderr
    return result.stdout


def link_from_list(site: SampleSite, path: str, text: str, list_path: str = "/ta/xxgk/list.htm"):
    """Add a link to a list page of the sample site (GBK portal's list by default)."""
    site.edit_raw(list_path, "</table>", f'<tr><td><a href="{path}">{text}</a></td></tr></table>')


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def open_archive(path: Path) -> Archive:
    return Archive(path, create=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test is a failure: browser tests must really run there."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skipping is a failure here")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
