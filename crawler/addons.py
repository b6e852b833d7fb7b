"""Scrapy add-ons: settings derived from our own settings before Scrapy freezes them."""

from scrapy.settings import Settings


class TlsPolicy:
    """DOWNLOAD_VERIFY_CERTIFICATES follows TLS_ALLOW_INVALID (an explicit
    `-s DOWNLOAD_VERIFY_CERTIFICATES=…` still wins: it has the command line's priority)."""

    def update_settings(self, settings: Settings) -> None:
        verify = not settings.getbool("TLS_ALLOW_INVALID")
        settings.set("DOWNLOAD_VERIFY_CERTIFICATES", verify, priority="addon")


class SharedFrontier:
    """With FRONTIER_URL set, the crawl is a worker on a shared Redis frontier: scrapy-redis'
    scheduler and dupefilter (in crawler.distributed.worker), and items sent to the writer
    instead of the archive. Without it nothing changes (and redis is not imported).

    The scheduler and the pipelines are the project's own settings: they are switched at the
    project's priority, so that a command line `-s` still wins."""

    def update_settings(self, settings: Settings) -> None:
        url = settings.get("FRONTIER_URL")
        if not url:
            return
        worker = "crawler.distributed.worker"
        settings.set("SCHEDULER", f"{worker}.FrontierScheduler", priority="project")
        settings.set("SCHEDULER_QUEUE_CLASS", f"{worker}.FrontierQueue", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", "rectification:%(spider)s:dupefilter", "addon")
        # the run's keys outlive each worker: its last worker removes them
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        settings.set("REDIS_URL", url, priority="addon")
        settings["ITEM_PIPELINES"]["crawler.pipelines.ArchivePipeline"] = None
        settings["ITEM_PIPELINES"][f"{worker}.QueuePipeline"] = 300
