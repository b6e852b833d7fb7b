"""Field and item extraction measured against hand-written expectations
(tests/fixtures/notices/expected.toml). `python tests/accuracy.py` prints the README's table."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from demo.server import SITE_DIR
from notice import fields, outline

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = FIXTURES / "notices" / "expected.toml"
FIELDS = [
    "issuer",
    "kind",
    "report_type",
    "inspection_body",
    "inspection_round",
    "period_start",
    "period_end",
    "feedback_date",
    "published",
    "phone",
    "email",
    "postal_address",
]


@dataclass
class Score:
    """Correct and total decisions, with what went wrong."""

    correct: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.correct += ok
        if not ok:
            self.misses.append(what)

    @property
    def rate(self) -> float:
        return self.correct / self.total if self.total else 1.0


def read_notice(name: str) -> tuple[dict, str]:
    """A notice text file (title/date/source header, then the text), wherever it lives."""
    path = FIXTURES / "notices" / name
    if not path.exists():
        path = SITE_DIR / "items" / name
    header, _, body = path.read_text("utf-8").partition("\n---\n")
    return dict(line.split(": ", 1) for line in header.splitlines()), body


def _counts(parsed: fields.NoticeFields) -> set[str]:
    return {f"{c.measure} {c.number} {c.unit}" for c in parsed.counts}


def measure(held_out: bool | None = None) -> dict[str, Score]:
    """Scores for fields (each field of each notice), counts (precision and recall as
    set matches) and items (each expected entry found, each found entry expected)."""
    scores = {k: Score() for k in ("fields", "counts_recall", "counts_precision", "items")}
    for expected in tomllib.loads(EXPECTED.read_text("utf-8"))["notice"]:
        if held_out is not None and expected.get("held_out", False) != held_out:
            continue
        meta, text = read_notice(expected["file"])
        parsed = fields.parse(meta["title"], text, meta["date"][:10])
        name = expected["file"]
        for key in FIELDS:
            got, want = getattr(parsed, key), expected.get(key)
            scores["fields"].add(got == want, f"{name} {key}: got {got!r}, want {want!r}")
        got_counts, want_counts = _counts(parsed), set(expected["counts"])
        for count in want_counts:
            scores["counts_recall"].add(count in got_counts, f"{name} missed count {count}")
        for count in got_counts:
            scores["counts_precision"].add(count in want_counts, f"{name} extra count {count}")
        items = ["/".join([*i.path, i.marker]) for i in outline.parse(text)]
        if "items" in expected:
            want_items = expected["items"]
            for entry in want_items:
                scores["items"].add(entry in items, f"{name} missed item {entry}")
            for entry in items:
                scores["items"].add(entry in want_items, f"{name} extra item {entry}")
        else:
            scores["items"].add(
                len(items) == expected["item_count"],
                f"{name} item count {len(items)}, want {expected['item_count']}",
            )
    return scores


if __name__ == "__main__":
    for label, subset in (("all", None), ("held out", True)):
        print(f"## {label}")
        for name, score in measure(subset).items():
            print(f"{name:18} {score.correct}/{score.total}  {score.rate:.0%}")
            for miss in score.misses:
                print("   ", miss)
