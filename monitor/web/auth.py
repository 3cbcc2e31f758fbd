"""Who may read the web UI: where it listens, tokens and password hashes, the Host check.

On a loopback address anyone on this machine may read it (as they may read the
database), but only by a loopback name: a page elsewhere whose name resolves here
(DNS rebinding) is refused. Beyond loopback, ``[web]`` auth is required: a Bearer
``token`` (also accepted as the password of HTTP Basic, for feed readers and browsers)
or a ``user`` with a PBKDF2 ``password_hash``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import secrets

from monitor.config import WebSettings

DEFAULT_BIND = "127.0.0.1:8377"
HASH_SCHEME = "pbkdf2_sha256"
HASH_ITERATIONS = 600_000
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def parse_bind(bind: str) -> tuple[str, int]:
    """``"127.0.0.1:8377"`` or ``"[::1]:8377"`` → (host, port)."""
    host, _, port = bind.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{bind!r}: use HOST:PORT with a port 1-65535, e.g. {DEFAULT_BIND}")
    return host, int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_problem(bind: str, web: WebSettings) -> str | None:
    """Why the web UI must not listen on ``bind`` with ``web``'s auth; None when it may."""
    host, _ = parse_bind(bind)
    if not web.has_auth and not is_loopback(host):
        return (
            f"web: refusing to serve on {bind} without auth: beyond loopback set [web] token, "
            "or user and password_hash (noticewatch web --hash-password)"
        )
    if web.token and "${" in web.token:
        return "web.token: its environment variable is not set"
    return None


def hash_password(password: str, iterations: int = HASH_ITERATIONS) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH`` (base64) for ``[web] password_hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return "$".join([HASH_SCHEME, str(iterations), _b64(salt), _b64(digest)])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _parts(stored: str) -> tuple[int, bytes, bytes]:
    scheme, iterations, salt, digest = stored.split("$")
    if scheme != HASH_SCHEME or not iterations.isdigit():
        raise ValueError(stored)
    return (
        int(iterations),
        base64.b64decode(salt, validate=True),
        base64.b64decode(digest, validate=True),
    )


def check_password_hash(stored: str) -> str | None:
    """What is wrong with a stored hash, or None."""
    try:
        _parts(stored)
    except (ValueError, binascii.Error):
        return f"not a {HASH_SCHEME}$ITERATIONS$SALT$HASH value (make one with noticewatch web --hash-password)"
    return None


def password_matches(password: str, stored: str) -> bool:
    iterations, salt, digest = _parts(stored)
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return hmac.compare_digest(candidate, digest)


def authorized(auth: WebSettings, header: str | None) -> bool:
    """Whether an ``Authorization`` header satisfies ``auth``'s token or user."""
    scheme, _, value = (header or "").partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and auth.token:
        return hmac.compare_digest(value.encode(), auth.token.encode())
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    if auth.token and hmac.compare_digest(password.encode(), auth.token.encode()):
        return True
    return bool(
        auth.user
        and auth.password_hash
        and hmac.compare_digest(user.encode(), auth.user.encode())
        and password_matches(password, auth.password_hash)
    )


def local_host(header: str | None) -> bool:
    """Whether a request's Host names this machine by a loopback name (any port)."""
    host = (header or "").strip().lower()
    if host.startswith("["):
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return host in LOOPBACK_NAMES
