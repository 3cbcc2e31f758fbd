"""``noticewatch notify test`` and ``noticewatch deliveries list|retry``, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.config import load_config
from monitor.notify.sender import drain
from storage.db import open_database
from tests.support.cli import run_cli
from tests.support.notify import FAST, XINXIANG, store_event
from tests.support.receivers import SMTP_PASSWORD, WebhookReceiver


def write_config(path: Path, storage_url: str, *urls: str) -> Path:
    notify = ", ".join(f'"{url}"' for url in urls)
    path.write_text(
        f'[storage]\nurl = "{storage_url}"\n\n'
        f'[[sources]]\nid = "{XINXIANG.id}"\nname = "{XINXIANG.name}"\nurl = "{XINXIANG.url}"\n\n'
        f'[[subscriptions]]\nname = "office"\nnotify = [{notify}]\n',
        encoding="utf-8",
    )
    return path


def test_notify_test_reports_each_target_masked(tmp_path, sqlite_url, smtp, webhook):
    secret_url = smtp.url.replace(SMTP_PASSWORD, "${NW_SMTP_PASSWORD}")
    config = write_config(tmp_path / "c.toml", sqlite_url, secret_url, webhook.url)
    result = run_cli(
        config, "-vv", "notify", "test", "office", env={"NW_SMTP_PASSWORD": SMTP_PASSWORD}
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[:2] == ["✓ office  mailto://127.0.0.1  sent", "✓ office  json://127.0.0.1  sent"]
    assert SMTP_PASSWORD not in result.stdout + result.stderr and "apprise" in result.stderr
    assert smtp.wait_for(1)[0].subject == "【noticewatch】测试消息"
    assert webhook.wait_for(1)[0].body["title"] == "【noticewatch】测试消息"
    broken = write_config(tmp_path / "broken.toml", sqlite_url, webhook.url, "mailto://...")
    refused = run_cli(broken, "notify", "test", "office")
    assert refused.returncode == 2 and refused.stdout == "", refused.stdout
    assert "subscriptions[0].notify[1]: apprise cannot use this mailto:// URL" in refused.stderr
    unknown = run_cli(config, "notify", "test", "nobody", env={"NW_SMTP_PASSWORD": SMTP_PASSWORD})
    assert unknown.returncode == 2 and "no subscription named 'nobody'" in unknown.stderr


def test_deliveries_list_and_retry(tmp_path, sqlite_url):
    receiver = WebhookReceiver(fail_first=1000).start()
    try:
        path = write_config(tmp_path / "c.toml", sqlite_url, receiver.url)
        config = load_config(path)
        sessions = open_database(sqlite_url)
        store_event(sessions, config)
        assert drain(sessions, config, deadline_seconds=10, policy=FAST).failed == 1

        failed = run_cli(path, "deliveries", "list", "--failed", "--json")
        [row] = json.loads(failed.stdout)
        assert (row["id"], row["status"], row["attempts"], row["target"]) == (
            1,
            "failed",
            FAST.max_attempts,
            "json://127.0.0.1",
        )
        assert "500" in row["last_error"] and row["event"] == "new" and "招生" in row["title"]
        table = run_cli(path, "deliveries", "list")
        assert "failed" in table.stdout and "json://127.0.0.1" in table.stdout

        receiver.fail_first = 0
        retried = run_cli(path, "deliveries", "retry", "1")
        assert retried.returncode == 0, retried.stdout + retried.stderr
        assert "sent" in retried.stdout and len(receiver.posts) == 1
        again = run_cli(path, "deliveries", "retry", "1")
        assert again.returncode == 1 and "already sent" in again.stdout and len(receiver.posts) == 1
    finally:
        receiver.stop()
