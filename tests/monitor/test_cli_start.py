"""Starting points and a command line that behaves, run as a user would: `init`, `config
check`, `--version`, where the config is looked for, options after the command, and every
failure as one plain line (exit 2 for config and usage, 1 for work that failed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.support.cli import ROOT, run_cli
from tests.support.receivers import free_port

STARTER = (ROOT / "config.example.toml").read_text(encoding="utf-8")
SECRET = "Pa55-w0rd-s3cret"
CLASS_NAME = re.compile(r"\w*(Error|Exception)\b|Traceback")


def run_in(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``noticewatch ARGS`` started in ``cwd``, with its user config and data dirs under it
    and no ``$NOTICEWATCH_CONFIG`` or alert secret from the environment of the tests."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NOTICEWATCH_CONFIG", "SMTP_PASSWORD")
    }
    environment |= {
        "XDG_CONFIG_HOME": str(cwd / "xdg-config"),
        "XDG_DATA_HOME": str(cwd / "xdg-data"),
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=cwd,
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    """The only line on stderr, with no exception class name or traceback in it."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert not CLASS_NAME.search(lines[0]), lines[0]
    return lines[0]


def source_config(path: Path, source_id: str, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[storage]\nurl = "sqlite:///{path.parent / "notices.db"}"\n\n'
        f'[[sources]]\nid = "{source_id}"\nurl = "http://127.0.0.1:9/list.html"\n' + extra,
        encoding="utf-8",
    )
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


# -- --version, init, config check ---------------------------------------------------------


