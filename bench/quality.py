"""Extraction quality on the sample portals, where every page's title, date and paragraphs
are known: the rules alone (a portal's first pages), with the template model learned from the
portal's pages (what the crawl archives), and plain trafilatura.

`python -m bench.quality [--json]` prints, per portal: titles and dates right, first and last
paragraphs present (of the pages with a body: a notice that is only its file has none),
pages with lines that are not the notice's (leaks) and how many such lines. Pages are the
template sample portal's (demo.sample.templated, in its first layout and redesigned) and
the demo's static notice pages (demo.server)."""

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field

import trafilatura

from demo.sample.templated import Portal, render
from demo.server import SampleSite
from notice.extract import extract
from notice.normalize import clean_lines
from notice.template import PortalModel

from .templates import HEADERS

READERS = ("rules", "model", "trafilatura")


@dataclass
class Page:
    portal: str
    url: str
    body: bytes
    content_type: str
    title: str
    date: str
    paragraphs: list[str]  # every line of the text (the attachments' labels too)
    labels: list[str] = field(default_factory=list)  # the attachments' labels


def template_pages(count: int = 12) -> list[Page]:
    """The template sample portal's notices in its first layout and redesigned."""
    pages = []
    for style in ("article", "redesign"):
        portal = Portal(count=count, style=style)
        for n in portal.notices:
            body = render(n, 2596 + 7 * n.index, style, portal.notices[:2])
            url = f"http://{style}.example.gov.cn{n.path}"
            pages.append(Page(f"templated-{style}", url, body, HEADERS["Content-Type"], n.title,
                              n.date, n.paragraphs))  # fmt: skip
    return pages


def demo_pages() -> list[Page]:
    """The demo's static notice pages (each portal with its other static articles)."""
    site = SampleSite("http://127.0.0.1:8000")
    pages = []
    for pid, items in site.items.items():
        for item in items:
            page = site.pages.get(item.path)
            if page is None or item.scripted or item.document or not item.notice:
                continue
            pages.append(Page(pid, site.url(item.path), page.body, page.content_type,
                              item.title, item.date, item.paragraphs,
                              [a["label"] for a in item.attachments]))  # fmt: skip
    return pages


def _trafilatura(page: Page) -> tuple[str | None, str | None, str]:
    out = trafilatura.extract(page.body, output_format="json", with_metadata=True)
    data = json.loads(out) if out else {}
    return data.get("title"), data.get("date"), data.get("text") or ""


def read(pages: list[Page]) -> dict[str, list[tuple]]:
    """Each reader's (title, date, text) of every page, in order."""
    models: dict[str, PortalModel] = {}
    for page in pages:  # the model learns from every page of its portal first
        model = models.setdefault(page.portal, PortalModel(page.portal))
        headers = {"Content-Type": page.content_type}
        model.observe(page.url, extract(page.body, page.url, headers).reading)
    results: dict[str, list[tuple]] = {reader: [] for reader in READERS}
    for page in pages:
        headers = {"Content-Type": page.content_type}
        for reader, model in (("rules", None), ("model", models[page.portal].snapshot())):
            e = extract(page.body, page.url, headers, model)
            results[reader].append((e.title, e.published, e.text))
        results["trafilatura"].append(_trafilatura(page))
    return results


def _squash(text: str | None) -> str:
    return "".join((text or "").split())


def score(page: Page, title: str | None, date: str | None, text: str) -> Counter:
    """A page's scores: first and last are the text's own paragraphs (not its files' labels);
    a leak is a line of the text that is none of the page's."""
    lines = [_squash(p) for p in page.paragraphs]
    gold = [p for p in lines if p not in map(_squash, page.labels)]
    out = [_squash(line) for line in clean_lines(text).splitlines()]
    leaks = [line for line in out if line and line not in lines and line != _squash(page.title)]
    squashed = _squash(text)
    return Counter(
        pages=1,
        title=_squash(title) == _squash(page.title),
        date=(date or "")[:10] == page.date,
        bodies=bool(gold),  # a notice that is only its file has no first or last paragraph
        first=bool(gold) and gold[0][:20] in squashed,
        last=bool(gold) and gold[-1][:20] in squashed,
        leaky=bool(leaks),
        leaks=len(leaks),
    )


def measure(pages: list[Page]) -> dict[str, dict[str, Counter]]:
    """Per portal and reader, the summed scores."""
    results = read(pages)
    table: dict[str, dict[str, Counter]] = {}
    for reader, outputs in results.items():
        for page, output in zip(pages, outputs, strict=True):
            table.setdefault(page.portal, {}).setdefault(reader, Counter()).update(
                score(page, *output)
            )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    table = measure(template_pages() + demo_pages())
    if args.json:
        print(json.dumps(table, indent=2))
        return 0
    print(f"{'portal':22} {'reader':12} pages title  date bodies first  last leaky leaks")
    for portal, readers in table.items():
        for reader, c in readers.items():
            print(f"{portal:22} {reader:12} {c['pages']:5} {c['title']:5} {c['date']:5} "
                  f"{c['bodies']:6} {c['first']:5} {c['last']:5} {c['leaky']:5} "
                  f"{c['leaks']:5}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
