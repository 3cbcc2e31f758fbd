"""``noticewatch sources list|check``: what is configured, and what a list page yields."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any
from urllib.parse import urlsplit

from monitor.commands.common import CommandError, config_of, fetch_page
from monitor.commands.views import Column as TableColumn
from monitor.commands.views import print_json, print_table, say
from monitor.config import ConfigError, CrawlSettings, Source, load_config
from monitor.console import console, warn
from monitor.masking import mask_secrets
from monitor.value_checks import validate_selector
from spiders.columns import Column, choose_columns, find_columns, is_notice_list
from spiders.encoding import decode_html
from spiders.fetch import FetchedPage
from spiders.items import ListEntry
from spiders.links import find_links
from spiders.list_api import recognise_list_api
from spiders.page_needs import page_needs
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
    discover = actions.add_parser(
        "discover", help="the notice columns a home page links to, and a [[sources]] block"
    )
    discover.add_argument("url", metavar="URL")
    discover.add_argument("--json", action="store_true", help="one JSON object")
    discover.set_defaults(handler=handle_discover)


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
        TableColumn("id"),
        TableColumn("name / url", cut=True, min_width=20),
        TableColumn("on"),
        TableColumn("every"),
        TableColumn("tags"),
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


def _settings(args: argparse.Namespace) -> CrawlSettings:
    """The config's ``[crawl]`` settings when it loads, else the defaults."""
    try:
        return (
            load_config(args.config, need_secrets=False).crawl
            if args.config.exists()
            else CrawlSettings()
        )
    except ConfigError:
        return CrawlSettings()


def _resolve(args: argparse.Namespace) -> tuple[Source, CrawlSettings]:
    if args.selector and (problem := validate_selector(args.selector)):
        raise ConfigError(f"--selector: {problem}")
    if args.target.startswith(("http://", "https://")):
        source = Source(id="check", name=args.target, url=args.target, link_selector=args.selector)
        return source, _settings(args)
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
    page, page_html, codec, entries = _read_list(source.url, source, settings)
    mode, found = "html", None
    if source.columns or (
        not source.link_selector and not is_notice_list(page_html, page.url, entries)
    ):
        chosen = choose_columns(
            find_columns(page_html, page.url, source.columns or None), source.columns
        )
        if chosen:
            mode, found = "homepage", chosen[0]
            page, page_html, codec, entries = _read_list(found.url, source, settings)
    needs = page_needs(page.status, page_html, page.url, has_list=bool(entries))
    if api := source.list_api or recognise_list_api(page_html, page.url):
        mode = f"api:{api}"
    if source.render:
        mode = f"{source.render} (this check reads the page without the browser)"
    if page.status >= 400:
        console.print(f"{mask_secrets(page.url)}: HTTP {page.status}", markup=False)
        if needs:
            console.print(needs.hint, markup=False)
        return 1
    extracted: list[dict[str, Any]] = []
    report = {
        "url": page.url,
        "mode": mode,
        "column": found.label if found else None,
        "encoding": codec,
        "links": [
            {"title": e.title, "url": e.url, "date": e.date_text, "file": e.is_file}
            for e in entries
        ],
        "next_page": next_page_url(page_html, page.url),
        "needs": needs.hint if needs else None,
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
    if found:
        console.print(f"mode: homepage (column {found.label}: {found.url})", markup=False)
    else:
        console.print(f"mode: {mode}", markup=False)
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
    if needs:
        console.print(needs.hint, markup=False)
    elif not entries:
        console.print(
            "no notice links found: try --selector with a CSS selector for the notice links",
            markup=False,
        )
    return 0 if entries else 1


def _read_list(
    url: str, source: Source, settings: CrawlSettings
) -> tuple[FetchedPage, str, str, list[ListEntry]]:
    """A page fetched and decoded, with the notice links the crawl would find on it."""
    page = fetch_page(url, settings)
    charset = f"text/html; charset={source.encoding}" if source.encoding else page.content_type
    page_html, codec = decode_html(page.body, charset)
    if page.status >= 400:
        return page, page_html, codec, []
    return (
        page,
        page_html,
        codec,
        find_links(page_html, page.url, source.link_selector, source.allow_offsite),
    )


DISCOVER_COLUMNS = 8  # candidate columns fetched and counted


def handle_discover(args: argparse.Namespace) -> int:
    settings = _settings(args)
    source = Source(id="discover", name=args.url, url=args.url)
    page, page_html, codec, entries = _read_list(args.url, source, settings)
    if page.status >= 400:
        console.print(f"{mask_secrets(args.url)}: HTTP {page.status}", markup=False)
        return 1
    is_list = is_notice_list(page_html, page.url, entries)
    columns = find_columns(page_html, page.url)[:DISCOVER_COLUMNS]
    candidates = [
        _candidate(column, index == 0, source, settings) for index, column in enumerate(columns)
    ]
    mode = "html" if is_list or not columns else "homepage"
    report = {
        "url": args.url,
        "mode": mode,
        "encoding": codec,
        "notices": len(entries),
        "columns": candidates,
        "source_toml": _source_block(args.url, page_html, mode),
    }
    if args.json:
        print_json(report)
        return 0 if columns or entries else 1
    if mode == "html":
        console.print(
            f"{args.url} ({codec}) is a notice list: {len(entries)} notices", markup=False
        )
    elif not columns:
        console.print(f"{args.url} ({codec}): no notice column found", markup=False)
    else:
        console.print(
            f"{args.url} ({codec}): a home page; its notice columns, best first:", markup=False
        )
    for candidate in candidates:
        mark = "*" if candidate["default"] else " "
        shown = candidate["error"] or f"{candidate['notices']} notices"
        console.print(f"{mark} {candidate['label']}  {candidate['url']}  ({shown})", markup=False)
        for title in candidate["titles"]:
            console.print(f"      {title}", markup=False)
    console.print("\n" + report["source_toml"], markup=False)
    return 0 if columns or entries else 1


def _candidate(
    column: Column, best: bool, source: Source, settings: CrawlSettings
) -> dict[str, Any]:
    """A column as ``sources discover`` shows it: how many notices its list shows, the first titles."""
    try:
        page, _, _, entries = _read_list(column.url, source, settings)
        status, error = page.status, (f"HTTP {page.status}" if page.status >= 400 else None)
    except CommandError as exc:
        status, error, entries = None, str(exc), []
    return {
        "label": column.label,
        "url": column.url,
        "default": best,
        "http_status": status,
        "notices": len(entries),
        "titles": [entry.title for entry in entries[:3]],
        "error": error,
    }


def _source_block(url: str, page_html: str, mode: str) -> str:
    """A ready ``[[sources]]`` table for the page."""
    parts = urlsplit(url)
    source_id = re.sub(
        r"[^a-z0-9]+", "-", (parts.netloc or "site").lower().removeprefix("www.")
    ).strip("-")
    title = re.search(r"<title[^>]*>(.*?)</title>", page_html, re.I | re.S)
    name = " ".join(title.group(1).split()) if title else source_id
    lines = [
        "[[sources]]",
        f'id = "{source_id}"',
        f"name = {json.dumps(name, ensure_ascii=False)}",
        f'url = "{url}"',
    ]
    if mode == "homepage":
        lines.append(
            '# columns = ["通知公告"]   # the best-ranked column is followed; name others here'
        )
    return "\n".join(lines) + "\n"
