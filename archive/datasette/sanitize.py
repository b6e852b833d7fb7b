"""A captured page made safe to view: nothing in it runs, and viewing it contacts no one.

Removed: scripts, event handlers (`on…` attributes), forms and their controls, frames,
embedded objects, `<link>`, `<meta>` and `<base>`. Every attribute that makes a browser fetch
something (src, srcset, poster, background, data, action, ping, an href anywhere but a link)
is dropped, and so is every CSS `url(…)`, `image-set(…)` and `@import`, in `<style>` and in
style attributes (CSS with escapes, which could spell them otherwise, is dropped whole). Only
`data:image/…` sources, which are in the page itself, stay. A link leads to the page in the
archive when the archive holds it, else to its absolute address on the web (a click, never a
load); `javascript:` and other schemes lose their href. Frames become a line naming their page.

What was removed is counted, for the banner that says so. The page the caller serves carries
a Content-Security-Policy too (`POLICY`): a browser that meets something this missed still
loads nothing.
"""

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

# elements removed with everything in them
_DROP = {
    "script", "iframe", "frame", "object", "applet", "button", "select", "textarea", "audio",
    "video", "portal", "template", "noembed",
}  # fmt: skip
# empty elements, removed; libxml2's parser may put what follows them inside (an unclosed
# <embed>, a <source> in a <picture>): that is the page's, and stays
_VOID = {"embed", "link", "meta", "base", "input", "source", "track", "param"}
_FRAMES = {"iframe", "frame"}
_UNWRAP = {"form", "noscript", "frameset", "noframes"}  # removed, their content kept
_LOADING = {
    "src", "srcset", "lowsrc", "dynsrc", "poster", "background", "data", "codebase", "archive",
    "action", "formaction", "ping", "manifest", "longdesc", "profile", "xlink:href", "imagesrcset",
}  # fmt: skip
_LINKS = {"a", "area"}
_CSS_LOADS = re.compile(r"@import[^;]*;?|(?:-webkit-)?image-set\s*\([^)]*\)|url\s*\([^)]*\)", re.I)
_DATA_IMAGE = re.compile(r"\s*data:image/", re.I)
_WEB = ("http", "https")
POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox"
)


def clean_css(css: str, removed: Counter) -> str:
    """CSS that loads nothing: its url(), image-set() and @import become `none` (or go)."""
    if "\\" in css:  # an escape could spell url( in a way the pattern does not see
        removed["resources"] += 1
        return ""
    cleaned, count = _CSS_LOADS.subn(lambda m: "" if m[0][0] == "@" else "none", css)
    removed["resources"] += count
    return cleaned


def _link(element, base_url: str, link_to: Callable[[str], str | None], removed: Counter):
    href = (element.get("href") or "").strip()
    element.attrib.pop("target", None)
    if not href or href.startswith("#"):
        return
    absolute = urljoin(base_url, href)
    if urlsplit(absolute).scheme.lower() not in _WEB:
        del element.attrib["href"]
        removed["links"] += 1
        return
    archived = link_to(absolute)
    element.set("href", archived or absolute)
    if not archived:
        element.set("rel", "noreferrer nofollow")


def _clean_attributes(element, base_url: str, link_to, removed: Counter) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    for name in list(element.attrib):
        lower = name.lower()
        value = element.attrib[name]
        if lower.startswith("on"):
            removed["handlers"] += 1
        elif lower in _LOADING or (lower == "href" and tag not in _LINKS):
            if tag == "img" and lower == "src" and _DATA_IMAGE.match(value):
                continue
            removed["resources"] += 1
            if tag == "img" and lower == "src" and not element.get("alt"):
                element.set("alt", "[image not archived]")
        elif lower == "style":
            element.set(name, clean_css(value, removed))
            continue
        else:
            continue
        del element.attrib[name]
    if tag in _LINKS:
        _link(element, base_url, link_to, removed)


def _frame_line(element, base_url: str, link_to) -> etree._Element:
    """What stands where a frame was: a line naming (and linking) the page it showed."""
    source = (element.get("src") or "").strip()
    line = lxml.html.Element("p")
    line.set("class", "archive-frame")
    line.text = "[a frame was here, not shown" + (": " if source else "]")
    if source:
        absolute = urljoin(base_url, source)
        anchor = etree.SubElement(line, "a")
        anchor.set("href", link_to(absolute) or absolute)
        anchor.text = absolute
        anchor.tail = "]"
    return line


def _attached(element, document) -> bool:
    """False once an ancestor was dropped."""
    while element is not None:
        if element is document:
            return True
        element = element.getparent()
    return False


def sanitize(
    text: str, base_url: str, link_to: Callable[[str], str | None]
) -> tuple[lxml.html.HtmlElement, Counter]:
    """The page's document, cleaned, and the counts of what was removed (scripts, handlers,
    forms, frames, resources, links). `link_to(absolute_url)` gives the archive's address for
    a page it holds, or None."""
    document = lxml.html.document_fromstring(text if text.strip() else "<html></html>")
    removed: Counter = Counter()
    dropped = (etree.Comment, etree.ProcessingInstruction, *_DROP, *_VOID)
    for element in list(document.iter(*dropped)):
        if not _attached(element, document):
            continue
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag:
            removed[_kind(tag)] += 1
        if tag in _FRAMES:
            element.addprevious(_frame_line(element, base_url, link_to))
        if tag in _VOID:
            element.drop_tag()
        else:
            element.drop_tree()
    for element in list(document.iter()):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _UNWRAP:
            removed["forms" if tag == "form" else "frames" if tag == "frameset" else "other"] += 1
            element.drop_tag()
            continue
        if tag == "style":
            element.text = clean_css(element.text or "", removed)
        _clean_attributes(element, base_url, link_to, removed)
    _ensure_body(document)
    return document, removed


def _kind(tag: str) -> str:
    if tag == "script":
        return "scripts"
    if tag in _FRAMES:
        return "frames"
    if tag in ("input", "button", "select", "textarea"):
        return "forms"
    if tag in ("meta", "base", "template", "noembed"):
        return "other"
    return "resources"


def _ensure_body(document) -> None:
    """A frameset page has no body: its frames' lines go into one."""
    if document.find("body") is None:
        body = lxml.html.Element("body")
        for child in list(document):
            if child.tag != "head":
                body.append(child)
        document.append(body)
