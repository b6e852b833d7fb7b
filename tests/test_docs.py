"""Every command of both CLIs is documented in the README."""

from pathlib import Path

from archive.cli import cli as archive_cli
from crawler.cli import cli as crawler_cli

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")


def test_every_archive_command_is_documented():
    for name, command in archive_cli.commands.items():
        if not command.hidden:  # an alias kept for one release
            assert f"python -m archive {name}" in README, name


def test_every_crawler_command_is_documented():
    for name in crawler_cli.commands:
        assert f"python -m crawler {name}" in README, name


def test_readme_starts_with_the_two_commands():
    blocks = [b.split("```", 1)[0].strip() for b in README.split("```sh\n")[1:3]]
    assert blocks[0].endswith(".venv/bin/python -m demo")
    assert blocks[0].startswith(
        "apt-get update && apt-get install -y chromium fonts-wqy-microhei && python3 -m venv .venv"
    )
    assert ".venv/bin/pip install -r requirements.txt" in blocks[0]
    assert blocks[1] == ".venv/bin/python -m pytest"
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text("utf-8")
    assert blocks[1] in ci
    assert "apt-get install -y chromium fonts-wqy-microhei" in ci
    assert "ruff check" in ci and "ruff format --check" in ci
