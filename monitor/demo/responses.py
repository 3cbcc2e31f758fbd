"""HTTP answers shared by the mock sites: validators, errors, blocks, files."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote

from monitor.demo.markup import document, esc

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/kswps",
    ".zip": "application/zip",
    ".rar": "application/x-rar-compressed",
}
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_FILES_MODIFIED = datetime(2024, 6, 3, 1, 30, tzinfo=UTC)


@dataclass
class Reply:
    """A status, headers and body bytes, as a mock site answers."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    stream: Callable[[], Iterator[bytes]] | None = None  # a body of unknown length, made lazily


FileBody = bytes | Callable[[], Iterator[bytes]]
"""What a test serves as an attachment: real bytes, or a stream made as it is sent."""


def http_date(moment: datetime) -> str:
    """An aware datetime as an HTTP date (``Fri, 10 Nov 2023 08:32:00 GMT``)."""
    return format_datetime(moment, usegmt=True)


def is_not_modified(headers: dict[str, str], etag: str, last_modified: datetime) -> bool:
    """Whether a conditional GET matches (If-None-Match wins over If-Modified-Since)."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    if_modified_since = headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since is not None and last_modified.replace(microsecond=0) <= since
    return False


def with_validators(reply: Reply, etag: str, last_modified: datetime) -> Reply:
    """Add ETag and Last-Modified headers to a reply."""
    reply.headers["ETag"] = etag
    reply.headers["Last-Modified"] = http_date(last_modified)
    return reply


def not_modified(etag: str, last_modified: datetime) -> Reply:
    """A 304 answer carrying the validators."""
    return with_validators(Reply(304), etag, last_modified)


def html_reply(status: int, page: str, encoding: str, header_charset: str | None) -> Reply:
    """An HTML page encoded for the site, with its (possibly wrong) Content-Type."""
    content_type = f"text/html; charset={header_charset}" if header_charset else "text/html"
    body = page.encode(encoding, errors="xmlcharrefreplace")
    return Reply(status, {"Content-Type": content_type}, body)


def text_reply(status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> Reply:
    """A plain-text answer (robots.txt, XML endpoints)."""
    return Reply(status, {"Content-Type": content_type}, text.encode("utf-8"))


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect to a path on the same site."""
    return Reply(status, {"Location": location, "Content-Type": "text/html"}, b"")


def error_page(status: int, site_name: str, charset_meta: str) -> str:
    """The site's plain error page (404 页面不存在, 503 服务暂不可用 …)."""
    message = {
        404: "您访问的页面不存在或已被删除",
        403: "您没有权限访问该页面",
        500: "服务器内部错误",
        502: "网关错误",
        503: "服务暂时不可用，请稍后再试",
    }.get(status, "请求出错")
    body = (
        f'<div class="error"><h1>{status}</h1><p>{esc(message)}</p>'
        f'<p><a href="/">返回{esc(site_name)}首页</a></p></div>'
    )
    return document(title=f"{status} - {message}", body=body, charset_meta=charset_meta)


def challenge_page(seed: str) -> str:
    """A 瑞数-style (River Security) ``$_ts`` challenge, the 412 answer."""
    token = hashlib.sha1(seed.encode()).hexdigest()
    meta = f'<meta id="{token[:22]}" content="{token * 3}" r="m">'
    script = (
        "<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=" + str(int(token[:6], 16)) + ";"
        f'$_ts.cd="qqlqrGAlqr{token}rGqlcGrWAGqGqGAqlrGrlAr";</script>'
        f'<script type="text/javascript" charset="utf-8" src="/{token[:12]}/c.{token[12:20]}.js" r="m"></script>'
    )
    return f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">{meta}{script}</head><body></body></html>'


def captcha_page() -> str:
    """A 200 answer that is a verification page, not content."""
    body = (
        '<div class="verify"><h2>访问验证</h2><p>您的访问过于频繁，请输入验证码后继续访问。</p>'
        '<form method="post" action="/waf_verify"><img src="/waf_captcha.jpg" alt="验证码">'
        '<input name="code" maxlength="4"><button type="submit">确定</button></form></div>'
    )
    return document(title="安全验证", body=body)


def file_reply(
    filename: str,
    display_name: str,
    *,
    download: bool = False,
    body: FileBody | None = None,
    request_headers: dict[str, str] | None = None,
) -> Reply:
    """Attachment bytes with the right content type: ``body`` when given (bytes answer
    conditional GETs; a stream is sent without a length), else small well-formed ones."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    headers = {"Content-Type": CONTENT_TYPES.get(suffix, "application/octet-stream")}
    if download:
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(display_name)}"
    if callable(body):
        return Reply(200, {**headers, "Connection": "close"}, stream=body)
    data = file_bytes(filename, display_name) if body is None else body
    etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
    if is_not_modified(request_headers or {}, etag, _FILES_MODIFIED):
        return not_modified(etag, _FILES_MODIFIED)
    return with_validators(Reply(200, headers, data), etag, _FILES_MODIFIED)


def file_bytes(filename: str, display_name: str) -> bytes:
    """Deterministic bytes that look like the file type the name promises."""
    suffix = filename.rsplit(".", 1)[-1].lower()
    text = f"noticewatch demo attachment: {display_name}\n".encode()
    if suffix == "pdf":
        stream = b"BT /F1 12 Tf 72 720 Td (" + hashlib.sha1(text).hexdigest().encode() + b") Tj ET"
        return (
            b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
            b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
            b"3 0 obj <</Type /Page /Parent 2 0 R /Contents 4 0 R>> endobj\n"
            b"4 0 obj <</Length "
            + str(len(stream)).encode()
            + b">> stream\n"
            + stream
            + b"\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
        )
    if suffix in {"docx", "xlsx", "zip"}:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            member = zipfile.ZipInfo("content.txt", date_time=(2023, 1, 1, 0, 0, 0))
            archive.writestr(member, text)
        return buffer.getvalue()
    if suffix in {"doc", "xls", "wps"}:
        raw = _OLE_MAGIC + text
        return raw + b"\0" * (-len(raw) % 512)
    return text
