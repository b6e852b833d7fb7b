"""Print a command of the README's Quick start: 1, the setup and demo; 2, the test suite.

`.ci/run` runs the commands this prints, so CI runs the Quick start as the README writes it,
and tests/test_docs.py checks them through the same function. Standard library only: CI runs
it with the system's python3, before the virtual environment exists.

    python3 .ci/quickstart.py 1
"""

import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = "## Quick start"
FENCE = "```sh\n"


def commands(readme: str) -> list[str]:
    """The ```sh blocks of the README's Quick start section, in order."""
    _, found, rest = readme.partition(f"\n{HEADING}\n")
    if not found:
        raise ValueError(f"README.md has no '{HEADING}' section")
    section = rest.split("\n## ", 1)[0]
    blocks = []
    for chunk in section.split(FENCE)[1:]:
        body, closed, _ = chunk.partition("```")
        if not closed:
            raise ValueError("README.md: a ```sh block of the Quick start is not closed")
        blocks.append(body.strip())
    return blocks


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python3 .ci/quickstart.py N (1: setup and demo, 2: tests)", file=sys.stderr)
        return 2
    number = int(argv[0])
    try:
        found = commands(README.read_text("utf-8"))
    except ValueError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    if not 1 <= number <= len(found):
        print(f"Error: the Quick start has {len(found)} command(s), not {number}", file=sys.stderr)
        return 1
    print(found[number - 1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
