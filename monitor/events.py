"""Event kinds and what each means for the rest of the code: one registry.

Config validation (which kinds a subscription may name), the outbox (whether
keywords apply), alert messages (the title mark, notice or source alert), and
the crawl run's counters (the recorder and the distributed tally) all read
:data:`KINDS`. Adding a kind is one member and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    """What happened (``events.kind``)."""

    NEW = "new"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"  # a repost of a known notice: linked, alerted only with alert_reposts
    SOURCE_ERROR = "source_error"
    SOURCE_RECOVERED = "source_recovered"


@dataclass(frozen=True)
class KindInfo:
    subscribable: bool  # a subscription may name it in ``events``
    about_notice: bool  # the alert is built from the notice, and keywords filter it
    title_mark: str = ""  # after 【source】 in the alert title
    counted: bool = False  # a crawl run counts it (``RunState`` field of the kind's name)


KINDS: dict[EventKind, KindInfo] = {
    EventKind.NEW: KindInfo(subscribable=True, about_notice=True, counted=True),
    EventKind.CHANGED: KindInfo(
        subscribable=True, about_notice=True, title_mark="（更新）", counted=True
    ),
    EventKind.WITHDRAWN: KindInfo(subscribable=True, about_notice=True, title_mark="（已撤回）"),
    EventKind.DUPLICATE: KindInfo(subscribable=False, about_notice=True),
    EventKind.SOURCE_ERROR: KindInfo(subscribable=True, about_notice=False),
    EventKind.SOURCE_RECOVERED: KindInfo(subscribable=True, about_notice=False),
}
SUBSCRIBABLE = tuple(kind for kind, info in KINDS.items() if info.subscribable)
COUNTED = tuple(kind for kind, info in KINDS.items() if info.counted)
DEFAULT_EVENTS = (EventKind.NEW, EventKind.CHANGED)  # what a subscription gets unless it says
