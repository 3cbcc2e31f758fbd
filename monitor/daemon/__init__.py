"""The long-running daemon behind ``noticewatch run``.

One process holds the scheduler lease on the database, keeps every source on
its schedule (APScheduler, job store in the same database), runs each crawl in
a child process through a :class:`~monitor.daemon.launcher.Launcher`, drains
the alert outbox, and optionally serves ``/healthz`` and ``/metrics``.
"""
