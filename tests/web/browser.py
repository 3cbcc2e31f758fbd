"""Headless Chromium (Debian's ``/usr/bin/chromium``) driven by Playwright, and where the
screenshots of the pages land (``test-artifacts/web/``, ignored by git)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.cli import ROOT
from tests.support.services import IN_CI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-artifacts" / "web"


def chromium_missing(reason: str) -> None:
    """Skip loudly outside CI; in CI the browser tests must run."""
    message = f"{reason}: install Debian's chromium (see .ci/run) and the test extra (playwright)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(f"CHROMIUM MISSING — {message}")


@contextmanager
def chromium() -> Iterator:
    """A Playwright browser on the system Chromium (never a downloaded one)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        chromium_missing(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium_missing("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    """Save the whole page as ``test-artifacts/web/NAME.png``; print where."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path
