"""``noticewatch demo``: the whole path on bundled local mock sites, no internet needed.

Starts four mock notice sites on 127.0.0.1 (TRS in GBK, VSB, Discuz!, a
traditional-script portal), crawls them once as a silent baseline, publishes a
new notice, crawls (one new), edits it, crawls (one changed), and shows what is
stored.

``noticewatch demo --serve`` keeps the mock sites (and the demo's alert inbox)
up on the ports the demo config names until Ctrl-C or SIGTERM, so ``crawl``,
``run``, ``sources check`` and ``notify test`` work on that config. The sites
are rebuilt as the demo left them: the notice it published is replayed (with
its edit) from ``demo-state.json`` beside the config.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from monitor.config import load_config
from monitor.console import console, err_console
from monitor.demo import build_demo_sites
from monitor.demo.inbox import WebhookReceiver
from monitor.demo.model import MockNotice, beijing_now
from monitor.demo.server import MockSiteServer, start_sites, stop_all
from monitor.demo.site import MockSite
from storage.db import open_database
from storage.models import Notice, NoticeVersion

NEW_TITLE = "关于做好2024年普通高校招生录取工作的通知"
NEW_PARAGRAPHS = [
    "各县（市、区）教育局，各普通高中：",
    "为做好2024年普通高校招生录取工作，现将有关事项通知如下。",
    "一、高度重视招生录取工作，严格执行招生政策，确保录取工作公平公正。",
    "二、做好考生咨询服务，及时发布录取信息，畅通考生申诉渠道。",
]
ADDED_PARAGRAPH = "三、录取结果公布后，各地要做好新生报到的服务工作。"

DEFAULT_DIR = Path("noticewatch-demo")
CONFIG_NAME = "config.toml"
MARKER = "# Written by `noticewatch demo`"
STATE_NAME = "demo-state.json"  # what the demo did to its sites, for --serve to replay
INBOX_NAME = "demo-inbox"

DESCRIPTION = """\
Start four mock notice sites on 127.0.0.1, crawl them as a silent baseline,
publish a notice and crawl (one new), edit it and crawl (one changed), and
list what is stored. The config and database stay in DIR (default
./noticewatch-demo), which is emptied first (a directory holding other files
and no demo config is refused).

With --serve the demo's sites stay up afterwards, on the ports the demo config
names, until Ctrl-C (exit 130) or SIGTERM (exit 0), so that crawl, run,
sources check and notify test work on that config. When DIR/config.toml (or
the --config file, when the demo wrote it) already exists, --serve only serves:
nothing is deleted or crawled, and the sites are as the demo left them. When it
does not exist, the demo runs first and its sites then stay up.
"""


class _Terminated(Exception):
    """SIGTERM arrived while serving."""


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help=f"where the demo config and database go (default: {DEFAULT_DIR})",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="keep the demo sites up on the demo config's ports until Ctrl-C or SIGTERM "
        "(runs the demo first when there is no demo config yet)",
    )
    parser.set_defaults(handler=handle)


def write_config(directory: Path, servers, inbox: WebhookReceiver) -> Path:
    lines = [
        f"{MARKER}: the bundled mock sites on 127.0.0.1.",
        f"# `noticewatch --config {directory / CONFIG_NAME} demo --serve` serves them again.",
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
        f'name = "{INBOX_NAME}"',
        f'notify = ["{inbox.url}"]   # a local webhook inbox; try mailto://, wecombot://, dingtalk:// …',
        "",
    ]
    path = directory / CONFIG_NAME
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_cli(config: Path, *args: str) -> int:
    """Each crawl runs in its own process: Twisted's reactor starts once per process."""
    return subprocess.call([sys.executable, "-m", "monitor", "--config", str(config), *args])


def show_alerts(inbox: WebhookReceiver, shown: int) -> int:
    """Print the alerts the local inbox received after the first ``shown``, as a chat would
    show them; returns how many are shown now."""
    posts = list(inbox.posts)
    for post in posts[shown:]:
        console.print(f"\n[bold]Alert received:[/bold] {post.body.get('title', '')}")
        console.print(post.body.get("message", ""), markup=False)
    return len(posts)


# ---------------------------------------------------------------- what the demo does to its sites
def publish(trs: MockSite, published: datetime) -> MockNotice:
    """The notice the demo publishes on its TRS site (step 2)."""
    return trs.add_notice(NEW_TITLE, NEW_PARAGRAPHS, published=published, issuer=trs.name)


def edit(trs: MockSite, notice_id: int) -> MockNotice:
    """The demo's edit of that notice: one paragraph added (step 3)."""
    return trs.edit_notice(notice_id, paragraphs=[*NEW_PARAGRAPHS, ADDED_PARAGRAPH])


