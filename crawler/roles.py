"""The roles a URL is requested in: what its response is read as.

The values are stored (request meta in a job directory or the distributed queue), so they
are plain strings.
"""

NOTICE = "notice"  # linked with a notice's title
CANDIDATE = "candidate"  # may be a notice: decided from the page itself
ATTACHMENT = "attachment"  # a document file a notice links
API = "api"  # a page of a list API (JSON, Hanweb's dataproxy …)
SEARCH = "search"  # a result page of the portal's own search
PAGE = "page"  # a further page of a list
COLUMN = "column"  # a list (a column of the portal, a frame of a page)
START = "start"  # a seed's start URL
FRAME = "frame"  # a link role only: a frame of the page, requested as a column
SOURCE = "source"  # robots.txt, a sitemap or a feed (crawler.sources): read for its URLs
PART = "part"  # a further page of a notice split over several pages (crawler.article)

LIST_ROLES = (START, COLUMN, PAGE, SEARCH)
ITEM_ROLES = (NOTICE, CANDIDATE, ATTACHMENT)
# Links a list holds that may be notices.
NOTICE_ROLES = (NOTICE, CANDIDATE)

PRIORITY = {
    NOTICE: 20,
    ATTACHMENT: 15,
    CANDIDATE: 10,
    PART: 18,  # a notice waits for its further pages: fetched before new items
    API: 8,
    SOURCE: 7,
    SEARCH: 6,
    PAGE: 5,
    COLUMN: 0,
    START: 0,
}
# Candidates nothing names (a sitemap's untitled URLs, a picture link with no words): fetched
# after every list page.
LAST = PRIORITY[COLUMN] - 1
