"""docs/configuration.md documents every option the config parser accepts, and no other."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from monitor import config as config_module

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION = ROOT / "docs" / "configuration.md"
TOP = ""  # the parser's name for the top level of the file

# How monitor/config.py reads an option: f.get("name", …), storage.positive_int("name", …) …
_READ = re.compile(
    r"\b(?:get|required|strings|duration|number|positive_int|optional_positive_int)\(\s*\"([a-z_]+)\""
)


@pytest.fixture
def parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """Per table ("" is the top level), the option names the parser looked up."""
    seen: dict[str, set[str]] = defaultdict(set)
    original = config_module._Fields.reject_unknown

    def recording(self: config_module._Fields) -> None:
        seen[self.table] |= self.used
        original(self)

    monkeypatch.setattr(config_module._Fields, "reject_unknown", recording)
    path = tmp_path / "config.toml"
    path.write_text(
        '[[sources]]\nid = "a"\nurl = "http://127.0.0.1:9/"\n'
        '[sources.api]\nurl = "/list?page={page}"\nitems = "data"\n'
        '[[subscriptions]]\nname = "s"\nnotify = ["json://127.0.0.1:9/hook"]\n',
        encoding="utf-8",
    )
    config_module.load_config(path)
    return dict(seen)


def documented() -> dict[str, set[str]]:
    """Per ``### `[table]` `` (or ``### Top level``) section, the options its table rows name."""
    sections: dict[str, set[str]] = {}
    current: str | None = None
    for line in CONFIGURATION.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^#{2,3} (.*)", line)
        if heading:
            title = heading.group(1)
            table = re.search(r"`\[\[?([a-z_.]+)\]\]?`", title)
            current = table.group(1) if table else TOP if title == "Top level" else None
            if current is not None:
                sections[current] = set()
            continue
        row = re.match(r"^\| `([a-z_]+)` \|", line)
        if row and current is not None:
            sections[current].add(row.group(1))
    return sections


def test_every_parsed_option_is_documented_in_its_section(parsed):
    docs = documented()
    tables = {name for name in parsed if name != TOP}
    top_tables = {name for name in tables if "." not in name}  # [sources.api] is in [[sources]]
    assert top_tables <= parsed[TOP], "the top level names every table"
    assert set(docs) == {TOP, *tables}, "one section per table, plus the top level"
    assert docs[TOP] == parsed[TOP] - top_tables, "top-level options"
    for table in sorted(tables):
        assert docs[table] == parsed[table], f"[{table}]: documented vs parsed options"


def test_every_option_name_in_the_parser_source_is_documented(parsed):
    source = Path(config_module.__file__).read_text(encoding="utf-8")
    names = set(_READ.findall(source))
    assert names, "the pattern finds how options are read"
    docs = documented()
    everything = set().union(*docs.values(), docs)
    assert names - everything == set(), "options read in monitor/config.py but not documented"


def test_each_option_row_has_a_type_a_default_and_a_meaning():
    for line in CONFIGURATION.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\| `[a-z_]+` \|", line) and "|---" not in line:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            cells = [c for c in cells if c]
            assert len(cells) >= 4, f"option, type, default, meaning: {line}"
