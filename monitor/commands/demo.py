"""``noticewatch demo``: the whole path on bundled local mock sites, no internet needed.

Starts four mock notice sites on 127.0.0.1 (TRS in GBK, VSB, Discuz!, a
traditional-script portal), crawls them once as a silent baseline, publishes a
new notice, crawls (one new), edits it, crawls (one changed), and shows what is
stored.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from monitor.console import console
from monitor.demo import build_demo_sites
from monitor.demo.inbox import WebhookReceiver
from monitor.demo.model import beijing_now
from monitor.demo.server import start_sites, stop_all

NEW_TITLE = "关于做好2024年普通高校招生录取工作的通知"
NEW_PARAGRAPHS = [
    "各县（市、区）教育局，各普通高中：",
    "为做好2024年普通高校招生录取工作，现将有关事项通知如下。",
    "一、高度重视招生录取工作，严格执行招生政策，确保录取工作公平公正。",
    "二、做好考生咨询服务，及时发布录取信息，畅通考生申诉渠道。",
]


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("demo", help="crawl bundled local demo sites (no internet needed)")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("noticewatch-demo"),
        help="where the demo config and database go",
    )
    parser.set_defaults(handler=handle)


def write_config(directory: Path, servers, inbox: WebhookReceiver) -> Path:
    lines = [
        "# Written by `noticewatch demo`: the bundled mock sites on 127.0.0.1.",
        "[storage]",
        f'url = "sqlite:///{(directory / "notices.db").resolve()}"',
        "",
        "[crawl]",
        "download_delay = 0",
        "",
    ]
    for server in servers:
        site = server.site
        lines += [
            "[[sources]]",
            f'id = "{site.source_id}"',
            f'name = "{site.name}"',
            f'url = "{server.list_url}"',
            f'tags = ["demo", "style:{site.style}"]',
            "max_pages = 5",
            "",
        ]
    lines += [
        "[[subscriptions]]",
        'name = "demo-inbox"',
        f'notify = ["{inbox.url}"]   # a local webhook inbox; try mailto://, wecombot://, dingtalk:// …',
        "",
    ]
    path = directory / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_cli(config: Path, *args: str) -> int:
    """Each crawl runs in its own process: Twisted's reactor starts once per process."""
    return subprocess.call([sys.executable, "-m", "monitor", "--config", str(config), *args])


def show_alerts(inbox: WebhookReceiver, shown: int) -> int:
    """Print the alerts the local inbox received after the first ``shown``, as a chat would
    show them; returns how many are shown now."""
    for post in inbox.posts[shown:]:
        console.print(f"\n[bold]Alert received:[/bold] {post.body.get('title', '')}")
        console.print(post.body.get("message", ""), markup=False)
    return len(inbox.posts)


def handle(args: argparse.Namespace) -> int:
    directory: Path = args.dir
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    sites = build_demo_sites()
    servers = start_sites(sites)
    inbox = WebhookReceiver().start()
    try:
        config = write_config(directory, servers, inbox)
        console.print(f"[bold]Demo sites on 127.0.0.1[/bold] (config: {config})")
        for server in servers:
            console.print(
                f"  {server.site.source_id:<14} {server.site.name}  {server.list_url}", markup=False
            )
        console.print("\n[bold]1. First crawl: a silent baseline[/bold]")
        if run_cli(config, "crawl") != 0:
            return 1
        trs = sites[0]
        added = trs.add_notice(NEW_TITLE, NEW_PARAGRAPHS, published=beijing_now(), issuer=trs.name)
        console.print(f"\n[bold]2. {trs.name} publishes “{added.title}”; crawl again[/bold]")
        if run_cli(config, "crawl") != 0:
            return 1
        shown = show_alerts(inbox, 0)
        trs.edit_notice(
            added.id,
            paragraphs=[*NEW_PARAGRAPHS, "三、录取结果公布后，各地要做好新生报到的服务工作。"],
        )
        console.print(f"\n[bold]3. {trs.name} edits it (adds a paragraph); crawl again[/bold]")
        if run_cli(config, "crawl") != 0:
            return 1
        show_alerts(inbox, shown)
        console.print("\n[bold]4. What is stored[/bold] (noticewatch notices list --limit 8)")
        run_cli(config, "notices", "list", "--limit", "8")
        program = sys.argv[0] if sys.argv[0].endswith("noticewatch") else "noticewatch"
        console.print(f"\nTry: {program} --config {config} notices show 1", markup=False)
        return 0
    finally:
        inbox.stop()
        stop_all(servers)
