"""Hostile pages: how long link discovery and extraction take on pages built to be slow.

    python bench/hostile.py [--links 1000 10000] [--megabytes 10]

Prints seconds for: link discovery on a list page with N notice links in one
list; extraction of a page whose body is one line of N MB of Chinese text
without spaces; the text cleaning of one 117 KB such line. Pages are built in
memory; nothing is fetched.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.extract import extract_notice  # noqa: E402
from monitor.extract.text_clean import clean_body  # noqa: E402
from spiders.links import discover_links  # noqa: E402

CHINESE = "关于做好全市中小学校园安全工作的通知各县区教育局要认真组织落实"


def list_page(links: int) -> str:
    rows = "".join(
        f'<li><a href="/tzgg/{n}.html">{CHINESE[:14]}第{n}号</a><span>2024-03-{n % 28 + 1:02d}</span></li>'
        for n in range(links)
    )
    return f"<html><body><div class='nav'><a href='/'>首页</a></div><ul class='list'>{rows}</ul></body></html>"


def one_line_page(megabytes: float) -> bytes:
    body = CHINESE * int(megabytes * 1024 * 1024 / len(CHINESE.encode()))
    page = f"<html><head><title>关于通知</title></head><body><div id='zoom'><p>{body}</p></div></body></html>"
    return page.encode()


def timed(call):
    """``(seconds, result)`` of ``call()``."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--megabytes", type=float, default=10.0)
    args = parser.parse_args()
    for count in args.links:
        html = list_page(count)
        seconds, found = timed(lambda html=html: discover_links(html, "http://x.cn/tzgg/"))
        print(f"link discovery, {count:>6} links: {seconds:7.2f} s ({len(found)} found)")
    line = CHINESE * (117 * 1024 // len(CHINESE.encode()))
    seconds, _ = timed(lambda: clean_body([line], "关于通知"))
    print(f"text cleaning, one 117 KB line: {seconds:7.2f} s")
    raw = one_line_page(args.megabytes)
    seconds, notice = timed(
        lambda: extract_notice(raw, "http://x.cn/a.html", "text/html; charset=utf-8")
    )
    print(
        f"extraction, {args.megabytes:g} MB single-line page: {seconds:7.2f} s "
        f"({len(notice.text):,} characters of text)"
    )


if __name__ == "__main__":
    main()
