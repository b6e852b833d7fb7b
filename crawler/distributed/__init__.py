"""Scale-out: crawl workers on one shared Redis frontier, one archive writer.

Nothing here is imported (nor is redis) unless the FRONTIER_URL setting is set.
"""


def coordinator(crawler, spider):
    """The spider's link to the shared frontier, or None for a local crawl."""
    url = crawler.settings.get("FRONTIER_URL")
    if not url:
        return None
    from .worker import Coordinator

    return Coordinator.join(crawler, spider, url)
