"""Downloader middlewares: portal scope on every request, and retries that back off."""

import asyncio

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest

from notice.urls import in_scope

from . import stats


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
            self.crawler.stats.inc_value(stats.portal_key(portal_id, stats.OUT_OF_SCOPE))
            raise OutOfScope(f"out of scope for portal {portal_id}: {request.url}")
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, each after a pause that doubles: a struggling portal gets air.

    Settings: RETRY_BACKOFF_BASE (seconds before the first retry), RETRY_BACKOFF_MAX.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "BackoffRetryMiddleware":
        middleware = super().from_crawler(crawler)
        middleware.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE")
        middleware.cap = crawler.settings.getfloat("RETRY_BACKOFF_MAX")
        return middleware

    async def _pause(self, result):
        if isinstance(result, Request) and self.base > 0:
            delay = min(self.cap, self.base * 2 ** (result.meta.get("retry_times", 1) - 1))
            self.crawler.stats.inc_value(stats.BACKOFF_SECONDS, delay)
            await asyncio.sleep(delay)
        return result

    async def process_response(self, request, response):
        return await self._pause(super().process_response(request, response))

    async def process_exception(self, request, exception):
        return await self._pause(super().process_exception(request, exception))
