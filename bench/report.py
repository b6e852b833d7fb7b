"""The benchmark's table: each measured figure beside its target."""

# (label, how to read the figure from one result, target text, test of the figure)
ROWS = [
    ("page size, mean KB", lambda r: r["page_kb_mean"], "20-80", lambda v: 20 <= v <= 80),
    ("extraction only, pages/s", lambda r: r["extraction_only"]["pages_per_s"], "", None),
    (
        "extraction, all cores, pages/s",
        lambda r: r["extraction_all_cores"]["pages_per_s"],
        "",
        None,
    ),
    (
        "template model, % of extraction time",
        lambda r: r["template_model"]["share_of_extraction_pct"],
        "<= 10",
        lambda v: v <= 10,
    ),
    (
        "template model, learning ms/page",
        lambda r: r["template_model"]["learning_ms"],
        "",
        None,
    ),
    ("first crawl, pages/s", lambda r: r["first_crawl"]["pages_per_s"], "", None),
    ("first crawl / extraction only", lambda r: r["first_crawl"]["ratio_to_extraction"], "", None),
    (
        "first crawl / extraction, all cores",
        lambda r: r["first_crawl"]["ratio_to_all_cores"],
        ">= 0.8",
        lambda v: v >= 0.8,
    ),
    ("first crawl, cores busy", lambda r: r["first_crawl"]["cpu_cores_busy"], "", None),
    (
        "unchanged recrawl, speed-up",
        lambda r: r["unchanged_recrawl"]["speedup_vs_first"],
        ">= 5",
        lambda v: v >= 5,
    ),
    (
        "unchanged recrawl, bytes",
        lambda r: r["unchanged_recrawl"]["bytes_transferred"],
        "",
        None,
    ),
    (
        "unchanged recrawls, versions",
        lambda r: r["unchanged_recrawl"]["versions_written_all_runs"],
        "0",
        lambda v: v == 0,
    ),
    (
        "1% edited: edited / versions",
        lambda r: f"{r['edited_recrawl']['edited']} / {r['edited_recrawl']['versions_written']}",
        "equal",
        lambda v: len(set(v.split(" / "))) == 1,
    ),
    (
        "file growth, unchanged recrawls %",
        lambda r: round(
            100 * r["storage_after_recrawls"]["file_bytes"] / r["storage_after_first"]["file_bytes"]
            - 100,
            2,
        ),
        "< 5",
        lambda v: v < 5,
    ),
    (
        "stored / raw responses %",
        lambda r: round(
            100 * r["storage_after_first"]["stored_bytes"] / r["storage_after_first"]["raw_bytes"],
            1,
        ),
        "<= 25",
        lambda v: v <= 25,
    ),
    (
        "archive file / raw responses %",
        lambda r: round(
            100 * r["storage_after_first"]["file_bytes"] / r["storage_after_first"]["raw_bytes"], 1
        ),
        "<= 100",
        lambda v: v <= 100,
    ),
    ("peak RSS, crawl MB", lambda r: r["first_crawl"]["peak_rss_mb"], "< 400", lambda v: v < 400),
    ("peak RSS, + workers MB", lambda r: r["first_crawl"]["peak_rss_with_workers_mb"], "", None),
    ("versions for queries", lambda r: r["query_ms"]["versions"], "", None),
    *[
        (f"{name} ms", lambda r, n=name: r["query_ms"][n], f"< {limit}", lambda v, m=limit: v < m)
        for name, limit in (
            ("history", 100),
            ("diff", 100),
            ("search_3+", 100),
            ("search_2", 50),
            ("search_2_rare", 50),
            ("search_2_absent", 50),
            ("changes", 100),
        )
    ],
    ("changes: records since the 1% edit", lambda r: r["query_ms"]["changes_rows"], "", None),
    (
        "export (all notices) ms",
        lambda r: r["query_ms"]["export_notices"],
        "< 1000",
        lambda v: v < 1000,
    ),
]


def table(results: list[dict]) -> str:
    """A text table: one column per portal size, the target, and whether it was met."""
    head = ["measure", *[f"N={r['pages']}" for r in results], "target", "met"]
    lines = [head]
    for label, read, target, test in ROWS:
        values = [read(r) for r in results]
        met = "" if test is None else ("yes" if all(test(v) for v in values) else "NO")
        lines.append([label, *[str(v) for v in values], target, met])
    return _columns(lines)


def sizes_table(results: list[dict], top: int = 12) -> str:
    """What the largest tables and indexes take after the first crawl: MB and % of the file."""
    names: list[str] = []
    for r in results:
        names += [n for n in list(r["storage_after_first"]["tables"])[:top] if n not in names]
    head = ["table or index (after first crawl)", *[f"N={r['pages']} MB  %" for r in results]]
    lines = [head]
    for name in names:
        cells = [name]
        for r in results:
            storage = r["storage_after_first"]
            size = storage["tables"].get(name, 0)
            cells.append(f"{size / 2**20:.1f}  {100 * size / storage['file_bytes']:.1f}")
        lines.append(cells)
    return _columns(lines)


def _columns(lines: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines
    )