def test_version_is_the_installed_one():
    result = run_cli(None, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"noticewatch {version('noticewatch')}"


def test_init_writes_the_starter_config_where_commands_look_and_never_overwrites_it(tmp_path):
    written = tmp_path / "xdg-config" / "noticewatch" / "config.toml"
    first = run_in(tmp_path, "init")
    assert first.returncode == 0, first.stderr
    assert written.read_text(encoding="utf-8") == STARTER
    wrote, next_step = first.stdout.strip().splitlines()
    assert wrote.startswith(f"wrote {written}: ")
    assert next_step.endswith("then run: noticewatch config check"), next_step

    written.write_text(STARTER + "# mine\n", encoding="utf-8")
    again = run_in(tmp_path, "init")
    assert again.returncode == 2 and again.stdout == ""
    assert one_line(again) == (
        f"noticewatch: {written} already exists: not overwritten (--force replaces it)"
    )
    assert written.read_text(encoding="utf-8") == STARTER + "# mine\n"

    forced = run_in(tmp_path, "init", "--force")
    assert forced.returncode == 0, forced.stderr
    assert written.read_text(encoding="utf-8") == STARTER


@pytest.mark.parametrize("how", ["path", "--config"])
def test_init_elsewhere_names_that_file_in_the_next_command(tmp_path, how):
    target = tmp_path / "etc" / "noticewatch.toml"
    args = ["init", str(target)] if how == "path" else ["--config", str(target), "init"]
    result = run_in(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == STARTER
    assert result.stdout.strip().endswith(f"noticewatch --config {target} config check")


def test_config_check_of_the_starter_config_wants_its_secret_and_never_shows_it(tmp_path):
    assert run_in(tmp_path, "init").returncode == 0
    written = tmp_path / "xdg-config" / "noticewatch" / "config.toml"
    notify = line_of(written, "notify = [")

    unset = run_in(tmp_path, "config", "check")
    assert unset.returncode == 2
    assert one_line(unset) == (
        f"noticewatch: config error: {written}:{notify}: subscriptions[0].notify[0]: "
        "environment variable SMTP_PASSWORD is not set"
    )

    checked = run_in(tmp_path, "config", "check", env={"SMTP_PASSWORD": SECRET})
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.strip().splitlines()
    assert lines[0] == f"config OK: {written}"
    assert re.fullmatch(
        r"  \d{2,} sources \(\d+ enabled\) from \d+ files; storage sqlite:.*", lines[1]
    )
    assert lines[2:] == [
        "  1 subscription, 1 alert target validated",
        "  office → mailto://smtp.example.org",
    ]
    assert SECRET not in checked.stdout + checked.stderr


# -- where the config is looked for ---------------------------------------------------------


def listed(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_config_is_looked_for_in_order_and_a_missing_one_names_every_place(tmp_path):
    user = tmp_path / "xdg-config" / "noticewatch" / "config.toml"
    nothing = run_in(tmp_path, "sources", "list")
    assert nothing.returncode == 2
    assert one_line(nothing) == (
        "noticewatch: config error: no config file: looked for $NOTICEWATCH_CONFIG (not set), "
        f"./noticewatch.toml, {user}; write one with: noticewatch init (or give --config PATH)"
    )

    source_config(user, "from-user-dir")
    assert "from-user-dir" in listed(run_in(tmp_path, "sources", "list"))
    source_config(tmp_path / "noticewatch.toml", "from-cwd")
    assert "from-cwd" in listed(run_in(tmp_path, "sources", "list"))
    from_env = source_config(tmp_path / "env" / "nw.toml", "from-env")
    env = {"NOTICEWATCH_CONFIG": str(from_env)}
    assert "from-env" in listed(run_in(tmp_path, "sources", "list", env=env))
    option = source_config(tmp_path / "option" / "nw.toml", "from-option")
    assert "from-option" in listed(
        run_in(tmp_path, "--config", str(option), "sources", "list", env=env)
    )

    gone = tmp_path / "gone.toml"
    missing = run_in(tmp_path, "sources", "list", env={"NOTICEWATCH_CONFIG": str(gone)})
    assert missing.returncode == 2 and missing.stdout == ""
    assert one_line(missing) == (
        f"noticewatch: config error: no config file: looked for {gone} ($NOTICEWATCH_CONFIG); "
        "write one with: noticewatch init (or give --config PATH)"
    )


def test_a_missing_config_given_with_config_is_one_line(tmp_path):
    result = run_cli(tmp_path / "absent.toml", "status")
    assert result.returncode == 2
    assert one_line(result) == (
        f"noticewatch: config error: {tmp_path / 'absent.toml'}: no such file "
        f"(write one with: noticewatch init {tmp_path / 'absent.toml'})"
    )


def test_config_and_verbose_are_taken_after_the_command_too(tmp_path):
    first = source_config(tmp_path / "a" / "nw.toml", "from-first")
    second = source_config(tmp_path / "b" / "nw.toml", "from-second")
    after = listed(run_cli(None, "sources", "list", "--config", str(second)))
    assert "from-second" in after
    both = listed(run_cli(first, "sources", "list", "--config", str(second)))
    assert "from-second" in both and "from-first" not in both
    before = listed(run_cli(first, "sources", "list"))
    assert "from-first" in before

    loud = run_cli(None, "status", "--config", str(first), "-v")  # creates the database
    quiet = run_cli(None, "status", "--config", str(first))
    assert quiet.returncode == loud.returncode == 0, quiet.stderr + loud.stderr
    assert " INFO " not in quiet.stderr and " INFO " in loud.stderr


# -- bad configs: one line naming file:line:field, exit 2, for every command ----------------


BAD_SOURCE_OPTIONS = [
    ('link_selector = "ul.news[["', "sources[0].link_selector: 'ul.news[[' is not a CSS selector"),
    ('link_selector = "//ul[@id="', "sources[0].link_selector: '//ul[@id=' is not an XPath"),
    ('encoding = "gbk-nonsense"', "sources[0].encoding: unknown encoding 'gbk-nonsense'"),
    ("jitter = -1", "sources[0].jitter: must be 0 or more"),
    ('cron = "0 8 * * *"\ninterval = "1h"', "sources[0].cron: give either interval or cron"),
]


@pytest.mark.parametrize(("option", "expected"), BAD_SOURCE_OPTIONS)
@pytest.mark.parametrize("command", [["config", "check"], ["status"]])
def test_a_bad_source_option_is_one_located_line(tmp_path, option, expected, command):
    path = source_config(tmp_path / "c.toml", "site", option + "\n")
    result = run_cli(path, *command)
    assert result.returncode == 2 and result.stdout == ""
    field = expected.split(": ")[0].split(".")[-1]
    line = one_line(result)
    assert line.startswith(
        f"noticewatch: config error: {path}:{line_of(path, field + ' =')}: {expected}"
    ), line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[crawl]\ntimeout = -1\n", ":8: crawl.timeout: must be more than 0"),
        ("[crawl]\ntimeout = 0\n", ":8: crawl.timeout: must be more than 0"),
        (
            '[daemon]\nstatus_bind = "8787"\n',
            ":8: daemon.status_bind: '8787': use a loopback HOST:PORT",
        ),
        ("[source]\n", ":7: source: unknown table; did you mean [[sources]]?"),
        (
            "[[subscription]]\nname = 'x'\n",
            ":7: subscription: unknown table; did you mean [[subscriptions]]?",
        ),
    ],
)
def test_bad_tables_and_settings_are_one_located_line(tmp_path, text, expected):
    path = source_config(tmp_path / "c.toml", "site", text)
    result = run_cli(path, "config", "check")
    assert result.returncode == 2
    assert one_line(result).startswith(f"noticewatch: config error: {path}{expected}")


def test_a_database_noticewatch_cannot_use_names_the_supported_ones(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        '[storage]\nurl = "mysql://nw:${NW_DB_PASSWORD}@127.0.0.1/nw"\n'
        '[[sources]]\nid = "site"\nurl = "http://127.0.0.1:9/"\n',
        encoding="utf-8",
    )
    result = run_cli(path, "status", env={"NW_DB_PASSWORD": SECRET})
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(
        f"noticewatch: config error: {path}:2: storage.url: unsupported database 'mysql://'"
    )
    assert "sqlite:///" in line and "pip install 'noticewatch[postgres]'" in line
    assert SECRET not in result.stdout + result.stderr


def test_a_byte_order_mark_is_one_line_asking_to_remove_it(tmp_path):
    path = tmp_path / "c.toml"
    source_config(path, "site")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_cli(path, "config", "check")
    assert result.returncode == 2
    assert one_line(result).startswith(f"noticewatch: config error: {path}:1: ")
    assert "remove the BOM" in result.stderr


# -- apprise URLs: checked when loaded, secrets never shown ---------------------------------


def subscription(*urls: str) -> str:
    notify = ",\n          ".join(f'"{url}"' for url in urls)
    return f'\n[[subscriptions]]\nname = "office"\nnotify = [{notify}]\n'


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("wechat-bot://x", "unknown apprise scheme 'wechat-bot://'"),
        ("mailto://", "apprise cannot use this mailto:// URL"),
        ("wecombot://${NW_TEST_WECOM_KEY}", "apprise cannot use this wecombot:// URL"),
    ],
)
@pytest.mark.parametrize("command", [["config", "check"], ["run"]])
def test_an_apprise_url_apprise_cannot_use_stops_config_check_and_run(
    tmp_path, url, expected, command
):
    path = source_config(tmp_path / "c.toml", "site", subscription("json://127.0.0.1:9/hook", url))
    env = {"NW_TEST_WECOM_KEY": f"{SECRET}!!"}  # not a WeCom key: apprise refuses it
    result = run_cli(path, *command, env=env, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert one_line(result).startswith(
        f"noticewatch: config error: {path}:{line_of(path, url)}: subscriptions[0].notify[1]: {expected}"
    )
    assert SECRET not in result.stderr


def test_read_only_commands_work_while_alert_secrets_are_unset(tmp_path):
    path = source_config(
        tmp_path / "c.toml", "site", subscription("json://127.0.0.1:9/${NW_TEST_UNSET_TOKEN}")
    )
    for command in (["notices", "list"], ["status"], ["sources", "list"], ["deliveries", "list"]):
        result = run_cli(path, *command)
        assert result.returncode == 0, (command, result.stderr)
    for command in (["config", "check"], ["crawl", "--alert-wait", "0"]):
        result = run_cli(path, *command)
        assert result.returncode == 2, (command, result.stderr)
        assert one_line(result).endswith(
            "subscriptions[0].notify[0]: environment variable NW_TEST_UNSET_TOKEN is not set"
        )


# -- failures in plain words ------------------------------------------------------------------


def test_extract_of_a_site_that_is_down_names_the_url_and_the_reason():
    url = f"http://127.0.0.1:{free_port()}/tzgg/index.html"
    result = run_cli(None, "extract", url)
    assert result.returncode == 1 and result.stdout == ""
    assert one_line(result) == f"noticewatch: cannot fetch {url}: connection refused"


def test_extract_of_a_missing_file_is_one_plain_line(tmp_path):
    page = tmp_path / "page.html"
    result = run_cli(None, "extract", str(page))
    assert result.returncode == 1
    assert one_line(result) == f"noticewatch: cannot read {page}: no such file or directory"


def test_crawl_of_an_unknown_source_is_one_line(tmp_path):
    path = source_config(tmp_path / "c.toml", "site")
    result = run_cli(path, "crawl", "--source", "nosuch", "--alert-wait", "0")
    assert result.returncode == 2
    assert (
        one_line(result)
        == f"noticewatch: config error: {path}: sources: no source with id 'nosuch'"
    )


def test_a_database_folder_that_cannot_be_made_reads_as_plain_words(tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    path = tmp_path / "c.toml"
    path.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path}/a-file/db/notices.db"\n'
        '[[sources]]\nid = "site"\nurl = "http://127.0.0.1:9/"\n',
        encoding="utf-8",
    )
    result = run_cli(path, "status")
    assert result.returncode == 1
    assert one_line(result) == f"noticewatch: {tmp_path}/a-file/db: not a directory"


def test_a_bad_selector_for_sources_check_is_one_line_before_any_fetch(tmp_path):
    done = run_cli(
        tmp_path / "none.toml",
        "sources",
        "check",
        "http://127.0.0.1:9/list",
        "--selector",
        "div[[[",
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "--selector" in lines[0] and "Error" not in lines[0], lines[0]
