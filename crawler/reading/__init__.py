"""Page reading, apart from Scrapy: what a fetched page is, what it holds and what to fetch
next, as plain data.

Each function takes a decoded response (`Fetched`: its URL, status, headers, bytes, how it
was reached) or a failed request (`Failed`) and the crawl policy's state (`Frontier`), and
returns a `Reading`: the items to archive and the requests to make next (`RequestSpec`), in
order, with the stats to count and the lines to log. The spider (crawler.spiders.notices)
only turns Scrapy responses into these calls and their answers into Scrapy requests and
items. A page is decoded and parsed once; its selector is shared by every step and list
mechanism that reads it. Extraction runs in worker processes: a reading that needs it asks
(`reading.extract`), and the page is read again with it.

    read_page(page, frontier)        a page, in the role it was reached in
    read_api(page, frontier)         a list API's reply
    read_detail_api(page, frontier)  a shell's detail API reply
    read_source(page, frontier)      a robots.txt, sitemap or feed
    read_part(page, frontier)        a further page of a notice split over several
    read_recipe(page, frontier)      a list recipe's reply (crawler.explore)
    read_failure(failed, frontier)   a request that got no response
    start(frontier)                  the start requests
    idle_step(frontier, step)        the searches, then the unlisted known notices
    ending(frontier)                 the listings that cannot be trusted
"""

from .apis import read_api, read_detail_api
from .article import read_part
from .crawl import ending, idle_step, start
from .explored import read_recipe
from .failures import BROWSER_UNAVAILABLE, Failed, read_failure
from .page import ExtractionFailed, ExtractSpec, Fetched, Reached
from .pages import read_page
from .result import (
    READ_API,
    READ_DETAIL_API,
    READ_PAGE,
    READ_PART,
    READ_RECIPE,
    READ_SOURCE,
    Reading,
    RequestSpec,
)
from .sources import read_source

__all__ = [
    "BROWSER_UNAVAILABLE",
    "READ_API",
    "READ_DETAIL_API",
    "READ_PAGE",
    "READ_PART",
    "READ_RECIPE",
    "READ_SOURCE",
    "ExtractSpec",
    "ExtractionFailed",
    "Failed",
    "Fetched",
    "Reached",
    "Reading",
    "RequestSpec",
    "ending",
    "idle_step",
    "read_api",
    "read_detail_api",
    "read_failure",
    "read_page",
    "read_part",
    "read_recipe",
    "read_source",
    "start",
]
