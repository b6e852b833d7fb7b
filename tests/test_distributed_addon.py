"""Without FRONTIER_URL nothing changes (and redis is not imported); with it, the add-on
switches the scheduler, the dupefilter and the item pipeline."""

import subprocess
import sys

from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.addons import SharedFrontier
from demo.crawl import PROJECT_ROOT


def settings(**extra) -> Settings:
    result = Settings()
    result.setmodule(project_settings, priority="project")
    result.setdict(extra, priority="cmdline")
    SharedFrontier().update_settings(result)
    return result


def test_a_local_crawl_keeps_its_scheduler_and_archive_pipeline():
    local = settings()
    assert local["SCHEDULER"] == "crawler.startup.FreshJobScheduler"
    assert local.getdict("ITEM_PIPELINES") == {"crawler.pipelines.ArchivePipeline": 300}


def test_a_worker_schedules_in_redis_and_sends_its_items_there():
    worker = settings(FRONTIER_URL="redis://127.0.0.1:6379/0")
    assert worker["SCHEDULER"] == "crawler.distributed.worker.FrontierScheduler"
    assert worker["SCHEDULER_QUEUE_CLASS"] == "crawler.distributed.worker.FrontierQueue"
    assert worker["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert worker["REDIS_URL"] == "redis://127.0.0.1:6379/0" and worker["SCHEDULER_PERSIST"]
    pipelines = worker.getdict("ITEM_PIPELINES")
    assert pipelines["crawler.pipelines.ArchivePipeline"] is None
    assert pipelines["crawler.distributed.worker.QueuePipeline"] == 300


def test_the_local_crawl_does_not_import_redis():
    code = (
        "import sys, crawler.spiders.notices, crawler.pipelines, crawler.addons, archive.cli; "
        "assert not {'redis', 'scrapy_redis'} & set(sys.modules), 'redis imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
