"""``noticewatch web``: the read-only web UI, feeds and JSON API."""

from __future__ import annotations

import argparse
import getpass
import sys

from monitor.commands.common import CommandError, config_of
from monitor.commands.views import say


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bind",
        metavar="HOST:PORT",
        help="where to listen (default: [web] bind, else 127.0.0.1:8377); "
        "beyond loopback [web] token or user is required",
    )
    parser.add_argument(
        "--hash-password",
        action="store_true",
        help="read a password (twice) and print its [web] password_hash",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from monitor.web.auth import DEFAULT_BIND, bind_problem, hash_password, parse_bind

    if args.hash_password:
        return _print_hash(hash_password)
    config = config_of(args, need_secrets=False)
    bind = args.bind or config.web.bind or DEFAULT_BIND
    try:
        parse_bind(bind)
    except ValueError as exc:
        raise CommandError(f"--bind: {exc}", code=2) from None
    if problem := bind_problem(bind, config.web):
        raise CommandError(problem, code=2)
    from monitor.web.server import serve

    host, port = parse_bind(bind)
    shown = f"[{host}]" if ":" in host else host
    say(f"noticewatch web: http://{shown}:{port}/ (Ctrl-C stops it)")
    if not serve(config, bind):
        raise CommandError(f"web: cannot listen on {bind} (in use, or not an address here?)")
    return 0


def _print_hash(hash_password) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise CommandError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise CommandError("use a password of at least 8 characters", code=2)
    print(hash_password(password))
    return 0
