"""Attachments: recognising document files and extracting their text (pypdf, python-docx).

Pure functions like notice.extract: `extract_document(body, kind)` works on a saved file too.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from importlib.metadata import version
from urllib.parse import unquote, urlsplit

from . import __version__, patterns
from .errors import ExtractionError
from .judge import is_notice_title

DOCUMENT_EXTRACTOR_VERSION = (
    f"{__version__}+pypdf-{version('pypdf')}+python-docx-{version('python-docx')}"
)
# a line this close to the longest line was wrapped by the PDF's layout, not ended
_WRAPPED = 0.85
_SENTENCE_END = "。！？」”）)"
_STARTS_SECTION = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])"
)


@dataclass
class DocumentText:
    """A document's text, one paragraph per line, and what the file says about itself."""

    text: str
    title: str | None = None
    metadata: dict = field(default_factory=dict)


def document_kind(url: str, content_type: str | None = None) -> str | None:
    """pdf, docx, doc or wps when the URL or Content-Type names a document file, else None."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in patterns.DOCUMENT_TYPES:
        return patterns.DOCUMENT_TYPES[mime]
    parts = urlsplit(url)
    # the path, or a download script's file parameter (downfile.jsp?filename=通报.pdf)
    names = [unquote(parts.path), *(unquote(v) for v in re.split(r"[&=]", parts.query))]
    for name in (n.lower() for n in names):
        for ext, kind in patterns.DOCUMENT_EXTENSIONS.items():
            if name.endswith(ext):
                return kind
    return None


def _reflow(lines: list[str]) -> str:
    """Join lines the PDF wrapped at the page width back into paragraphs."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in lines]
    lines = [line for line in lines if line]
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    joining = False
    for line in lines:
        if joining and paragraphs and not _STARTS_SECTION.match(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        joining = len(line) >= _WRAPPED * width and not line.endswith(tuple(_SENTENCE_END))
    return "\n".join(paragraphs)


def pdf_lines(pages: list[str]) -> list[str]:
    """The lines of a PDF's pages without page numbers (— 1 —) and running headers/footers."""
    split = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    edges: dict[str, int] = {}
    for lines in split:
        ends = lines[: patterns.PDF_RUNNING_LINES] + lines[-patterns.PDF_RUNNING_LINES :]
        for line in set(ends):
            edges[line] = edges.get(line, 0) + 1
    needed = max(2, patterns.PDF_RUNNING_SHARE * len(split))
    running = {line for line, count in edges.items() if count >= needed}
    kept: list[str] = []
    for lines in split:
        count = len(lines)
        for index, line in enumerate(lines):
            near_edge = min(index, count - 1 - index) < patterns.PDF_RUNNING_LINES
            at_edge = index in (0, count - 1)
            if (
                patterns.PDF_PAGE_NUMBER.match(line)
                or (at_edge and patterns.PDF_EDGE_NUMBER.match(line))
                or (near_edge and line in running)
            ):
                continue
            kept.append(line)
    return kept


def _pdf(body: bytes) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"cannot read PDF ({exc})") from exc
    title = str(info.get("/Title") or "").strip() or None
    return DocumentText(_reflow(pdf_lines(pages)), title, {"pages": len(pages)})


def _docx(body: bytes) -> DocumentText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(body))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(f"cannot read DOCX ({exc})") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
    text = "\n".join(line.strip() for line in lines if line.strip())
    title = (document.core_properties.title or "").strip() or None
    return DocumentText(text, title, {"paragraphs": len(document.paragraphs)})


def extract_document(body: bytes, kind: str) -> DocumentText:
    """The text of a PDF or DOCX; an empty text for kinds we store but cannot read (doc, wps)."""
    if kind == "pdf":
        return _pdf(body)
    if kind == "docx":
        return _docx(body)
    return DocumentText("", None, {"text": f"no text extractor for {kind}"})


def document_title(doc: DocumentText, label: str | None) -> str | None:
    """The notice title of a document: the link's label (without a file's extension: 通报.docx
    is titled 通报, as when the file is read again with no label), the file's title or its
    first line."""
    first = doc.text.split("\n", 1)[0] if doc.text else None
    label = patterns.FILE_EXTENSION.sub("", label.strip()) if label else label
    candidates = [label, doc.title, first]
    return next((c for c in candidates if is_notice_title(c)), label or doc.title)
