"""``make demo`` ends by saying how to open the web page on the demo data, and that
command works: the edited notice's page shows what the edit added."""

from __future__ import annotations

import re
import shlex

from monitor.commands.demo import ADDED_PARAGRAPH, NEW_TITLE
from tests.support.cli import run_cli
from tests.web.conftest import World, start_web


def test_the_demo_hint_opens_the_web_page_on_the_demo_data(tmp_path) -> None:
    directory = tmp_path / "demo"
    result = run_cli(None, "demo", "--dir", str(directory), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    hint = re.search(r"--config (\S+) web\s+# then open (http://127\.0\.0\.1:8377/)", result.stdout)
    assert hint, result.stdout
    config = directory / "config.toml"
    assert shlex.split(hint.group(1)) == [str(config)]
    shown = re.search(r"notices show (\d+)", result.stdout)
    assert shown, result.stdout
    web, url = start_web(config, tmp_path / "web.log")  # the hint's command, on a free port
    try:
        world = World(config, url, {}, web)
        status, _, page = world.get(f"/notices/{shown.group(1)}")
        html = page.decode()
        assert status == 200 and NEW_TITLE in html
        assert f"<ins>{ADDED_PARAGRAPH}</ins>" in html  # the edit, as an added sentence
    finally:
        web.stop()
