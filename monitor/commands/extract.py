"""``noticewatch extract FILE_OR_URL``: what is extracted from one page."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from monitor.attachments.report import FileReport, describe, fetched_files
from monitor.commands.common import CommandError, config_of, describe_error, fetch_page
from monitor.config import AttachmentSettings, CrawlSettings
from monitor.console import console
from monitor.plain_text import plain
from spiders.encoding import normalise_charset
from spiders.fetch import fetch


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="FILE_OR_URL")
    parser.add_argument(
        "--url", help="the page's URL when TARGET is a file (for links and URL dates)"
    )
    parser.add_argument("--encoding", help="override the page's declared charset")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--attachments",
        action="store_true",
        help="also download and read the page's attachments (as [attachments] allows)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from monitor.extract import extract_notice  # trafilatura loads only when needed
    from monitor.extract.report import format_notice, notice_as_dict

    if args.encoding and normalise_charset(args.encoding) is None:
        raise CommandError(f"--encoding: unknown encoding {args.encoding!r} (e.g. gbk, utf-8)", 2)
    if args.target.startswith(("http://", "https://")):
        page = fetch_page(args.target, CrawlSettings())  # a failure names the URL and the reason
        raw, url, content_type = page.body, page.url, page.content_type
    else:
        path = Path(args.target)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            reason = describe_error(exc).removeprefix(f"{exc.filename}: ")
            raise CommandError(f"cannot read {args.target}: {reason}") from exc
        url, content_type = args.url or path.resolve().as_uri(), None
    if args.encoding:
        content_type = f"text/html; charset={args.encoding}"
    notice = extract_notice(raw, url, content_type)
    files = _read_attachments(args, notice.attachments) if args.attachments else None
    if args.json:
        data = notice_as_dict(notice)
        if files is not None:
            data["attachments"] = [f.as_dict() for f in files]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    console.print(format_notice(notice), markup=False)
    for report in files or []:
        console.print(plain("\n".join([*describe(report)[:2], "", report.text, ""])), markup=False)
    return 0


def _read_attachments(args: argparse.Namespace, attachments: list) -> list[FileReport]:
    """Each attachment downloaded (as the crawls would) and read, with the config's limits."""
    given = not getattr(args, "config_looked", None)  # --config on the command line
    config = config_of(args, need_secrets=False) if given or args.config.exists() else None
    settings = config.attachments if config else AttachmentSettings()
    crawl = config.crawl if config else CrawlSettings()

    def download(url: str, max_bytes: int) -> bytes:
        page = fetch(url, user_agent=crawl.user_agent, timeout=crawl.timeout, max_bytes=max_bytes)
        if page.status >= 400:
            raise CommandError(f"HTTP {page.status}")
        return page.body

    return fetched_files(attachments, settings, download)
