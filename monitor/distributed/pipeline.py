"""The item pipeline of a worker: page items to the Recorder, ``Done`` to the queue."""

from __future__ import annotations

from monitor.distributed.runs import QueueRuns
from monitor.pipeline import RecorderPipeline
from spiders.queued import Done, RunItem


class QueuePipeline(RecorderPipeline):
    """Bind with :func:`queue_pipeline_for`; needs ``CONCURRENT_ITEMS = 1`` (items in order)."""

    runs: QueueRuns

    def process_item(self, item):
        if isinstance(item, RunItem):
            with self.runs.recording(item.run):
                super().process_item(item.item)
        elif isinstance(item, Done):
            self.crawler.spider.settle(item)
        return item

    def spider_closed(self, spider, reason: str) -> None:
        """Nothing to close: a run ends when its last request settles, on whichever worker."""


def queue_pipeline_for(runs: QueueRuns) -> type[QueuePipeline]:
    return type("BoundQueuePipeline", (QueuePipeline,), {"runs": runs, "recorder": runs.recorder})
