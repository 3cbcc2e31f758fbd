"""Where the web UI listens and who may read it: loopback by default, beyond loopback only
with ``[web]`` auth (a token, or a user with a password hash); the daemon serves it too."""

from __future__ import annotations

import base64
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.cli import ROOT, run_cli, wait_for, write_config
from tests.web.conftest import free_port, start_web

TOKEN = "a-long-web-token-for-tests"


def status_of(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError:  # not listening (yet)
        return 0


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def config_with(tmp_path: Path, sites, extra: str = "") -> Path:
    return write_config(
        tmp_path / "c.toml", f"sqlite:///{tmp_path / 'n.db'}", [sites["trs"]], extra=extra
    )


def test_beyond_loopback_without_auth_is_refused_in_one_line(tmp_path, sites) -> None:
    config = config_with(tmp_path, sites)
    result = run_cli(config, "web", "--bind", f"0.0.0.0:{free_port()}", timeout=60)
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert (
        len(lines) == 1
        and "refusing to serve on 0.0.0.0" in lines[0]
        and "without auth" in lines[0]
    )
    config.write_text(config.read_text() + f'\n[web]\nbind = "0.0.0.0:{free_port()}"\n')
    again = run_cli(config, "web", timeout=60)
    assert again.returncode == 2 and "refusing" in again.stdout + again.stderr


def test_token_and_password_let_readers_in(tmp_path, sites, start_cli) -> None:
    hashed = subprocess.run(
        [sys.executable, "-m", "monitor", "web", "--hash-password"],
        input="correct horse\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert hashed.returncode == 0, hashed.stderr
    password_hash = hashed.stdout.strip()
    assert password_hash.startswith("pbkdf2_sha256$") and "correct horse" not in password_hash
    config = config_with(
        tmp_path,
        sites,
        f'[web]\ntoken = "{TOKEN}"\nuser = "office"\npassword_hash = "{password_hash}"\n',
    )
    port = free_port()
    process = start_cli(config, "web", "--bind", f"0.0.0.0:{port}")
    url = f"http://127.0.0.1:{port}/api/sources"

    def refuses_strangers() -> bool:
        assert process.proc.poll() is None, process.output()
        return status_of(url) == 401

    wait_for(refuses_strangers, 60, "web to answer 401 without credentials")
    assert status_of(url, {"Authorization": f"Bearer {TOKEN}"}) == 200
    assert status_of(url, basic("anyone", TOKEN)) == 200  # for feed readers and browsers
    assert status_of(url, basic("office", "correct horse")) == 200
    assert status_of(url, basic("office", "wrong horse")) == 401
    assert status_of(url, {"Authorization": "Bearer wrong"}) == 401
    assert status_of(url, {"Host": "any.name.example"} | basic("office", "correct horse")) == 200
    process.stop()
    assert TOKEN not in process.output()


def test_unset_token_variable_is_refused(tmp_path, sites) -> None:
    config = config_with(tmp_path, sites, '[web]\ntoken = "${NO_SUCH_WEB_TOKEN}"\n')
    result = run_cli(config, "web", "--bind", f"0.0.0.0:{free_port()}", timeout=60)
    assert result.returncode == 2 and "web.token" in result.stdout + result.stderr


def test_bad_web_options_name_file_and_line(tmp_path, sites) -> None:
    config = config_with(tmp_path, sites, '[web]\nbind = "nowhere"\n')
    result = run_cli(config, "config", "check", timeout=60)
    assert result.returncode == 2
    assert (
        f"{config}:" in result.stderr + result.stdout
        and "web.bind" in result.stdout + result.stderr
    )
    config = config_with(tmp_path, sites, '[web]\nuser = "office"\n')
    out = run_cli(config, "config", "check", timeout=60)
    assert out.returncode == 2 and "web.password_hash: is required" in out.stdout + out.stderr


def test_loopback_needs_no_auth(tmp_path, sites) -> None:
    config = config_with(tmp_path, sites)
    process, url = start_web(config, tmp_path / "web.log")
    try:
        assert status_of(url) == 200
    finally:
        process.stop()


def test_the_daemon_serves_the_web_ui(tmp_path, sites, start_cli) -> None:
    port = free_port()
    config = config_with(tmp_path, sites, f'[web]\nbind = "127.0.0.1:{port}"\n')
    daemon = start_cli(config, "run")
    url = f"http://127.0.0.1:{port}/api/notices"
    wait_for(lambda: status_of(url) == 200, 60, "the daemon's web UI to answer")
    assert daemon.stop(signal.SIGTERM, timeout=60) == 0