def save_state(directory: Path, published: datetime, edited: bool) -> None:
    state = {"published": published.isoformat(), "edited": edited}
    (directory / STATE_NAME).write_text(json.dumps(state) + "\n", encoding="utf-8")


def replay(trs: MockSite, state_path: Path) -> bool:
    """Put the demo's notice back on a freshly built TRS site; False when there is no state."""
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        published = datetime.fromisoformat(state["published"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    added = publish(trs, published)
    if state.get("edited"):
        edit(trs, added.id)
    return True


# ---------------------------------------------------------------- the demo
def program_name() -> str:
    return sys.argv[0] if sys.argv[0].endswith("noticewatch") else "noticewatch"


def written_by_demo(path: Path) -> bool:
    """Whether ``path`` is a config file this command wrote."""
    try:
        with path.open(encoding="utf-8") as file:
            return file.readline().startswith(MARKER)
    except (OSError, UnicodeDecodeError):
        return False


def changed_notice_id(config: Path, source_id: str) -> int | None:
    """The id of the demo's edited notice: the newest of ``source_id`` with two versions."""
    try:
        sessions = open_database(load_config(config).storage_url)
    except Exception:  # the hint then names `notices list` instead
        return None
    try:
        with sessions() as session:
            return session.scalars(
                select(Notice.id)
                .join(NoticeVersion, NoticeVersion.notice_id == Notice.id)
                .where(Notice.source_id == source_id)
                .group_by(Notice.id)
                .having(func.count(NoticeVersion.id) >= 2)
                .order_by(Notice.id.desc())
                .limit(1)
            ).first()
    except SQLAlchemyError:
        return None
    finally:
        bind = sessions.kw.get("bind")
        if bind is not None:
            bind.dispose()


def closing_hint(config: Path, source_id: str, serving: bool) -> None:
    base = f"{program_name()} --config {shlex.quote(str(config))}"
    notice_id = changed_notice_id(config, source_id)
    lines = ["", "Try:"]
    if notice_id is not None:
        lines += [
            f"  {base} notices show {notice_id}   # the notice published and edited above",
            f"  {base} notices diff {notice_id}   # what the edit changed",
        ]
    else:
        lines.append(f"  {base} notices list")
    lines.append(f"  {base} web   # then open http://127.0.0.1:8377/ in a browser")
    if not serving:
        lines.append(
            f"  {base} demo --serve   # keep the demo sites up: crawl, run, sources check, notify test"
        )
    console.print("\n".join(lines), markup=False)


def prepare(directory: Path) -> str | None:
    """Empty ``directory`` for a new demo; the reason it cannot be, if so."""
    if directory.exists() and not directory.is_dir():
        return f"{directory} is not a directory"
    if (
        directory.is_dir()
        and any(directory.iterdir())
        and not written_by_demo(directory / CONFIG_NAME)
    ):
        return f"{directory} is not empty and holds no demo config: not deleting it (use --dir)"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return None


def run_demo(directory: Path, serve: bool) -> int:
    problem = prepare(directory)
    if problem is not None:
        err_console.print(f"noticewatch: {problem}", markup=False, highlight=False)
        return 2
    sites = build_demo_sites()
    servers = start_sites(sites)
    inbox = WebhookReceiver().start()
    try:
        config = write_config(directory, servers, inbox)
        list_sites(config, servers, None)
        console.print("\n[bold]1. First crawl: a silent baseline[/bold]")
        if run_cli(config, "crawl") != 0:
            return 1
        trs = sites[0]
        added = publish(trs, beijing_now())
        save_state(directory, added.published, edited=False)
        console.print(f"\n[bold]2. {trs.name} publishes “{added.title}”; crawl again[/bold]")
        if run_cli(config, "crawl") != 0:
            return 1
        shown = show_alerts(inbox, 0)
        edit(trs, added.id)
        save_state(directory, added.published, edited=True)
        console.print(f"\n[bold]3. {trs.name} edits it (adds a paragraph); crawl again[/bold]")
        if run_cli(config, "crawl") != 0:
            return 1
        shown = show_alerts(inbox, shown)
        console.print("\n[bold]4. What is stored[/bold] (noticewatch notices list --limit 8)")
        run_cli(config, "notices", "list", "--limit", "8")
        closing_hint(config, trs.source_id, serving=serve)
        if serve:
            serve_until_stopped(config, servers, inbox, shown)
        return 0
    finally:
        inbox.stop()
        stop_all(servers)


# ---------------------------------------------------------------- --serve
def list_sites(config: Path, servers: list[MockSiteServer], inbox: WebhookReceiver | None) -> None:
    console.print(f"[bold]Demo sites on 127.0.0.1[/bold] (config: {config})")
    for server in servers:
        console.print(
            f"  {server.site.source_id:<14} {server.site.name}  {server.list_url}", markup=False
        )
    if inbox is not None:
        console.print(f"  {'alert inbox':<14} {inbox.url}", markup=False)


def serve_until_stopped(
    config: Path, servers: list[MockSiteServer], inbox: WebhookReceiver | None, shown: int
) -> None:
    """Print what to try, then the alerts the inbox receives, until a signal ends it."""
    base = f"{program_name()} --config {shlex.quote(str(config))}"
    console.print(
        "\n".join(
            [
                "",
                "Serving the demo sites until Ctrl-C or SIGTERM. In another terminal:",
                f"  {base} crawl",
                f"  {base} sources check {servers[0].site.source_id}",
                f"  {base} notify test",
                f"  {base} run",
            ]
        ),
        markup=False,
    )
    while True:
        time.sleep(0.5)  # a signal interrupts it: Ctrl-C or SIGTERM (_Terminated)
        if inbox is not None:
            shown = show_alerts(inbox, shown)


def _ports_of(config_path: Path, known: set[str]) -> tuple[dict[str, int], int | None] | str:
    """Each demo source's port and the inbox's port, from the demo config; or what is wrong."""
    config = load_config(config_path)
    ports: dict[str, int] = {}
    for source in config.sources:
        parts = urlsplit(source.url)
        if source.id not in known or parts.hostname != "127.0.0.1" or not parts.port:
            return f"{config_path}: source {source.id} ({source.url}) is not a demo site"
        ports[source.id] = parts.port
    inbox_port = None
    for subscription in config.subscriptions:
        for url in subscription.notify:
            parts = urlsplit(url)
            if subscription.name == INBOX_NAME and parts.hostname == "127.0.0.1" and parts.port:
                inbox_port = parts.port
    return ports, inbox_port


def serve_existing(config: Path) -> int:
    """Serve the sites of an existing demo config on its ports, as the demo left them."""
    if not written_by_demo(config):
        err_console.print(
            f"noticewatch: {config} was not written by `noticewatch demo`; "
            "demo --serve serves only the demo's own config (see --dir)",
            markup=False,
            highlight=False,
        )
        return 2
    sites = {site.source_id: site for site in build_demo_sites()}
    found = _ports_of(config, set(sites))
    if isinstance(found, str):
        err_console.print(f"noticewatch: {found}", markup=False, highlight=False)
        return 2
    ports, inbox_port = found
    trs = sites["demo-trs"]
    replayed = replay(trs, config.parent / STATE_NAME)
    servers: list[MockSiteServer] = []
    inbox: WebhookReceiver | None = None
    try:
        for source_id, port in ports.items():
            try:
                servers.append(MockSiteServer(sites[source_id], port=port).start())
            except OSError as exc:
                return _cannot_bind(source_id, port, exc)
        if inbox_port is not None:
            try:
                inbox = WebhookReceiver(port=inbox_port).start()
            except OSError as exc:
                return _cannot_bind(INBOX_NAME, inbox_port, exc)
        list_sites(config, servers, inbox)
        if not replayed:
            console.print(
                f"(no {config.parent / STATE_NAME}: the notice the demo published is not "
                "served; run `noticewatch demo` again to start afresh)",
                markup=False,
            )
        serve_until_stopped(config, servers, inbox, 0)
        return 0
    finally:
        if inbox is not None:
            inbox.stop()
        stop_all(servers)


def _cannot_bind(name: str, port: int, exc: OSError) -> int:
    err_console.print(
        f"noticewatch: cannot serve {name} on 127.0.0.1:{port}: {exc.strerror or exc} "
        "(is another `noticewatch demo --serve` running?)",
        markup=False,
        highlight=False,
    )
    return 1


@contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGTERM raises _Terminated and SIGINT KeyboardInterrupt (even where it was ignored)."""

    def terminated(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    previous_term = signal.signal(signal.SIGTERM, terminated)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


def serve_config(args: argparse.Namespace) -> Path:
    """The demo config --serve serves: --dir's, else --config's when the demo wrote it."""
    if args.dir is not None:
        return Path(args.dir) / CONFIG_NAME
    if args.config is not None and written_by_demo(Path(args.config)):
        return Path(args.config)
    return DEFAULT_DIR / CONFIG_NAME


def handle(args: argparse.Namespace) -> int:
    if not args.serve:
        return run_demo(args.dir or DEFAULT_DIR, serve=False)
    config = serve_config(args)
    with _signals_raise():
        try:
            if config.exists():
                return serve_existing(config)
            return run_demo(config.parent, serve=True)
        except _Terminated:
            console.print("Demo sites stopped (SIGTERM).")
            return 0
        except KeyboardInterrupt:
            console.print("\nDemo sites stopped (Ctrl-C).")
            return 130
