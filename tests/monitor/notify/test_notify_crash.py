"""A notifier killed (SIGKILL) after storing events and before sending: the next process sends them, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.support.cli import ROOT

CHILD = """
import sys, time
from monitor.config import Subscription
from monitor.notify.sender import drain
from storage.db import open_database
from tests.support.notify import make_config, store_event

url, hook, action = sys.argv[1:4]
sessions = open_database(url)
config = make_config(url, [Subscription(name="office", notify=(hook,))])
if action == "store":
    for number in range(3):
        store_event(sessions, config, url=f"https://jyj.xinxiang.gov.cn/{number}.html", title=f"第{number}号通知")
    print("stored", flush=True)
    time.sleep(60)
else:
    report = drain(sessions, config, deadline_seconds=10)
    print(report.sent, report.pending, flush=True)
"""


def child(db_url: str, hook: str, action: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, hook, action],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_killed_between_storing_and_sending_delivers_after_restart_once(db_url, webhook):
    process = child(db_url, webhook.url, "store")
    assert process.stdout.readline().strip() == "stored"
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(10) == -signal.SIGKILL
    assert not webhook.posts
    restarted = child(db_url, webhook.url, "drain")
    assert restarted.communicate(timeout=60)[0].split() == ["3", "0"]
    again = child(db_url, webhook.url, "drain")
    assert again.communicate(timeout=60)[0].split() == ["0", "0"]
    assert sorted(p.body["title"] for p in webhook.posts) == [
        f"【新乡市教育局】第{n}号通知" for n in range(3)
    ]
