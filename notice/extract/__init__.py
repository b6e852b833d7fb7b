"""Extraction: a page's title, publication date, source and clean text.

Split by concern (as trafilatura splits its own): `html` (the page as a reader sees it),
`title`, `dates`, `body`, `chrome` (the rules as data), with `notice.encoding` decoding the
bytes and `notice.documents` reading PDF and DOCX files.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import lxml.html
import trafilatura
from lxml import etree

from .. import __version__
from ..encoding import Decoded, decode_html
from ..errors import ExtractionError
from ..patterns import DOCUMENT_HINT
from .body import (
    attachment_lines,
    body_container,
    container_text,
    document_links,
    drop_closing_fields,
    drop_repeated_runs,
    filter_lines,
    landing_lines,
    only_labels,
    strip_labels,
    trafilatura_text,
    without_link_lines,
)
from .dates import (
    META_DATE,
    META_SOURCE,
    closing_date,
    parse_date,
    published_date,
    source_of,
    table_date,
    time_date,
    url_date,
)
from .html import (
    drop_chrome,
    flatten_layout_tables,
    meta_content,
    parse_html,
    plain_text,
    squash,
    visible_text,
)
from .pages import join_pages
from .title import (
    TitleEvidence,
    choose_title,
    find_title,
    strip_site_suffix,
    title_evidence,
    title_parts,
)
from .units import TEXT_SAMPLE_CHARS, Reading, read_units, remove_chrome, signature

if TYPE_CHECKING:
    from ..template import PortalChrome

__all__ = [
    "EXTRACTOR",
    "EXTRACTOR_VERSION",
    "Extraction",
    "Reading",
    "closing_date",
    "extract",
    "extract_article",
    "find_title",
    "page_title",
    "parse_date",
    "parse_html",
    "read_template",
    "strip_site_suffix",
]


EXTRACTOR = "gov-trafilatura"


EXTRACTOR_VERSION = f"{__version__}+trafilatura-{trafilatura.__version__}"


@dataclass
class Extraction:
    """What one page says: the fields the archive versions, plus diagnostics."""

    title: str | None
    text: str
    published: str | None = None
    source: str | None = None
    metadata: dict = field(default_factory=dict)
    # what the template model reads on the page and did there (learned from by the writer)
    reading: Reading | None = field(default=None, repr=False)


def page_title(html: str) -> str | None:
    """The title extraction finds on a decoded page, for pages that are not extracted (lists,
    columns); None for a page that cannot be parsed."""
    try:
        doc = parse_html(html)
    except (etree.ParserError, ValueError):
        return None
    return find_title(doc, squash(visible_text(doc, html)))


@dataclass
class _Page:
    """A page on its way through extraction: decoded, parsed, without what a reader never
    sees and without the rules' chrome; read before that: its text, the evidence of its
    title, its meta and metadata-table dates and its source; and what the template model
    reads on it."""

    decoded: Decoded
    doc: etree._Element
    scripts: list[str]
    text: str
    evidence: TitleEvidence
    meta_date: str | None = None
    table_date: tuple[str, int] | None = None
    time_date: str | None = None
    source: str | None = None
    reading: Reading = field(default_factory=Reading)

    def read(self, model: "PortalChrome | None") -> tuple[str | None, etree._Element | None, str]:
        """The title, the element holding the body (None: the whole page) and how it was
        found; the units of what extraction reads, without the chrome of the page's template
        (when the model knows it)."""
        template = model.match(self.reading.signature) if model is not None else None
        if template is not None and not template.applies:
            template = None
        title = choose_title(self.evidence, template.titles if template else ())
        flatten_layout_tables(self.doc)
        container, method = body_container(self.doc, title)
        target = container if container is not None else self.doc
        units, holders = read_units(target, holding=template is not None)
        keep = squash(title or "")[:TEXT_SAMPLE_CHARS]
        self.reading.units = units
        self.reading.heading = next((u[1] for u in units if u[3] == keep), None)
        if template is not None:
            self.reading.template, self.reading.revision = template.template, template.revision
            self.reading.removed = remove_chrome(self.reading, holders, template.keys, keep)
        return title, container, method


def _page(body: bytes, url: str, headers: Mapping[str, str] | None) -> _Page:
    """A page decoded, parsed and cut down to what a reader sees (ExtractionError if it
    cannot be parsed); the evidence of its title and date read before its chrome goes."""
    decoded = decode_html(body, headers)
    try:
        doc = parse_html(decoded.text)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"{url}: cannot parse HTML ({exc})") from exc
    # scripts are never text; kept only for the document links they write
    scripts = [s for s in doc.xpath("//script/text()") if DOCUMENT_HINT.search(s)]
    text = visible_text(doc, decoded.text)
    page = _Page(decoded, doc, scripts, text, title_evidence(doc, squash(text)))
    page.meta_date = parse_date(meta_content(doc, META_DATE) or "")
    page.table_date = table_date(doc, decoded.text)
    page.time_date = time_date(doc)
    page.source = meta_content(doc, META_SOURCE) or source_of(text)
    drop_chrome(doc, any(tag in decoded.text for tag in ("<a name", "<A name", "<A NAME")))
    page.reading = Reading(signature=signature(doc), title=title_parts(page.evidence.page))
    return page


def read_template(body: bytes, url: str, headers: Mapping[str, str] | None = None) -> Reading:
    """What the template model reads on a page, without extracting it (to learn from stored
    pages)."""
    page = _page(body, url, headers)
    page.read(None)
    return page.reading


def extract(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    model: "PortalChrome | None" = None,
) -> Extraction:
    """Extract a page's title, published date, source and clean text; with its portal's
    template `model`, without what the page's template repeats on every page (its learned
    chrome) and without the <title> parts its pages share."""
    page = _page(body, url, headers)
    title, container, method = page.read(model)
    doc, decoded, scripts, reading = page.doc, page.decoded, page.scripts, page.reading
    target = container if container is not None else doc
    html = lxml.html.tostring(target, encoding="unicode")
    text = container_text(target, html) if container is not None else trafilatura_text(html)
    if len(squash(text)) < 0.6 * len(squash(target.text_content())) and container is not None:
        text, method = plain_text(container), "container-text"
    lines = strip_labels(drop_closing_fields(drop_repeated_runs(filter_lines(text, title))))
    if method == "page":
        lines = without_link_lines(lines, doc)
    labels = attachment_lines(target, text)
    metadata = {
        "encoding": decoded.encoding,
        "header_charset": decoded.declared,
        "header_charset_wrong": decoded.header_wrong,
    }
    if only_labels(lines + labels, doc, scripts, url):
        # no body: the notice is its attachment(s); the text is empty, never leftover chrome
        lines, labels, method = [], [], "attachments-only"
        metadata["attachments"] = document_links(doc, scripts, url)
    elif (pointing := landing_lines(lines, title)) is not None and document_links(
        doc, scripts, url
    ):
        lines, method = pointing, "landing"
    lines += labels
    published, date_source = published_date(
        page.text, title, lines, page.meta_date, url, page.table_date, page.time_date
    )
    metadata["method"] = method
    metadata["date_source"] = date_source
    from_url = url_date(url)
    if from_url and published:
        metadata["date_matches_url"] = from_url == published
    if reading.template is not None:
        metadata["template"] = {"id": reading.template, "removed": reading.removed}
    return Extraction(
        title=title,
        text="\n".join(lines),
        published=published,
        source=page.source,
        metadata=metadata,
        reading=reading,
    )


def extract_article(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    parts: Iterable[tuple[bytes, str, Mapping[str, str] | None]] = (),
    model: "PortalChrome | None" = None,
) -> Extraction:
    """Extract a page and, for an article split over several pages, its further pages
    (`parts`: body, url and headers each, in order), joined into one extraction
    (notice.extract.pages); each page read with the portal's template `model`. The joined
    extraction keeps the first page's reading (what the model learns from)."""
    extraction = extract(body, url, headers, model)
    pages = [extract(b, u, h, model) for b, u, h in parts]
    return join_pages([extraction, *pages]) if pages else extraction
