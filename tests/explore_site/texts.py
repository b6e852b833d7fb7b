"""The explore portals' texts (tests/fixtures/explore): each portal's items in list order,
notices written from their facts, near misses from a body chosen by their title."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "explore"


@dataclass
class Item:
    """One article of an explore portal; its portal's module gives it a path."""

    portal: str
    id: str
    list: str
    title: str
    datetime: str
    paragraphs: list[str]
    notice: bool = False
    later: bool = False  # published between the first crawl and the recrawl
    parts: int = 1  # pages the article is split over
    path: str = ""

    @property
    def date(self) -> str:
        return self.datetime[:10]

    @property
    def cndate(self) -> str:
        year, month, day = self.date.split("-")
        return f"{year}年{int(month)}月{int(day)}日"

    def split(self) -> list[list[str]]:
        """The paragraphs of each page of the article (the closing lines on the last)."""
        size = -(-len(self.paragraphs) // self.parts)
        return [self.paragraphs[i : i + size] for i in range(0, len(self.paragraphs), size)]


@dataclass
class PortalData:
    id: str
    name: str
    items: list[Item] = field(default_factory=list)


def _counts(facts: dict) -> dict:
    """Figures a notice states besides its problems and measures, derived from them."""
    n = facts["problems"]
    return {
        "studies": n % 7 + 12,
        "talks": n % 5 + 8,
        "risks": n % 9 + 30,
        "cases": n % 4 + 3,
        "rules": n % 6 + 10,
        "meetings": n % 4 + 5,
        "done": facts["measures"] - n % 5 - 1,
    }


def notice_paragraphs(facts: dict, datetime: str) -> list[str]:
    template = Template((DATA / f"notice_{facts['template']}.txt").read_text("utf-8"))
    year, month, day = datetime[:10].split("-")
    values = {
        "kindfull": "巡视",
        "round": facts["directive"],
        "year": year,
        "signed": f"{year}年{int(month)}月{int(day)}日",
        **_counts(facts),
        **facts,
    }
    return template.substitute(values).splitlines()


def _miss_paragraphs(item: Item, bodies: list[dict]) -> list[str]:
    body = next(b for b in bodies if not b["keys"] or any(k in item.title for k in b["keys"]))
    values = {"title": item.title, "cndate": item.cndate}
    return [Template(p).substitute(values) for p in body["paragraphs"]]


def load() -> list[PortalData]:
    portals = tomllib.loads((DATA / "portals.toml").read_text("utf-8"))["portal"]
    bodies = tomllib.loads((DATA / "misses.toml").read_text("utf-8"))["body"]
    out = []
    for portal in portals:
        data = PortalData(portal["id"], portal["name"])
        for entry in portal["item"]:
            item = Item(
                portal=portal["id"],
                id=entry["id"],
                list=entry["list"],
                title=entry["title"],
                datetime=entry["date"],
                paragraphs=[],
                notice="notice" in entry,
                later=entry.get("later", False),
                parts=entry.get("parts", 1),
            )
            if item.notice:
                item.paragraphs = notice_paragraphs(entry["notice"], item.datetime)
            else:
                item.paragraphs = _miss_paragraphs(item, bodies)
            data.items.append(item)
        out.append(data)
    return out
