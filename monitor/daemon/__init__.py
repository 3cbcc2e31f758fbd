"""The long-running daemon behind ``noticewatch run``.

One process holds the scheduler lease on the database, keeps every source on
its schedule (APScheduler, job store in the same database), runs each crawl in
a child process through a :class:`~monitor.daemon.launcher.Launcher`, has its
notifier child (:mod:`monitor.daemon.notifier`) send the alerts, and optionally
serves ``/healthz`` and ``/metrics``.
"""
