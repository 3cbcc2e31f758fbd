"""Rendering without the browser: its options, what is missing said in one line, the
subresource guard's rules, the challenge's recognition. (Rendering itself, in the real
Chromium: tests/e2e/test_rendered_lists.py.)"""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config
from monitor.demo import MockSiteServer
from monitor.demo.build import trs_script_site, vsb_412_site
from monitor.demo.styles.vsb_412 import CLIENT_COOKIE, SCRIPT_PATH, SERVER_COOKIE
from spiders.blocking import blocked_reason, is_js_challenge
from spiders.notice_spider import ListSpec
from spiders.rendering import SubresourceGuard, find_chromium, rendering_problem
from spiders.settings import crawl_settings
from tests.support.cli import ROOT, run_cli, source_toml, write_config

SETTINGS = {
    "user_agent": "ua",
    "concurrency_per_host": 1,
    "download_delay": 0,
    "timeout": 5,
    "retries": 0,
    "retry_backoff": 0,
    "obey_robots": True,
    "max_response_bytes": 1000,
}


def config_with(tmp_path: Path, source: str = "", crawl: str = "") -> Path:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path}/n.db"\n[crawl]\n{crawl}\n'
        f'[[sources]]\nid = "a"\nurl = "http://127.0.0.1:9/list.html"\n{source}\n',
        encoding="utf-8",
    )
    return path


# -- options -----------------------------------------------------------------------------------
def test_render_options_are_read_with_their_defaults(tmp_path):
    plain = load_config(config_with(tmp_path))
    assert plain.sources[0].render is None and plain.sources[0].render_details is False
    assert plain.crawl.chromium_path is None and plain.crawl.render_timeout == 30.0
    config = load_config(
        config_with(
            tmp_path,
            'render = "browser"\nrender_details = true',
            'chromium_path = "/opt/chromium/chrome"\nrender_timeout = 12.5',
        )
    )
    assert (config.sources[0].render, config.sources[0].render_details) == ("browser", True)
    assert (config.crawl.chromium_path, config.crawl.render_timeout) == (
        "/opt/chromium/chrome",
        12.5,
    )


@pytest.mark.parametrize(
    ("source", "crawl", "expected"),
    [
        (
            'render = "chrome"',
            "",
            ":8: sources[0].render: must be 'browser' or 'challenge', got 'chrome'",
        ),
        ("render = true", "", ":8: sources[0].render: must be a string, got true or false"),
        ("render_details = true", "", ':8: sources[0].render_details: needs render = "browser"'),
        (
            'render = "challenge"\nrender_details = true',
            "",
            ':9: sources[0].render_details: needs render = "browser"',
        ),
        ("", "render_timeout = 0", ":4: crawl.render_timeout: must be more than 0"),
        ("", "chromium_path = 5", ":4: crawl.chromium_path: must be a string, got an integer"),
    ],
)
def test_bad_render_options_are_one_located_line(tmp_path, source, crawl, expected):
    with pytest.raises(ConfigError) as caught:
        load_config(config_with(tmp_path, source, crawl))
    assert str(caught.value).endswith(expected) and "\n" not in str(caught.value), caught.value


# -- what is missing ---------------------------------------------------------------------------
def test_chromium_is_found_on_path_or_where_configured(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "chromium-browser"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(fake.parent))
    assert find_chromium() == str(fake)  # the second name, the first being absent
    assert find_chromium(str(fake)) == str(fake)
    assert find_chromium(str(tmp_path / "nowhere")) is None
    problem = rendering_problem(str(tmp_path / "nowhere"))
    assert problem is not None and "apt-get install chromium" in problem
    assert "chromium_path" in problem and str(tmp_path / "nowhere") in problem


def test_settings_render_only_when_a_source_renders_and_say_why_they_cannot():
    plain = crawl_settings(**SETTINGS)
    assert "NOTICEWATCH_RENDER_PROBLEM" not in plain and "http" not in plain["DOWNLOAD_HANDLERS"]
    missing = crawl_settings(**SETTINGS, render=True, chromium_path="/nonexistent/chromium")
    assert "apt-get install chromium" in missing["NOTICEWATCH_RENDER_PROBLEM"]
    assert "http" not in missing["DOWNLOAD_HANDLERS"]  # nothing is rendered: the rest crawls
    if find_chromium() is None:
        return
    rendering = crawl_settings(**SETTINGS, render=True)
    handler = "spiders.render_handler.RenderingHandler"
    assert rendering["DOWNLOAD_HANDLERS"] == {
        **plain["DOWNLOAD_HANDLERS"],
        "http": handler,
        "https": handler,
    }
    assert rendering["DOWNLOADER_MIDDLEWARES"]["spiders.blocking.ChallengeMiddleware"] == 600
    assert rendering["TWISTED_REACTOR"].endswith("AsyncioSelectorReactor")  # scrapy-playwright's
    args = rendering["PLAYWRIGHT_LAUNCH_OPTIONS"]["args"]
    assert "--disable-background-networking" in args and "--no-sandbox" in args


def two_sources(tmp_path: Path, url: str, server: MockSiteServer, crawl: str = "") -> Path:
    config = write_config(tmp_path / "c.toml", url, [server])
    text = config.read_text(encoding="utf-8").replace("[crawl]\n", f"[crawl]\n{crawl}\n")
    text += "\n" + source_toml(server, render="browser").replace(
        f'id = "{server.site.source_id}"', 'id = "scripted"'
    )
    config.write_text(text, encoding="utf-8")
    return config


