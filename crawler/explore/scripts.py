"""The scripts the explorer runs inside a page, as data (crawler/explore/page.js, one
expression per `// @NAME` section):

    INIT        added before the page's own scripts: notes the elements that get event
                listeners (delegated handlers included), keeps the page in its tab
                (window.open and target=_blank are recorded, not opened)
    CANDIDATES  what a visitor can act on, as plain data (the elements are kept in the page;
                an action names one by its index); links with a real href are no actions
    LINKS       the page's links: absolute URL and label
    OPENED      what window.open was asked for since the last call
    VALUES      the value sets of the page's controls: every select's options, every group of
                sibling elements naming a value in the same data attribute (tabs)
    SCROLL      to the bottom of the page
    HEIGHT      the page's height and the window's
    FRAMES      two animation frames (a reply's rows are drawn)
"""

import re
from pathlib import Path

_SECTION = re.compile(r"^// @(\w+)\n", re.M)


def _sections(text: str) -> dict[str, str]:
    parts = _SECTION.split(text)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


_SCRIPTS = _sections((Path(__file__).parent / "page.js").read_text("utf-8"))
INIT = _SCRIPTS["INIT"]
CANDIDATES = _SCRIPTS["CANDIDATES"]
LINKS = _SCRIPTS["LINKS"]
OPENED = _SCRIPTS["OPENED"]
VALUES = _SCRIPTS["VALUES"]
SCROLL = _SCRIPTS["SCROLL"]
HEIGHT = _SCRIPTS["HEIGHT"]
FRAMES = _SCRIPTS["FRAMES"]
