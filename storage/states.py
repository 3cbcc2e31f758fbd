"""The vocabularies of stored states: what a crawl run, a notice and a delivery can be.

Values are the strings in the database; ``StrEnum`` members compare equal to
them, so rows read back need no conversion.
"""

from __future__ import annotations

from enum import StrEnum


class RunOutcome(StrEnum):
    """How a crawl run of one source ended (``crawl_runs.outcome``)."""

    RUNNING = "running"  # not ended yet
    OK = "ok"
    NETWORK_ERROR = "network_error"
    HTTP_ERROR = "http_error"
    BLOCKED = "blocked"
    LAYOUT_DRIFT = "layout_drift"
    CONFIG_ERROR = "config_error"
    STALE = "stale"
    INTERRUPTED = "interrupted"  # stopped or killed before it ended: neither failure nor success
    STORAGE_ERROR = "storage_error"  # the database failed to store a page: not the source's fault


FAILURES = (  # the source did not work: these count towards its failure streak
    RunOutcome.NETWORK_ERROR,
    RunOutcome.HTTP_ERROR,
    RunOutcome.BLOCKED,
    RunOutcome.LAYOUT_DRIFT,
    RunOutcome.CONFIG_ERROR,
    RunOutcome.STALE,
)
NOT_JUDGED = (RunOutcome.INTERRUPTED, RunOutcome.STORAGE_ERROR)  # leave the streak alone


class NoticeStatus(StrEnum):
    """Whether a notice's page still answers (``notices.status``)."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # 404/410 on two consecutive checks


class DeliveryStatus(StrEnum):
    """Where an outbox row stands (``deliveries.status``)."""

    PENDING = "pending"  # to send (now or at next_attempt_at)
    SENT = "sent"
    FAILED = "failed"  # gave up after max_attempts, or a permanent error
    DIGEST = "digest"  # waits for its subscription's digest
    DIGESTED = "digested"  # sent inside a digest row (``digest_id``)


UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.DIGEST)  # alerts still to send
FINAL = (DeliveryStatus.SENT, DeliveryStatus.FAILED)  # done
