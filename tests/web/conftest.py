"""A web UI over a database filled by crawling the mock sites, as a user would have it.

``world`` (one per module): the TRS, 繁體 and Hanweb mock sites (Hanweb reposts a TRS
notice), a baseline crawl, then new notices (one whose title carries ``<script>`` and
``<img onerror>``, one in traditional script) and a second crawl; then ``noticewatch
web`` started as a real process on a free loopback port.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.demo import (
    MockNotice,
    MockSite,
    MockSiteServer,
    build_all_sites,
    start_sites,
    stop_all,
)
from tests.support.cli import CliProcess, run_cli, source_toml, wait_for, write_config

HOSTILE_TITLE = (
    '关于<script>window.__pwned=1</script>招生考试报名的通知<img src=x onerror="window.__pwned=2">'
)
EXAM_TITLE = "关于做好2025年普通高校招生考试报名工作的通知"
EXAM_BODY = [
    "各县（市、区）教育局：",
    "2025年普通高校招生考试报名工作将于11月1日开始，现将有关事项通知如下。",
    "请各地认真组织，确保报名信息准确无误。",
]
TRADITIONAL_TITLE = "關於舉辦2025年招生考試說明會的通知"
TRADITIONAL_BODY = [
    "各學校：",
    "為做好2025年招生考試宣傳工作，定於11月10日舉辦說明會，請各校派員參加。",
]


DEAD_TARGET = "json://127.0.0.1:{port}/hook?token=s3cretTOKEN"  # nothing listens: sends fail


def now_beijing() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class World:
    config: Path
    url: str  # the web UI, ending in /
    sites: dict[str, MockSite]
    web: CliProcess
    exam: MockNotice | None = None  # the TRS notice the tests edit

    def crawl(self) -> None:
        result = run_cli(self.config, "crawl", "--alert-wait", "3")
        assert result.returncode == 0, result.stdout + result.stderr

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        """(status, headers, body) of a GET, errors included."""
        request = urllib.request.Request(self.url + path.lstrip("/"), headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def api(self, path: str):
        status, _, body = self.get(path)
        assert status == 200, body
        return json.loads(body)


def start_web(config: Path, log: Path, *args: str) -> tuple[CliProcess, str]:
    """``noticewatch web`` on a free port, once it answers."""
    port = free_port()
    process = CliProcess(config, ["web", "--bind", f"127.0.0.1:{port}", *args], log)
    url = f"http://127.0.0.1:{port}/"

    def answers() -> bool:
        assert process.proc.poll() is None, process.output()
        try:
            with urllib.request.urlopen(url + "api/sources", timeout=5):
                return True
        except OSError:
            return False

    wait_for(answers, 60, "noticewatch web to answer")
    return process, url


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("web")
    built = {site.style: site for site in build_all_sites()}
    servers: list[MockSiteServer] = start_sites([built["trs"], built["big5"], built["hanweb"]])
    by_style = {server.site.style: server for server in servers}
    config = write_config(
        tmp / "config.toml",
        f"sqlite:///{tmp / 'notices.db'}",
        [by_style["trs"], by_style["hanweb"]],
        tags=["河南", "教育局"],
        extra=f'[[subscriptions]]\nname = "office"\nnotify = ["{DEAD_TARGET.format(port=free_port())}"]\n',
    )
    with config.open("a", encoding="utf-8") as file:
        file.write(source_toml(by_style["big5"], max_pages=10, tags=["繁体"]))
    web = None
    try:
        first = World(config, "", {s: by_style[s].site for s in by_style}, None)  # type: ignore[arg-type]
        first.crawl()  # the silent baseline
        trs, big5 = by_style["trs"].site, by_style["big5"].site
        trs.add_notice(HOSTILE_TITLE, EXAM_BODY[1:], published=now_beijing())
        exam = trs.add_notice(
            EXAM_TITLE,
            EXAM_BODY,
            published=now_beijing(),
            attachments=[("报名须知.pdf", "P020250101000000000001.pdf")],
        )
        big5.add_notice(TRADITIONAL_TITLE, TRADITIONAL_BODY, published=now_beijing())
        first.crawl()
        web, url = start_web(config, tmp / "web.log")
        yield World(config, url, first.sites, web, exam)
    finally:
        if web is not None and web.proc.poll() is None:
            web.proc.kill()
            web.proc.wait()
        stop_all(servers)
