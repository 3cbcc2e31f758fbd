"""``noticewatch crawl`` as a user meets it: quiet when sites are down, fast to give up on a
dead server, stopped at once by Ctrl-C or SIGTERM with nothing half-written.

Real CLI processes; dead servers are real sockets on 127.0.0.1 (closed ports refuse, a
stalling server accepts and never answers); a name that does not resolve goes through the
audited crawl's test resolver. Waits are generous; nothing asserts on elapsed time.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import select

from storage.models import CrawlRun
from tests.support.audited import audited_crawl
from tests.support.cli import ROOT, db_rows, wait_for, write_config
from tests.support.hostile_site import StallingServer
from tests.support.receivers import free_port


def dead_sources_config(tmp_path, url: str, targets: dict[str, str], **crawl) -> str:
    """A config of sources at ``targets`` (id → list URL), crawled with default settings
    but for ``crawl``."""
    lines = [f'[storage]\nurl = "{url}"\n', "[crawl]"]
    lines += [f"{key} = {value}" for key, value in crawl.items()]
    for source_id, target in targets.items():
        lines += ["", "[[sources]]", f'id = "{source_id}"', f'name = "站点 {source_id}"']
        lines.append(f'url = "{target}"')
    path = tmp_path / "c.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def dede_and_dead(tmp_path, url: str, sites, dead: StallingServer, *, timeout: int, retries: int):
    """A config of the dede mock site and a source on the stalling server ``dead``."""
    config = write_config(tmp_path / "c.toml", url, [sites["dede"]])
    text = config.read_text(encoding="utf-8").replace("timeout = 10", f"timeout = {timeout}")
    text = text.replace("retries = 0", f"retries = {retries}")
    text += f'\n[[sources]]\nid = "dead"\nname = "不回话的站"\nurl = "{dead.url("/list.html")}"\n'
    config.write_text(text, encoding="utf-8")
    return config


def test_a_crawl_of_unreachable_sites_says_one_line_each_and_retries_nothing(sqlite_url, tmp_path):
    refused = {f"refused{n}": f"http://127.0.0.1:{free_port()}/list.html" for n in range(4)}
    unresolved = {"unresolved": "http://no-such-bureau.test/tzgg/"}
    config = dead_sources_config(tmp_path, sqlite_url, refused | unresolved)
    crawl = audited_crawl(config, hosts={"no-such-bureau.test": ""})
    lines = crawl.stdout.strip().splitlines()
    assert crawl.returncode == 1 and len(lines) == 5, crawl.output
    assert all(line.startswith("✗ ") for line in lines), lines
    assert sum("connection refused" in line for line in lines) == 4, lines
    assert any("does not resolve" in line for line in lines), lines
    assert crawl.stderr.strip() == "", f"stderr is not quiet:\n{crawl.stderr}"
    tries = Counter(crawl.dialed)
    for target in refused.values():
        port = target.split(":")[2].split("/")[0]
        assert tries[f"127.0.0.1:{port}"] == 2, f"robots.txt and the page, once each: {tries}"


def test_a_dead_server_costs_two_timeouts_and_the_other_sources_finish(sites, sqlite_url, tmp_path):
    with StallingServer() as dead:
        config = dede_and_dead(tmp_path, sqlite_url, sites, dead, timeout=2, retries=2)
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(config), "crawl"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        assert len(dead.connections) == 2, "robots.txt and the page once each, not retried"
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("✓ demo-dede") for line in lines), done.stdout
    assert any("dead" in line and "no answer within" in line for line in lines), done.stdout
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_stalled_crawl_at_once_and_closes_its_runs(
    sites, sqlite_url, tmp_path, signum
):
    with StallingServer() as dead:
        config = dede_and_dead(tmp_path, sqlite_url, sites, dead, timeout=600, retries=0)
        out = tmp_path / "stdout.txt"
        with out.open("w") as stdout_file:
            crawl = subprocess.Popen(
                [sys.executable, "-m", "monitor", "--config", str(config), "crawl"],
                stdout=stdout_file,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
        try:
            wait_for(lambda: dead.connections, 60, "the crawl reaching the stalled server")
            # no TTY: each source's line is out as soon as its run ends, not at the end
            wait_for(
                lambda: "✓ demo-dede" in out.read_text(), 60, "demo-dede's line, while it runs"
            )
            crawl.send_signal(signum)
            _, stderr = crawl.communicate(timeout=60)
        finally:
            crawl.kill()
    stdout = out.read_text()
    assert crawl.returncode == 128 + signum, (crawl.returncode, stdout, stderr)
    assert stderr.count("\n") == 1 and signal.Signals(signum).name in stderr, stderr
    assert "1 of 2 sources cut short (dead)" in stderr, stderr
    outcomes = {run.source_id: run.outcome for run in db_rows(sqlite_url, select(CrawlRun))}
    assert outcomes == {"demo-dede": "ok", "dead": "interrupted"}, outcomes
    assert "interrupted" in stdout and "✓ demo-dede" in stdout, stdout
