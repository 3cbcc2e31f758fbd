"""A time budget for extracting one page, checked between the extraction's stages.

Every stage is linear in the page, so a page stays within its budget unless it
is huge or built to be slow; such a page becomes a recorded extraction problem
(retried, then given up) instead of holding up the crawl.
"""

from __future__ import annotations

import time


class PageTooHeavy(Exception):
    """Extraction of a page passed its time budget."""


class Budget:
    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds

    def check(self, stage: str) -> None:
        """Raise :class:`PageTooHeavy` when the budget is spent (``stage``: what was done last)."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise PageTooHeavy(f"the page took over {self.seconds:g} s to extract ({stage})")
