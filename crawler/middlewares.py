"""Downloader middleware that keeps every request inside its own portal's domains."""

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from .urls import in_scope


class OutOfScope(IgnoreRequest):
    """A request outside its portal's allowed domains (expected; not an error)."""


class PortalScopeMiddleware:
    """Drop any request (redirects included) outside the allowed_domains of its portal."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PortalScopeMiddleware":
        return cls(crawler)

    def process_request(self, request):
        portal_id = request.meta.get("portal")
        if portal_id is None:
            return None  # robots.txt and other engine requests
        portal = self.crawler.spider.portals[portal_id]
        if not in_scope(request.url, portal.allowed_domains):
            self.crawler.stats.inc_value(f"portal/{portal_id}/out_of_scope")
            raise OutOfScope(f"out of scope for portal {portal_id}: {request.url}")
        return None
