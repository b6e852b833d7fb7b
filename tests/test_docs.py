"""The docs are true of the code: every command and setting documented, the CLI reference
current, the links whole, and the README's Quick start what CI runs."""

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import default_settings

import crawler.settings
from archive.cli import cli as archive_cli
from crawler.cli import cli as crawler_cli

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text("utf-8")


def _load(path: Path):
    """A module of the project that is not in a package (.ci/, docs/)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


quickstart = _load(ROOT / ".ci" / "quickstart.py")
cli_reference = _load(DOCS / "cli_reference.py")


def _pages() -> dict[Path, str]:
    """README.md, every docs page and the seeds' README, by path."""
    pages = [*sorted(DOCS.glob("*.md")), ROOT / "seeds" / "README.md"]
    return {ROOT / "README.md": README, **{path: path.read_text("utf-8") for path in pages}}


def _written() -> str:
    """What people wrote: the README and the docs, without the generated reference."""
    return "\n".join(text for path, text in _pages().items() if path != cli_reference.REFERENCE)


def test_every_archive_command_is_in_the_cli_guide():
    guide = (DOCS / "cli.md").read_text("utf-8")
    for name, command in archive_cli.commands.items():
        if not command.hidden:  # an alias kept for one release
            assert f"python -m archive {name}" in guide, name


def test_every_crawler_command_is_documented():
    moved = {"demo": "python -m demo"}  # the demo is a package of its own, run from the checkout
    written = _written()
    for name in crawler_cli.commands:
        assert moved.get(name, f"python -m crawler {name}") in written, name


def test_the_cli_reference_is_current():
    command = cli_reference.COMMAND
    assert cli_reference.REFERENCE.read_text("utf-8") == cli_reference.render(), (
        f"docs/cli-reference.md is out of date: regenerate it with `{command}`"
    )


def test_the_cli_reference_has_every_command():
    reference = cli_reference.REFERENCE.read_text("utf-8")
    for prog, group in (("python -m archive", archive_cli), ("python -m crawler", crawler_cli)):
        for name, command in group.commands.items():
            if command.hidden:  # an alias kept for one release
                continue
            assert f"\n### {prog} {name}\n" in reference, name
            assert f"Usage: {prog} {name} " in reference, name
            for param in command.params:
                for opt in param.opts if param.param_type_name == "option" else []:
                    assert opt in reference, (name, opt)


def _settings_table() -> dict[str, tuple[str, str]]:
    """The settings table of docs/crawling.md: name → (its row's name cell, default cell)."""
    text = (DOCS / "crawling.md").read_text("utf-8").split("\n## Settings\n", 1)[1]
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        names = re.findall(r"`([A-Z][A-Z_]+)`", cells[0]) if line.startswith("| `") else []
        defaults = re.findall(r"`([^`]*)`", cells[1]) if names else []
        for i, name in enumerate(names):
            rows[name] = (cells[0], defaults[i] if len(defaults) == len(names) else None)
    return rows


def _literal(value) -> str | None:
    """How the docs write a default: None where prose says it (one per core, empty …)."""
    if isinstance(value, dict):
        return json.dumps(value)
    if value is None or (isinstance(value, str) and (not value or " " in value)):
        return None
    return str(value)


def test_every_setting_of_ours_is_documented_with_its_default():
    source = Path(crawler.settings.__file__).read_text("utf-8")
    from_env = set(re.findall(r'^([A-Z_]+) = os\.environ\.get\("\1"', source, re.M))
    ours = {n for n in vars(crawler.settings) if n.isupper() and not hasattr(default_settings, n)}
    table = _settings_table()
    assert ours - set(table) == set(), "settings missing from docs/crawling.md"
    for name, (name_cell, shown) in table.items():
        assert hasattr(crawler.settings, name), f"{name} is documented but not a setting"
        assert ("(env too)" in name_cell) == (name in from_env), name
        if name in os.environ:
            continue  # the environment chose this run's value
        assert shown == _literal(getattr(crawler.settings, name)), name


def test_the_readme_is_short_and_leads_to_every_docs_page():
    assert len(README.encode("utf-8")) < 15 * 1024
    for path in DOCS.glob("*.md"):
        assert f"](docs/{path.name})" in README, path.name


def _anchors(text: str) -> set[str]:
    """The anchors of a Markdown page's headings (code blocks left out)."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    headings = re.findall(r"^#{1,6} (.+)$", prose, re.M)
    return {cli_reference.anchor(heading) for heading in headings}


def test_the_docs_links_lead_to_files_and_headings_that_exist():
    for path, text in _pages().items():
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            file, _, anchor = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            assert linked.exists(), f"{path.name}: {target}"
            if anchor:
                assert anchor in _anchors(linked.read_text("utf-8")), f"{path.name}: {target}"


def test_the_quick_start_is_what_ci_runs():
    setup, tests = quickstart.commands(README)[:2]
    assert setup.startswith(
        "apt-get update && apt-get install -y chromium fonts-wqy-microhei redis-server"
        " && python3 -m venv .venv"
    )
    assert ".venv/bin/pip install -r requirements.txt" in setup
    assert setup.endswith(".venv/bin/python -m demo")
    assert tests == ".venv/bin/python -m pytest"
    assert "\n" not in setup + tests
    for number, command in ((1, setup), (2, tests)):
        printed = subprocess.run(
            [sys.executable, str(ROOT / ".ci" / "quickstart.py"), str(number)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert printed.stdout == command + "\n"
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "set -euo pipefail" in ci
    assert "python3 .ci/quickstart.py 1" in ci and "python3 .ci/quickstart.py 2" in ci
    assert '-c "$setup"' in ci and '-c "$tests"' in ci
    assert "ruff check" in ci and "ruff format --check" in ci


def test_the_quick_start_installs_what_the_tests_start():
    setup = quickstart.commands(README)[0]
    packages = re.search(r"apt-get install -y ([^&]+)", setup).group(1).split()
    # the tests run the system's Chromium and a real redis-server (tests/conftest.py)
    assert {"chromium", "redis-server"} <= set(packages)


def test_the_quick_start_script_refuses_a_readme_without_one():
    with pytest.raises(ValueError, match="Quick start"):
        quickstart.commands("# A project\n\n```sh\nmake\n```\n")
