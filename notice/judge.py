"""Is this a notice? The one place that decides, from a title or from an extraction."""

import re

from .patterns import (
    ARTICLE_MIN_CHARS,
    ARTICLE_MIN_SENTENCES,
    LIST_MAX_OWN_TEXT,
    NOT_NOTICE,
    NOTICE_INSPECTION,
    NOTICE_ISSUER,
    NOTICE_RECTIFY,
    NOTICE_REPORT,
    SENTENCE_END,
    UNINFORMATIVE,
)

# What an extraction is, for the archive: a notice, or why it is not one.
NOTICE = "notice"
NOT_A_NOTICE = "not_a_notice"
EMPTY_TEXT = "empty_text"


def is_notice_title(text: str | None) -> bool:
    """True when a title (or link text) reads like a rectification notice."""
    if not text:
        return False
    text = re.sub(r"\s+", "", text)
    return bool(
        NOTICE_INSPECTION.search(text)
        and NOTICE_RECTIFY.search(text)
        and NOTICE_REPORT.search(text)
        and not NOT_NOTICE.search(text.partition("关于")[2] or text)
    )


def might_be_notice_title(text: str) -> bool:
    """True when a link text is truncated or uninformative but could still be a notice."""
    text = re.sub(r"\s+", "", text)
    if UNINFORMATIVE.match(text):
        return True
    truncated = text.endswith(("...", "…", "..", "……"))
    if not truncated or NOT_NOTICE.search(text.partition("关于")[2] or text):
        return False
    # the cut may fall before the words: 中共某县民政局党组关于十四届县… still reads like an
    # issuer's notice title
    return bool(
        NOTICE_INSPECTION.search(text) or NOTICE_RECTIFY.search(text) or NOTICE_ISSUER.search(text)
    )


def attachments_only(extraction) -> bool:
    """A notice published only as its attachment(s): no body, the files carry it."""
    return extraction.metadata.get("method") == "attachments-only"


def judge(extraction) -> str:
    """NOTICE when an extraction is a notice to archive; else why not (NOT_A_NOTICE: its
    title is not a notice's; EMPTY_TEXT: no text and no attachment to carry it)."""
    if not is_notice_title(extraction.title):
        return NOT_A_NOTICE
    if not extraction.text.strip() and not attachments_only(extraction):
        return EMPTY_TEXT
    return NOTICE


def is_notice_page(extraction) -> bool:
    """True for a notice whose page is an article, not a list (a list has little text of its
    own, and no sentences: a short notice beside a sidebar of other notices is an article), or
    a notice published only as files: its links need not be sorted."""
    if not extraction or not is_notice_title(extraction.title):
        return False
    own = re.sub(r"\s+", "", extraction.text)
    return (
        len(own) >= LIST_MAX_OWN_TEXT
        or (
            len(own) >= ARTICLE_MIN_CHARS
            and len(SENTENCE_END.findall(own)) >= ARTICLE_MIN_SENTENCES
        )
        or attachments_only(extraction)
    )
