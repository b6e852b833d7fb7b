"""What the template model (notice.template) costs per page: on the benchmark's pages (one
template, its chrome outside the bodies), reading a page's units and signature (in every
extraction) and learning from it (in the writer); on the template sample portal's pages
(demo.sample.templated: chrome inside the bodies), extracting with a learned model
against without one. Extractions are interleaved page by page, the fastest of three runs
each, so that a shared machine's load falls on both alike."""

import json
import time

from demo.sample.templated import Portal, render
from notice.extract import _page, extract
from notice.extract.body import body_container
from notice.extract.html import flatten_layout_tables
from notice.extract.title import choose_title
from notice.extract.units import read_units, signature
from notice.template import PortalModel

from .portal import BenchSite

SAMPLE = 300  # pages (a per-page cost; more pages change nothing)
SAMPLE_PORTAL = 40  # pages of the template sample portal
RUNS = 3
HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def _reading_seconds(url: str, body: bytes) -> float:
    """The time to read a parsed page's signature and units (what every extraction adds)."""
    page = _page(body, url, HEADERS)
    flatten_layout_tables(page.doc)
    container, _ = body_container(page.doc, choose_title(page.evidence))
    start = time.perf_counter()
    signature(page.doc)
    read_units(container if container is not None else page.doc, holding=False)
    return time.perf_counter() - start


def _fastest(call) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def template_cost(site: BenchSite) -> dict:
    """Milliseconds per page: reading, learning, extracting with and without a model; the
    share of an extraction's time the model takes (reading and applying it)."""
    sample = list(site.detail_bodies())[:SAMPLE]
    model = PortalModel("bench")
    reading = learning = 0.0
    for url, body in sample:
        reading += _reading_seconds(url, body)
        units = extract(body, url, HEADERS).reading
        start = time.perf_counter()
        model.observe(url, units)
        learning += time.perf_counter() - start
    pages = len(sample)
    extraction = sum(_fastest(lambda u=url, b=body: extract(b, u, HEADERS)) for url, body in sample)
    without, with_model, removed = _applying()
    applying = max(0.0, with_model - without) / SAMPLE_PORTAL
    return {
        "pages": pages,
        "reading_ms": round(reading / pages * 1000, 3),
        "learning_ms": round(learning / pages * 1000, 3),
        "applying_ms": round(applying * 1000, 3),
        "extraction_ms": round(extraction / pages * 1000, 2),
        "share_of_extraction_pct": round(
            100 * (reading / pages + applying) / (extraction / pages - reading / pages), 1
        ),
        "templates": len(model.templates),
        "model_kb": round(
            sum(len(json.dumps(t.as_dict(), ensure_ascii=False)) for t in model.templates) / 1024,
            1,
        ),
        "sample_portal": {
            "pages": SAMPLE_PORTAL,
            "extraction_ms": round(without / SAMPLE_PORTAL * 1000, 2),
            "extraction_with_model_ms": round(with_model / SAMPLE_PORTAL * 1000, 2),
            "units_removed_per_page": round(removed / SAMPLE_PORTAL, 1),
        },
    }


def _applying() -> tuple[float, float, int]:
    """Seconds to extract the template sample portal's pages without and with the model
    learned from them, and the units the model removed."""
    portal = Portal(count=SAMPLE_PORTAL)
    pages = [
        ("http://bench.example" + n.path, render(n, 2596 + n.index, related=portal.notices[:2]))
        for n in portal.notices
    ]
    model = PortalModel("sample")
    for url, body in pages:
        model.observe(url, extract(body, url, HEADERS).reading)
    snapshot = model.snapshot()
    without = with_model = 0.0
    for url, body in pages:  # interleaved, page by page
        without += _fastest(lambda u=url, b=body: extract(b, u, HEADERS))
        with_model += _fastest(lambda u=url, b=body: extract(b, u, HEADERS, snapshot))
    removed = sum(extract(b, u, HEADERS, snapshot).reading.removed for u, b in pages)
    return without, with_model, removed
