"""When things run: triggers from the config, active hours, the spread after a (re)start."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import Source
from monitor.cron import crontab_trigger

STARTUP_SPREAD = 300.0
"""Seconds over which runs that are due at start-up are spread (at most one period)."""


def source_trigger(source: Source, timezone: tzinfo) -> BaseTrigger:
    """The source's cron or interval, with its jitter (never more than half an interval)."""
    if source.cron:
        return crontab_trigger(source.cron, timezone, source.jitter or None)
    jitter = min(source.jitter, source.interval / 2)
    return IntervalTrigger(seconds=source.interval, jitter=jitter or None, timezone=timezone)


def describe(trigger: BaseTrigger) -> str:
    """A stable text of what the trigger does: equal texts mean an unchanged schedule."""
    if isinstance(trigger, IntervalTrigger):
        text = f"every {trigger.interval}"
    else:
        text = f"{trigger} {trigger.timezone}"
    return f"{text} +{trigger.jitter:g}s jitter" if trigger.jitter else text


def period(trigger: BaseTrigger, now: datetime) -> float:
    """Seconds between two runs (the next two, for a cron trigger)."""
    if isinstance(trigger, IntervalTrigger):
        return trigger.interval.total_seconds()
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, first) if first else None
    return (second - first).total_seconds() if second else STARTUP_SPREAD


def spread(job_ids: list[str], periods: list[float], now: datetime) -> dict[str, datetime]:
    """Start times for jobs due at start-up: evenly apart over at most STARTUP_SPREAD or the shortest period."""
    if not job_ids:
        return {}
    window = min(STARTUP_SPREAD, *periods)
    step = timedelta(seconds=window / len(job_ids))
    return {job_id: now + index * step for index, job_id in enumerate(job_ids)}


BATCH_WAIT_SHARE = 0.1
"""A due source waits for its batch to fill at most this share of its period (and ``batch_wait``)."""


def batch_wait(source: Source, timezone: tzinfo, longest: float, now: datetime) -> float:
    """Seconds a due crawl of ``source`` may wait for others to share its crawl process."""
    return min(longest, BATCH_WAIT_SHARE * period(source_trigger(source, timezone), now))


def within_active_hours(hours: tuple[int, int] | None, moment: datetime) -> bool:
    """Whether ``moment`` (in the config timezone) is inside ``START-END`` hours; END may wrap past midnight."""
    if hours is None:
        return True
    start, end = hours
    if start < end:
        return start <= moment.hour < end
    return moment.hour >= start or moment.hour < end
