"""Fields a rectification notice states: issuer, kind, inspection body and round, dates,
contacts and headline counts. A field the text does not state is None, never guessed."""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from . import patterns as P

PARSER_VERSION = "1"


@dataclass
class Count:
    """A headline figure as stated: 整改措施 212 条."""

    measure: str
    number: float
    unit: str


@dataclass
class NoticeFields:
    """What one version of a notice states about itself."""

    issuer: str | None = None
    kind: str | None = None
    report_type: str | None = None
    inspection_body: str | None = None
    inspection_round: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    feedback_date: str | None = None
    published: str | None = None
    phone: str | None = None
    email: str | None = None
    postal_address: str | None = None
    counts: list[Count] = field(default_factory=list)

    def as_record(self) -> dict:
        return asdict(self)


def _day(year: str | None, month: str, day: str, context_year: int | None) -> date | None:
    y = int(year) if year else context_year
    if y is None:
        return None
    try:
        return date(y, int(month), int(day))
    except ValueError:
        return None


def issuer(title: str | None, lines: list[str]) -> str | None:
    """The signature above the closing date, else the body named before 关于 in the title."""
    for line in reversed(lines[-4:]):
        squashed = re.sub(r"\s+", "", line)
        match = P.ISSUER.match(squashed)
        if match and not P.NOT_ISSUER.search(squashed) and match.group(1) == squashed:
            return squashed
    match = P.ISSUER.match(re.sub(r"\s+", "", title or ""))
    return match.group(1) if match and "关于" in (title or "") else None


def kind(title: str | None, opening: str) -> str | None:
    """巡视 or 巡察: from the title, else from the opening if it names only one of them."""
    for text in (title or "", opening):
        found = [k for k in P.INSPECTION_KINDS if k in text]
        if len(found) == 1:
            return found[0]
        if found:
            return min(found, key=text.index)
    return None


def report_type(title: str | None, opening: str) -> str | None:
    """concentrated (集中整改), progress (整改进展) or other; None if not a rectification report."""
    for text in (title or "", opening):
        for name, pattern in P.REPORT_TYPES:
            if pattern.search(text):
                return name
    return P.REPORT_OTHER if "整改" in (title or "") + opening else None


def inspection(opening: str) -> tuple[str | None, str | None]:
    """The inspection round and body as the opening states them."""
    round_match = P.ROUND.search(opening)
    round_ = round_match.group(1) if round_match else None
    combined = P.ROUND_BODY.search(opening)
    if combined:
        return round_, combined.group(1) + combined.group(2)
    match = P.BODY.search(opening)
    if not match:
        return round_, None
    return round_, (match.group("committee") or "") + match.group("body")


def _stays(opening: str) -> tuple[date | None, date | None]:
    """First and last day of the stays; a day without a year takes the year before it."""
    start = end = None
    year = None
    for stay in P.PERIOD.finditer(opening):
        y1, m1, d1, y2, m2, d2 = stay.groups()
        year = int(y1) if y1 else year
        first = _day(None, m1, d1, year)
        if first is None:
            return None, None
        start = start or first
        end = _day(y2, m2, d2, year)
        if end and end < first:  # 11月至次年1月 written without the year
            end = _day(None, m2, d2, end.year + 1)
        year = end.year if end else year
    return start, end


def period_and_feedback(opening: str) -> tuple[str | None, str | None, str | None]:
    """The inspection's stay (first start, last end) and the date it fed back its findings."""
    start, end = _stays(opening)
    feedback = None
    match = next((m for m in (p.search(opening) for p in P.FEEDBACK) if m), None)
    if match and (match.group(1) or end):
        feedback = _day(*match.groups(), end.year if end else None)
        if feedback and end and feedback < end and not match.group(1):
            feedback = _day(None, match.group(2), match.group(3), end.year + 1)
    return (
        start.isoformat() if start else None,
        end.isoformat() if end else None,
        feedback.isoformat() if feedback else None,
    )


def counts(text: str) -> list[Count]:
    """The first statement of each headline measure, in the order the text states them."""
    found: list[tuple[int, Count]] = []
    for measure, patterns in P.COUNTS:
        matches = [m for m in (p.search(text) for p in patterns) if m]
        if not matches:
            continue
        match = min(matches, key=lambda m: m.start())
        number = float(match.group("n"))
        value = int(number) if number.is_integer() else number
        found.append((match.start(), Count(measure, value, match.group("unit"))))
    return [c for _, c in sorted(found, key=lambda pair: pair[0])]


def _first(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1).strip() if match else None


def parse(title: str | None, text: str, published: str | None = None) -> NoticeFields:
    """Every field a notice version states (published comes from the page's metadata)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    opening = "\n".join(lines[: P.OPENING_LINES])
    round_, body = inspection(opening)
    start, end, feedback = period_and_feedback(opening)
    phone = _first(P.PHONE, text)
    return NoticeFields(
        issuer=issuer(title, lines),
        kind=kind(title, opening),
        report_type=report_type(title, opening),
        inspection_body=body,
        inspection_round=round_ or (_first(P.ROUND, title) if title else None),
        period_start=start,
        period_end=end,
        feedback_date=feedback,
        published=published,
        phone=re.sub(r"\s+", "", phone) if phone else None,
        email=_first(P.EMAIL, text),
        postal_address=_first(P.POSTAL, text),
        counts=counts(text),
    )
