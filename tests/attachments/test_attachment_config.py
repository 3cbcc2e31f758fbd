"""``[attachments]``: defaults written once, values read, bad values located."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import AttachmentSettings, ConfigError, load_config

SOURCE = '[[sources]]\nid = "a"\nname = "A"\nurl = "http://a.example/list.html"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text + "\n" + SOURCE, encoding="utf-8")
    return path


def test_defaults_and_values(tmp_path):
    assert load_config(write(tmp_path, "")).attachments == AttachmentSettings()
    config = load_config(
        write(
            tmp_path,
            '[attachments]\nkinds = ["PDF", ".xlsx"]\nmax_bytes = 1000\nstore = "files"\n'
            "read_timeout = 2.5\nread_memory_mb = 256\nper_notice = 3\n",
        )
    )
    assert config.attachments == AttachmentSettings(
        kinds=("pdf", "xlsx"),
        max_bytes=1000,
        store=str((tmp_path / "files").resolve()),
        read_timeout=2.5,
        read_memory_mb=256,
        per_notice=3,
    )
    assert load_config(write(tmp_path, "[attachments]\nkinds = []\n")).attachments.kinds == ()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('kinds = ["pdf", "exe"]', r"config\.toml:2: attachments\.kinds\[1\]: unknown kind"),
        ("max_bytes = 0", r"config\.toml:2: attachments\.max_bytes: must be at least 1"),
        ("read_timeout = 0", r"config\.toml:2: attachments\.read_timeout: must be more than 0"),
        ('store = ""', r"config\.toml:2: attachments\.store: must be \"db\" or a directory"),
        ("unpack = true", r"config\.toml:2: attachments\.unpack"),
    ],
)
def test_bad_values_are_located(tmp_path, table, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, f"[attachments]\n{table}\n"))
