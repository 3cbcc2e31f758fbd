"""Alerts: the outbox, message texts, and delivery through apprise.

``outbox.enqueue`` (in the event's transaction) → ``sender.drain`` (send, retry, record) and,
for digest-mode subscriptions, ``digest.queue_due_digests`` (or ``send_due_digests``) on their
cron. The package itself imports nothing: a crawl writes outbox rows without loading apprise.
"""
