"""The benchmark itself works (a small portal; no timing is asserted: timings belong to
`python -m bench`, whose figures the README reports)."""

import json
import subprocess
import sys

from bench.quality import measure, template_pages
from demo.crawl import PROJECT_ROOT


def test_benchmark_runs_end_to_end_on_a_small_portal(tmp_path):
    out = tmp_path / "bench.json"
    # small: this checks the benchmark works, its figures come from full runs
    command = [sys.executable, "-m", "bench", "--pages", "50", "--versions", "120"]
    command += ["--recrawls", "1", "--explore", "12"]
    command += ["--json", str(out), "--workdir", str(tmp_path)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = json.loads(out.read_text("utf-8"))
    assert run["first_crawl"]["versions_written"] == 50
    assert run["unchanged_recrawl"]["versions_written_all_runs"] == 0
    assert run["edited_recrawl"]["edited"] == run["edited_recrawl"]["versions_written"] == 1
    assert run["query_ms"]["versions"] == 120
    assert 20 <= run["page_kb_mean"] <= 80
    assert "first crawl / extraction only" in result.stdout and "N=50" in result.stdout
    # exploring: the first crawl explores the four lists in Chromium, the recrawl replays
    # their recipes without starting it and finds the notice each list published since
    explored = run["explore"]
    assert explored["first_crawl"]["lists_explored"] == 4
    assert explored["first_crawl"]["notices_archived"] == 4 * 12
    assert explored["recrawl"]["browser_starts"] == 0
    assert explored["recrawl"]["recipes_replayed"] == 4 and explored["recrawl"]["new_notices"] == 4
    model = run["template_model"]
    assert model["templates"] == 1 and model["sample_portal"]["units_removed_per_page"] > 0
    assert "template model, % of extraction time" in result.stdout


def test_extraction_quality_is_measured_per_reader():
    table = measure(template_pages(count=4))
    article = table["templated-article"]
    assert article["model"]["pages"] == article["rules"]["pages"] == 4
    assert article["model"]["leaks"] == 0 < article["rules"]["leaks"]
    assert article["model"]["last"] == article["trafilatura"]["last"] == 4
