"""The services tests need (PostgreSQL, Redis): where they are, and what to do when one is missing."""

from __future__ import annotations

import os
import socket

import pytest

PG_ADMIN_URL = os.environ.get(
    "NOTICEWATCH_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_missing(what: str) -> None:
    """Skip (loudly) outside CI; in CI a missing service is a failure."""
    message = f"{what} is not reachable on 127.0.0.1: start it (see .ci/run)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(f"SERVICE MISSING — {message}")


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def chromium_missing() -> None:
    """Skip (loudly, "CHROMIUM MISSING") outside CI when pages cannot be rendered here; in CI
    it is a failure (``.ci/run`` installs Debian's ``chromium``)."""
    from spiders.rendering import rendering_problem

    problem = rendering_problem()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(problem)
    pytest.skip(f"CHROMIUM MISSING — {problem}")
