"""URL canonicalisation and classification for notice links."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(utm_\w+|spm|from|share_?from|isappinstalled|scene|_t|timestamp|ts)$", re.I
)
_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#&]*", re.I)
_SESSION_PARAM = re.compile(r"^(jsessionid|phpsessid|sid|sessionid)$", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
FILE_EXTENSIONS = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "wps",
        "et",
        "dps",
        "ofd",
        "zip",
        "rar",
        "7z",
        "ppt",
        "pptx",
        "txt",
        "csv",
        "jpg",
        "jpeg",
        "png",
    ]
)


def canonical_url(url: str, base: str | None = None) -> str:
    """Absolute URL without fragment, session ids, tracking parameters, default port or ``../``."""
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(_SESSION.sub("", url.strip()))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    path = "/" if path in (".", "/") else path.replace("//", "/")
    if trailing and not path.endswith("/"):
        path += "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if not (_TRACKING.match(k) or _SESSION_PARAM.match(k))]
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def site_key(url: str) -> str:
    """Host and port without ``www.``: links with the same key are on the same site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port else host


_SECOND_LEVEL = frozenset(("edu", "gov", "com", "org", "net", "ac"))


def registrable_site(url: str) -> str:
    """The registrable domain and port (``nuc.edu.cn`` for ``cst.nuc.edu.cn``, ``example.org``
    for ``news.example.org``): a university's college hosts, a city's bureau hosts and
    ``www.`` are one site. IP addresses and ports are kept as they are."""
    key = site_key(url)
    host, _, port = key.partition(":")
    labels = host.split(".")
    if len(labels) > 2 and not host.replace(".", "").isdigit():
        keep = 3 if labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
        host = ".".join(labels[-keep:])
    return f"{host}:{port}" if port else host


def is_file_url(url: str) -> bool:
    """True when the URL's path (or a ``filename=`` parameter) names a document file."""
    parts = urlsplit(url)
    names = [parts.path] + [
        v for k, v in parse_qsl(parts.query) if k.lower() in ("filename", "file")
    ]
    return any(posixpath.splitext(n)[1][1:].lower() in FILE_EXTENSIONS for n in names if n)
