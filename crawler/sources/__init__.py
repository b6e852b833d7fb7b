"""The sources crawlers read besides a portal's lists: robots.txt `Sitemap:` lines, sitemaps
and sitemap indexes (gzipped too) and the RSS/Atom feeds pages name. Their URLs go through the
notice decision (`admit`); `parse` and `links` read the files and pages."""

from .admit import Decision, Fetch, decide, is_article_url, notice_folders
from .links import feed_links
from .parse import FEED, INDEX, URLSET, Entry, Source, SourceError, parse, robots_sitemaps, when

__all__ = [
    "FEED",
    "INDEX",
    "URLSET",
    "Decision",
    "Entry",
    "Fetch",
    "Source",
    "SourceError",
    "decide",
    "feed_links",
    "is_article_url",
    "notice_folders",
    "parse",
    "robots_sitemaps",
    "when",
]
