"""``noticewatch sources list|check``: what is configured, and what a list page yields."""

from __future__ import annotations

import argparse
import json
from typing import Any

from monitor.commands.common import config_of, fetch_page
from monitor.commands.views import Column, print_json, print_table, say
from monitor.config import ConfigError, CrawlSettings, Source, load_config
from monitor.console import console, warn
from monitor.masking import mask_secrets
from monitor.value_checks import validate_selector
from spiders.encoding import decode_html
from spiders.links import find_links
from spiders.pagination import next_page_url


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="configured sources")
    listing.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only sources with this tag, e.g. province:河南 (repeat: any of them, "
        "as a subscription's tags)",
    )
    listing.add_argument("--json", action="store_true", help="a JSON array, one object a source")
    listing.set_defaults(handler=handle_list)
    check = actions.add_parser(
        "check", help="show the notice links a list page yields and extract the first three"
    )
    check.add_argument("target", metavar="URL_OR_ID")
    check.add_argument("--selector", help="try this link_selector (CSS or XPath)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=handle_check)


def source_summary(source: Source) -> dict[str, Any]:
    """One source as ``sources list --json`` shows it."""
    return {
        "id": source.id,
        "name": source.name,
        "url": mask_secrets(source.url),
        "enabled": source.enabled,
        "interval_seconds": None if source.cron else _number(source.interval),
        "cron": source.cron,
        "tags": list(source.tags),
    }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _every(seconds: float) -> str:
    """An interval as the config writes one: ``30m``, ``2h``, ``1d``, ``90s``."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and float(seconds / size).is_integer():
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def handle_list(args: argparse.Namespace) -> int:
    config = config_of(args, need_secrets=False)
    wanted = set(args.tag)
    sources = [s for s in config.sources if not wanted or wanted & set(s.tags)]
    if wanted and not sources:
        warn(f"no source has the tag {' or '.join(repr(t) for t in args.tag)}")
    if args.json:
        print_json([source_summary(source) for source in sources])
        return 0
    if not sources:
        say("no sources" + (" with these tags" if wanted else f" in {config.path}"))
        return 0
    # the name and the URL share a column (two lines, both cut to fit): a long id leaves
    # them more room together than apart, and tags make rows several lines high anyway
    columns = [
        Column("id"),
        Column("name / url", cut=True, min_width=20),
        Column("on"),
        Column("every"),
        Column("tags"),
    ]
    print_table(
        columns,
        [
            [
                source.id,
                f"{source.name}\n{mask_secrets(source.url)}",
                "yes" if source.enabled else "no",
                source.cron or _every(source.interval),
                "\n".join(source.tags),
            ]
            for source in sources
        ],
    )
    return 0


def _resolve(args: argparse.Namespace) -> tuple[Source, CrawlSettings]:
    if args.selector and (problem := validate_selector(args.selector)):
        raise ConfigError(f"--selector: {problem}")
    if args.target.startswith(("http://", "https://")):
        try:
            settings = (
                load_config(args.config, need_secrets=False).crawl
                if args.config.exists()
                else CrawlSettings()
            )
        except ConfigError:
            settings = CrawlSettings()
        return Source(
            id="check", name=args.target, url=args.target, link_selector=args.selector
        ), settings
    config = config_of(args, need_secrets=False)
    try:
        source = config.source(args.target)
    except KeyError:
        raise ConfigError(f"{config.path}: no source with id {args.target!r}") from None
    if args.selector:
        source = Source(**{**source.__dict__, "link_selector": args.selector})
    return source, config.crawl


def handle_check(args: argparse.Namespace) -> int:
    from monitor.extract import extract_notice  # trafilatura loads only when needed
    from monitor.extract.dates import parse_cn_date
    from monitor.extract.report import notice_as_dict

    source, settings = _resolve(args)
    page = fetch_page(source.url, settings)
    if page.status >= 400:
        console.print(f"{mask_secrets(source.url)}: HTTP {page.status}", markup=False)
        return 1
    page_html, codec = decode_html(
        page.body, f"text/html; charset={source.encoding}" if source.encoding else page.content_type
    )
    entries = find_links(page_html, page.url, source.link_selector, source.allow_offsite)
    extracted: list[dict[str, Any]] = []
    report = {
        "url": page.url,
        "encoding": codec,
        "links": [
            {"title": e.title, "url": e.url, "date": e.date_text, "file": e.is_file}
            for e in entries
        ],
        "next_page": next_page_url(page_html, page.url),
        "extracted": extracted,
    }
    for entry in [e for e in entries if not e.is_file][:3]:
        detail = fetch_page(entry.url, settings)
        notice = extract_notice(
            detail.body,
            detail.url,
            detail.content_type,
            list_title=entry.title,
            list_date=parse_cn_date(entry.date_text or ""),
        )
        extracted.append(notice_as_dict(notice) | {"url": entry.url, "http_status": detail.status})
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return 0 if entries else 1
    console.print(
        f"{page.url} ({codec}): {len(entries)} notice links; next page: {report['next_page'] or '—'}",
        markup=False,
    )
    for entry in entries:
        console.print(
            f"  {entry.date_text or '          '}  {entry.title}  {entry.url}", markup=False
        )
    for item in extracted:
        text = item["text"]
        console.print(
            f"\n── {item['title']} · {item['published'] or 'no date'} · HTTP {item['http_status']}\n"
            f"{text[:300]}{'…' if len(text) > 300 else ''}",
            markup=False,
        )
    if not entries:
        console.print(
            "no notice links found: try --selector with a CSS selector for the notice links",
            markup=False,
        )
    return 0 if entries else 1
