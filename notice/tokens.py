"""Search tokens of a version: overlapping two-character tokens of its title and text
(巡视整改 → 巡视 视整 整改 改), for the archive's full-text index.

Tokens are made from runs of letters and digits: each pair of neighbours, and the run's last
character alone, so that a one-character term is found as the prefix of a token."""

import re

from .normalize import clean_lines, storable

RUN = re.compile(r"[^\W_]+")  # letters and digits (str.isalnum), one FTS5 'ascii' token


def index_text(title: str | None, text: str | None) -> str:
    """What the index holds for a version: its tokens, separated by spaces."""
    return " ".join(
        [
            run[i : i + 2]  # the pairs, and the run's last character alone
            for part in (title or "", text or "")
            for run in RUN.findall(part)
            for i in range(len(run))
        ]
    )


def index_extracted(title: str | None, text: str) -> str:
    """index_text of an extractor's output as the archive will store it (for the crawl's
    workers: the same tokens the archive would make, and later remove, from its text)."""
    return index_text(storable(title), clean_lines(text))
