"""No function of the product is above cyclomatic complexity 20, as radon counts it (boolean
operators included, which ruff's C901 leaves out)."""

from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).parent.parent
PACKAGES = ("notice", "archive", "crawler")
MAX_COMPLEXITY = 20


def _functions(blocks):
    """Functions and methods, with the functions defined inside them."""
    for block in blocks:
        yield from _functions(getattr(block, "methods", []))
        yield from _functions(getattr(block, "closures", []))
        if not hasattr(block, "methods"):  # a function or method, not a class
            yield block


def test_no_product_function_is_above_the_complexity_bound():
    over = set()  # (radon lists a method under its class and on its own)
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for function in _functions(cc_visit(path.read_text("utf-8"))):
                if function.complexity > MAX_COMPLEXITY:
                    name = f"{path.relative_to(ROOT)}:{function.lineno} {function.fullname}"
                    over.add(f"{name} ({function.complexity})")
    assert not over, f"above complexity {MAX_COMPLEXITY}: " + ", ".join(sorted(over))


def test_the_bound_is_counted_as_radon_counts():
    code = "def f(a, b, c):\n    if a and b or c:\n        return 1\n    return 2\n"
    (function,) = _functions(cc_visit(code))
    assert function.complexity == 4  # the if, and two boolean operators