def test_without_chromium_a_rendering_source_fails_in_one_line_and_the_others_crawl(
    sqlite_url, tmp_path
):
    with MockSiteServer(trs_script_site()) as server:
        config = two_sources(tmp_path, sqlite_url, server, 'chromium_path = "/nonexistent/chrome"')
        crawl = run_cli(config, "crawl")
    lines = crawl.stdout.strip().splitlines()
    assert crawl.returncode == 0 and crawl.stderr.strip() == "", crawl.stderr
    assert any(line.startswith("✓ demo-trs_script") for line in lines), lines
    (failed,) = [line for line in lines if "scripted" in line]
    assert failed.startswith("✗") and "apt-get install chromium" in failed, failed


def test_without_the_browser_extra_a_rendering_source_says_what_to_install(sqlite_url, tmp_path):
    """scrapy-playwright made unimportable in the crawling process, as in an install without
    the extra (``sys.modules[name] = None`` is how Python marks a module as absent)."""
    with MockSiteServer(trs_script_site()) as server:
        config = two_sources(tmp_path, sqlite_url, server)
        code = (
            "import sys; sys.modules['scrapy_playwright'] = None; sys.modules['playwright'] = None\n"
            "from monitor.cli import main\n"
            f"sys.exit(main(['--config', {str(config)!r}, 'crawl']))"
        )
        import subprocess

        crawl = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            env=os.environ,
        )
    lines = crawl.stdout.strip().splitlines()
    assert crawl.returncode == 0 and crawl.stderr.strip() == "", crawl.stderr
    assert any(line.startswith("✓ demo-trs_script") for line in lines), lines
    (failed,) = [line for line in lines if "scripted" in line]
    assert "pip install 'noticewatch[browser]'" in failed, failed


# -- the guard of a rendered page's own requests ---------------------------------------------------
def allows(spec: ListSpec, url: str, kind: str = "script") -> bool:
    return asyncio.run(SubresourceGuard(spec).allows(url, kind))


def test_subresources_stay_on_the_site_and_off_internal_addresses():
    public = ListSpec("s", "http://8.8.8.8/col/tzgg/index.html")
    assert allows(public, "http://8.8.8.8/js/list.js")
    assert allows(public, "http://8.8.8.8/api/list?page=2", "fetch")
    assert not allows(public, "http://8.8.4.4/js/stat.js")  # another site
    assert not allows(public, "http://8.8.8.8/images/logo.png", "image")  # not needed for a list
    assert not allows(public, "ftp://8.8.8.8/x.js")
    offsite = ListSpec("s", "http://8.8.8.8/", allow_offsite=True)
    assert allows(offsite, "http://8.8.4.4/js/stat.js")
    assert not allows(offsite, "http://127.0.0.1:6379/")  # loopback from a public source
    assert not allows(offsite, "http://169.254.169.254/latest/meta-data/", "fetch")
    assert allows(
        ListSpec("s", "http://8.8.8.8/", allow_offsite=True, allow_private=True),
        "http://10.0.0.8/a.js",
    )
    local = ListSpec("s", "http://127.0.0.1:8080/list.html")
    assert allows(local, "http://127.0.0.1:8080/api/wjList", "xhr")  # the source's own kind


def test_a_page_gets_a_bounded_number_of_subresources():
    guard = SubresourceGuard(ListSpec("s", "http://8.8.8.8/"))
    answers = [asyncio.run(guard.allows(f"http://8.8.8.8/{n}.js", "script")) for n in range(80)]
    assert answers.count(True) == 60 and not any(answers[60:])


# -- the challenge ---------------------------------------------------------------------------------
def test_the_mock_challenge_is_recognised_and_passes_only_with_both_cookies():
    site = vsb_412_site()
    status, headers, body = site.render("GET", site.list_path)
    assert status == 412 and is_js_challenge(body) and SCRIPT_PATH.encode() in body
    assert "challenge" in (blocked_reason(status, body) or "")
    assert (
        headers["Set-Cookie"].startswith(f"{SERVER_COOKIE}=")
        and "HttpOnly" in headers["Set-Cookie"]
    )
    server_cookie = headers["Set-Cookie"].split(";")[0]
    status, _, _ = site.render("GET", site.list_path, headers={"Cookie": server_cookie})
    assert status == 412  # the server cookie alone is not enough
    wrong = f"{server_cookie}; {CLIENT_COOKIE}=abc"
    assert site.render("GET", site.list_path, headers={"Cookie": wrong})[0] == 412
    assert site.render("GET", "/robots.txt")[0] == 200


def test_browser_tests_skip_loudly_outside_ci_and_fail_in_ci(tmp_path, monkeypatch):
    from tests.support import services

    monkeypatch.setenv("PATH", str(tmp_path))  # no Chromium on it
    monkeypatch.setattr(services, "IN_CI", False)
    with pytest.raises(
        pytest.skip.Exception, match="^CHROMIUM MISSING — .*apt-get install chromium"
    ):
        services.chromium_missing()
    monkeypatch.setattr(services, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        services.chromium_missing()
