"""``noticewatch extract FILE_OR_URL``: what is extracted from one page."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from monitor.commands.common import CommandError, describe_error, fetch_page
from monitor.config import CrawlSettings
from monitor.console import console
from spiders.encoding import normalise_charset


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="FILE_OR_URL")
    parser.add_argument(
        "--url", help="the page's URL when TARGET is a file (for links and URL dates)"
    )
    parser.add_argument("--encoding", help="override the page's declared charset")
    parser.add_argument("--json", action="store_true")
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
    if args.json:
        print(json.dumps(notice_as_dict(notice), ensure_ascii=False, indent=2))
    else:
        console.print(format_notice(notice), markup=False)
    return 0
