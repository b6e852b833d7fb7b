"""The project installs as a package whose console commands run outside the checkout."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_installs_with_console_entry_points(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("notice", "archive", "crawler"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (target / "archive" / "datasette" / "metadata.json").exists()
    assert (target / "archive" / "schemas" / "notice.schema.json").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    for script, words in (
        ("rectification-archive", "Browse, diff, search and export"),
        ("rectification-crawler", "Crawler tools"),
    ):
        result = subprocess.run(
            [str(target / "bin" / script), "--help"],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert words in result.stdout
    # the installed archive CLI works on an archive, from anywhere
    subprocess.run(
        [sys.executable, "-c", "from archive import Archive; Archive('a.db').close()"],
        cwd=elsewhere,
        env=env,
        check=True,
    )
    stats = subprocess.run(
        [str(target / "bin" / "rectification-archive"), "stats", "--db", "a.db", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert stats.returncode == 0, stats.stderr
    assert '"pages": 0' in stats.stdout
