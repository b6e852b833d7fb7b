"""`python -m bench`: run the benchmarks, print the table and write the JSON results."""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from . import explore, measure, report, scale_out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--pages", type=int, nargs="+", default=[2000, 20000], help="portal sizes (notice pages)"
    )
    parser.add_argument(
        "--versions",
        type=int,
        default=100_000,
        help="grow the largest archive to this many versions before timing queries (0: don't)",
    )
    parser.add_argument("--recrawls", type=int, default=10, help="unchanged recrawls")
    parser.add_argument(
        "--scale-out",
        type=int,
        default=0,
        metavar="PAGES",
        help="also time one distributed worker against two on a portal of PAGES notices "
        "served with 100 ms per request (needs redis-server; 0: don't)",
    )
    parser.add_argument(
        "--explore",
        type=int,
        default=30,
        metavar="NOTICES",
        help="also time list exploration: a portal of four lists of NOTICES notices that only "
        "a visitor's actions page, crawled (Chromium) and recrawled (recipes over HTTP; 0: don't)",
    )
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"), help="output")
    parser.add_argument("--workdir", type=Path, help="where archives go (default: a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = []
        for size in args.pages:
            versions = args.versions if size == max(args.pages) else 0
            log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
            results.append(measure.run(size, versions, args.recrawls, workdir, log))
        if args.scale_out:
            results[-1]["scale_out"] = scale_out.run(args.scale_out, workdir, log=log)
        if args.explore:
            results[-1]["explore"] = explore.run(args.explore, workdir, log=log)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(report.table(results))
    print()
    print(report.sizes_table(results))
    if args.scale_out:
        print("\n" + scale_out.line(results[-1]["scale_out"]))
    if args.explore:
        print("\n" + explore.line(results[-1]["explore"]))
    print(f"\nresults: {args.json}")
