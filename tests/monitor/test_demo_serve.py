"""``noticewatch demo`` leaves something to explore: its closing hint names the notice it
edited, and ``demo --serve`` keeps its mock sites up on the config's ports until a signal."""

from __future__ import annotations

import json
import re
import signal
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.commands.demo import ADDED_PARAGRAPH, INBOX_NAME, NEW_TITLE
from monitor.config import load_config
from tests.support.cli import CliProcess, run_cli, wait_for

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One run of the whole demo: (its config, its output)."""
    directory = tmp_path_factory.mktemp("demo-serve") / "demo"
    result = run_cli(None, "demo", "--dir", str(directory), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return directory / "config.toml", result.stdout


def demo_addresses(config: Path) -> dict[str, str]:
    """Each demo source's list URL, and the alert inbox's URL, from the demo config."""
    loaded = load_config(config)
    addresses = {source.id: source.url for source in loaded.sources}
    for subscription in loaded.subscriptions:
        addresses[subscription.name] = subscription.notify[0].replace("json://", "http://")
    return addresses


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return True  # it answers (the inbox takes only POSTs)
    except OSError:
        return False


def refused(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


def wait_until_serving(process: CliProcess, urls: list[str]) -> None:
    def up() -> bool:
        assert process.proc.poll() is None, process.output()
        return all(answers(url) for url in urls)

    wait_for(up, 120, "the demo sites to answer")


@pytest.fixture
def serve(start_cli) -> Callable[..., CliProcess]:
    """``serve(config, *args)``: ``demo --serve`` as a process, killed at the end if need be."""
    return lambda config, *args: start_cli(config, "demo", "--serve", *args)


def test_the_demo_runs_end_to_end_and_its_hint_names_the_edited_notice(demo):
    config, output = demo
    assert output.count("(baseline: stored silently)") == 4, output
    assert "1 new" in output and "1 changed" in output, output
    shown = re.findall(r"--config (\S+) notices show (\d+)", output)
    diffed = re.findall(r"--config (\S+) notices diff (\d+)", output)
    assert shown and diffed, output
    assert shown[0] == diffed[0] == (str(config), shown[0][1])
    assert f"--config {config} demo --serve" in output
    notice_id = shown[0][1]
    notice = json.loads(run_cli(config, "notices", "show", notice_id, "--json").stdout)
    assert notice["title"] == NEW_TITLE
    assert len(notice["versions"]) == 2
    assert ADDED_PARAGRAPH in notice["text"]
    diff = run_cli(config, "notices", "diff", notice_id)
    assert diff.returncode == 0, diff.stderr
    assert ADDED_PARAGRAPH in diff.stdout


@pytest.mark.parametrize(
    ("signum", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)], ids=["SIGINT", "SIGTERM"]
)
def test_serve_keeps_the_demo_sites_up_until_a_signal(demo, serve, signum, exit_code):
    config, _ = demo
    addresses = demo_addresses(config)
    process = serve(config)
    wait_until_serving(process, list(addresses.values()))
    for source_id, url in addresses.items():
        if source_id != INBOX_NAME:
            assert url in process.output()

    crawl = run_cli(config, "crawl")
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    lines = crawl.stdout.splitlines()
    for source_id in addresses:
        if source_id != INBOX_NAME:  # the sites are as the demo left them: nothing new
            line = next(line for line in lines if f" {source_id} " in line)
            assert line.startswith("✓") and "0 new, 0 changed" in line, crawl.stdout

    if signum == signal.SIGTERM:
        test = run_cli(config, "notify", "test")
        assert test.returncode == 0, test.stdout + test.stderr
        wait_for(lambda: "Alert received" in process.output(), 30, "the inbox to show the test")
        second = run_cli(config, "demo", "--serve", timeout=60)  # the ports are taken
        assert second.returncode == 1
        assert "is another `noticewatch demo --serve` running?" in second.stderr

    assert process.stop(signum, timeout=30) == exit_code, process.output()
    assert process.output().rstrip().splitlines()[-1].startswith("Demo sites stopped")
    for url in addresses.values():
        assert refused(url), f"{url} still answers after the demo stopped serving"


def test_serve_without_a_demo_config_runs_the_demo_first(serve, tmp_path):
    directory = tmp_path / "fresh"
    process = serve(Path("unused.toml"), "--dir", str(directory))
    config = directory / "config.toml"
    wait_for(
        lambda: process.proc.poll() is not None or "Serving the demo sites" in process.output(),
        240,
        "the demo to finish and serve",
    )
    assert process.proc.poll() is None, process.output()
    assert "1 changed" in process.output()
    addresses = demo_addresses(config)
    assert all(answers(url) for url in addresses.values())
    assert process.stop(signal.SIGTERM, timeout=30) == 0, process.output()
    assert all(refused(url) for url in addresses.values())


def test_serve_refuses_a_config_the_demo_did_not_write(tmp_path):
    directory = tmp_path / "mine"
    directory.mkdir()
    mine = directory / "config.toml"
    mine.write_text('[[sources]]\nid = "a"\nurl = "http://127.0.0.1:9/"\n', encoding="utf-8")
    result = run_cli(None, "demo", "--serve", "--dir", str(directory), timeout=60)
    assert result.returncode == 2
    assert "was not written by `noticewatch demo`" in result.stderr


def test_demo_does_not_empty_a_directory_it_did_not_write(tmp_path):
    directory = tmp_path / "precious"
    directory.mkdir()
    (directory / "keep.txt").write_text("mine", encoding="utf-8")
    result = run_cli(None, "demo", "--dir", str(directory), timeout=60)
    assert result.returncode == 2
    assert "not deleting it" in result.stderr
    assert (directory / "keep.txt").read_text(encoding="utf-8") == "mine"
