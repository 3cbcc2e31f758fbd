"""Standard five-field crontab lines as APScheduler triggers."""

from __future__ import annotations

import re
from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

_CRONTAB_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NUMBER = re.compile(r"(?<![/\d])\d+")


def crontab_trigger(expression: str, timezone: tzinfo, jitter: float | None = None) -> CronTrigger:
    """A trigger for a standard crontab line; weekday 0 and 7 are Sunday (APScheduler 3 counts from Monday)."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"{expression!r}: use five crontab fields: minute hour day month weekday")
    minute, hour, day, month, weekday = fields

    def weekday_name(match: re.Match[str]) -> str:
        number = int(match.group())
        if number > 7:
            raise ValueError(f"{expression!r}: weekday {number} is not 0-7")
        return _CRONTAB_WEEKDAYS[number]

    weekday = _WEEKDAY_NUMBER.sub(weekday_name, weekday)
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=weekday,
        timezone=timezone,
        jitter=jitter,
    )
