"""What attachments cost: PDF pages read per second, time and peak memory for a file of
``[attachments] max_bytes``, and the extra requests a crawl makes for them on the demo sites.

Run: python bench/attachments.py [--pages 200] [--skip-largest] [--skip-crawls]
Files are written by the libraries that make each format (tests/support/attachment_files.py)
and read the way crawls read them: each in its own limited child process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from monitor.attachments.formats import FileText
from monitor.attachments.reader import child_command
from monitor.config import AttachmentSettings
from monitor.demo import build_all_sites, start_sites, stop_all
from tests.support import attachment_files as files
from tests.support.cli import run_cli, write_config

LINE = "关于做好2024年普通高中招生录取工作的通知，请各县区教育局认真组织实施。"
UNLIMITED = AttachmentSettings(read_timeout=3600, read_memory_mb=4096)


def text_pdf(pages: int, lines: int = 36) -> bytes:
    return files.pdf([[f"{n}. {LINE}" for n in range(lines)] for _ in range(pages)])


def pdf_rate(pages: int) -> None:
    data = text_pdf(pages)
    read, seconds, peak = measured(data, "pdf")
    assert read.status == "text" and read.pages == pages, read
    print(
        f"PDF text: {pages} pages ({len(data) / 1e6:.1f} MB, {len(read.text)} characters) in"
        f" {seconds:.2f} s = {pages / seconds:.0f} pages/s (child process start included),"
        f" peak {peak:.0f} MB"
    )


def scanned_pdf(size: int) -> bytes:
    """A PDF of page-sized noise pictures (what a scanner makes) of about ``size`` bytes."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    written = 0
    while written < size:  # every page its own picture (one picture would be embedded once)
        page = io.BytesIO()
        noise = Image.frombytes("L", (1240, 1754), os.urandom(1240 * 1754))
        noise.save(page, "JPEG", quality=85)
        written += page.tell()
        sheet.drawImage(ImageReader(io.BytesIO(page.getvalue())), 0, 0, 595, 842)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def measured(data: bytes, kind: str) -> tuple[FileText, float, float]:
    """Read ``data`` with the reading child a crawl runs: (text, seconds, the child's peak
    resident memory in MB, polled from /proc: ``ru_maxrss`` would count the parent's
    memory the child had before its exec)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        child_command(kind, UNLIMITED),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    answer: list[bytes] = []
    talk = threading.Thread(target=lambda: answer.append(child.communicate(data)[0]))
    talk.start()
    peak = 0
    status = Path(f"/proc/{child.pid}/status")
    while talk.is_alive():
        with contextlib.suppress(OSError):
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    fields = json.loads(answer[0])
    read = FileText("unreadable", note=fields["error"]) if "error" in fields else FileText(**fields)
    return read, seconds, peak / 1024


def largest(max_bytes: int) -> None:
    """Files just under ``max_bytes``: a scanned PDF, an xlsx; time and the child's peak memory."""
    per_row = len(files.xlsx([[f"第{n}中学", n, LINE] for n in range(2000)])) / 2000
    rows = [[f"第{n}中学", n, LINE] for n in range(int(max_bytes * 0.95 / per_row))]
    for kind, body in (("pdf", scanned_pdf(int(max_bytes * 0.8))), ("xlsx", files.xlsx(rows))):
        read, seconds, peak = measured(body, kind)
        print(
            f"largest {kind}: {len(body) / 1e6:.1f} MB, {read.pages or read.rows}"
            f" {'pages' if kind == 'pdf' else 'rows'}, {read.status} {read.note or ''}"
            f" in {seconds:.1f} s, peak memory of the reading child {peak:.0f} MB"
        )


def crawl_requests() -> None:
    """Requests of a baseline, a crawl with one new notice with files, and a quiet crawl,
    with attachments off and on (demo sites, their own synthetic files)."""
    for kinds in ("[]", None):
        servers = start_sites(build_all_sites())
        with tempfile.TemporaryDirectory() as tmp:
            extra = f"[attachments]\nkinds = {kinds}\n" if kinds else ""
            config = write_config(
                Path(tmp) / "c.toml", f"sqlite:///{tmp}/n.db", servers, extra=extra
            )
            counts = []
            for step in ("baseline", "one new notice with 2 files", "quiet re-crawl"):
                if step.startswith("one new"):
                    servers[0].site.add_notice(  # published now: re-checked on every crawl
                        "关于2024年招生工作的通知",
                        ["详见附件。"],
                        published=datetime.utcnow() + timedelta(hours=8),
                        attachments=["计划.pdf", "报名表.xls"],
                    )
                for server in servers:
                    server.site.clear_requests()
                assert run_cli(config, "crawl").returncode == 0
                counts.append((step, sum(len(s.site.requests) for s in servers)))
        stop_all(servers)
        label = "attachments off" if kinds else "attachments on "
        print(f"{label}: " + "; ".join(f"{step}: {n} requests" for step, n in counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--skip-largest", action="store_true")
    parser.add_argument("--skip-crawls", action="store_true")
    args = parser.parse_args()
    pdf_rate(args.pages)
    if not args.skip_largest:
        largest(AttachmentSettings().max_bytes)
    if not args.skip_crawls:
        crawl_requests()


if __name__ == "__main__":
    main()
