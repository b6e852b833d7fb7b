"""Sample portals whose lists no plug-in of the crawler reads (issue 24), written before the
list explorer exists: one module per portal, each placing the items of
tests/fixtures/explore/portals.toml behind its own list mechanism, all served on one 127.0.0.1
port by `serve()` (server.py), which records every request."""

from . import (
    cursor,
    feeds,
    hashapp,
    loadmore,
    opener,
    pagerows,
    rows,
    scroll,
    sitemap,
    spa,
    split,
    tabs,
    webforms,
)
from .server import Answer, ExploreSite, Request, serve

MODULES = (
    webforms,
    loadmore,
    cursor,
    tabs,
    rows,
    spa,
    sitemap,
    feeds,
    split,
    scroll,
    opener,
    hashapp,
    pagerows,
)

__all__ = ["MODULES", "Answer", "ExploreSite", "Request", "serve"]
