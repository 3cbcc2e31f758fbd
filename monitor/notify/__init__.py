"""Alerts: the outbox, message texts, and delivery through apprise.

``enqueue`` (in the event's transaction) → ``drain`` (send, retry, record) and,
for digest-mode subscriptions, ``queue_due_digests`` (or ``send_due_digests``) on their cron.
"""

from monitor.config import RetryPolicy
from monitor.notify.digest import queue_due_digests, send_due_digests
from monitor.notify.outbox import enqueue
from monitor.notify.sender import DrainReport, drain

__all__ = [
    "DrainReport",
    "RetryPolicy",
    "drain",
    "enqueue",
    "queue_due_digests",
    "send_due_digests",
]
