"""Beyond one machine: crawls handed to ``noticewatch worker`` processes through Redis.

The scheduling daemon pushes crawl messages (:mod:`.launcher`); workers
(:mod:`.worker`) run the Redis-fed spider of :mod:`spiders.queued` and store
into the shared database through the usual :class:`~monitor.recorder.Recorder`
(:mod:`.runs`, :mod:`.tally`). See ``docs/scaling.md``.
"""
