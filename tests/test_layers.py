"""The layers: imports go one way, notice <- archive <- crawler <- demo/bench, and notice/ is
pure. Read from the source (every import statement, relative ones resolved, function-level
ones included), so a new module cannot slip past a list."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# each package and the project packages it may import
ALLOWED = {
    "notice": set(),
    "archive": {"notice"},
    "crawler": {"notice", "archive"},
    "demo": {"notice", "archive", "crawler"},
    "bench": {"notice", "archive", "crawler", "demo"},
}
# what notice/ may not import: it reads text, it does not crawl, store or queue
NOT_IN_NOTICE = {"scrapy", "twisted", "parsel", "sqlite3", "sqlite_utils", "redis", "datasette"}
# nor may the archive crawl or queue
NOT_IN_ARCHIVE = {"scrapy", "twisted", "parsel", "redis", "scrapy_redis", "scrapy_playwright"}


def imported(path: Path, package: str) -> set[str]:
    """The top-level names every import statement of a module names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: within the module's own top-level package
                names.add(package)
            elif node.module:
                names.add(node.module.split(".")[0])
    return names


def graph(root: Path = ROOT) -> dict[str, dict[Path, set[str]]]:
    found = {}
    for package in ALLOWED:
        folder = root / package
        if folder.is_dir():
            found[package] = {p: imported(p, package) for p in sorted(folder.rglob("*.py"))}
    return found


def test_imports_go_one_way():
    wrong = []
    modules = graph()
    assert {"notice", "archive", "crawler"} <= set(modules)
    for package, files in modules.items():
        for path, names in files.items():
            project = (names & set(ALLOWED)) - {package}
            if "tests" in names:
                wrong.append(f"{path.relative_to(ROOT)} imports tests")
            for other in sorted(project - ALLOWED[package]):
                wrong.append(f"{path.relative_to(ROOT)} ({package}) imports {other}")
    assert not wrong, "\n".join(wrong)


def test_notice_is_pure_and_the_archive_does_not_crawl():
    modules = graph()
    wrong = []
    for package, forbidden in (("notice", NOT_IN_NOTICE), ("archive", NOT_IN_ARCHIVE)):
        for path, names in modules[package].items():
            for name in sorted(names & forbidden):
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    """The graph reads function-level and dotted imports (so the checks above can fail)."""
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "probe.py").write_text(
        "from . import store\n\ndef f():\n    from crawler.urls import x\n    import scrapy.http\n"
    )
    assert graph(tmp_path)["archive"][tmp_path / "archive" / "probe.py"] == {
        "archive",
        "crawler",
        "scrapy",
    }
