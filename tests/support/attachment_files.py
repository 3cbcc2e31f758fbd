"""Real attachment files, written by the libraries that make each format, for the mock sites.

Every builder returns the file's bytes; ``huge_stream`` makes a body of any size
lazily (the test never holds it in memory).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"  # a CID font every PDF reader knows: no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF with a Chinese text layer: one list of lines per page."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for lines in pages:
        sheet.setFont(CJK_FONT, 12)
        for number, line in enumerate(lines):
            sheet.drawString(60, 780 - 20 * number, line)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def scanned_pdf(page_count: int = 2) -> bytes:
    """A PDF of pictures only (what a scanner makes): no text layer at all."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for page in range(page_count):
        for row in range(40):
            sheet.rect(60 + (row * 7 + page) % 50, 780 - row * 18, 300 + row % 9 * 10, 9, fill=1)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def busy_pdf(pages: int = 500, operators: int = 50_000) -> bytes:
    """A valid PDF of a few KB whose ``pages`` pages all draw the same content stream, which
    moves the pen and shows a letter ``operators`` times: each page stays within a parser's
    per-stream budget, and reading them all takes a text extractor half an hour."""
    return _shared_content_pdf(b"BT /F1 12 Tf " + b"1 0 Td (a) Tj " * operators + b"ET", pages)


def greedy_pdf(megabytes: int = 70) -> bytes:
    """A PDF of 70 KB whose page content unpacks to ``megabytes`` MB (of blanks)."""
    return _shared_content_pdf(b" " * (megabytes * 1_000_000), 1)


def _shared_content_pdf(stream: bytes, pages: int) -> bytes:
    """A PDF of ``pages`` pages that all draw one compressed content stream."""
    content = zlib.compress(stream, 9)
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>"
    ] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls(rows: Sequence[Sequence[object]]) -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ofd(lines: Sequence[str]) -> bytes:
    """A minimal OFD (GB/T 33190): entry file, document, one page whose text is in TextCode."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    texts = "".join(
        f'<ofd:TextObject ID="{10 + i}" Boundary="20 {20 + 10 * i} 170 8" Font="3" Size="4">'
        f'<ofd:TextCode X="0" Y="6">{line}</ofd:TextCode></ofd:TextObject>'
        for i, line in enumerate(lines)
    )
    members = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
        "<ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>"
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        "Doc_0/Pages/Page_0/Content.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}>'
        f'<ofd:Content><ofd:Layer ID="2">{texts}</ofd:Layer></ofd:Content></ofd:Page>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mb: int = 300) -> bytes:
    """A .docx whose document part unpacks to ``unpacked_mb`` MB of zeros (a few hundred KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * 1_000_000
            for _ in range(unpacked_mb):
                member.write(block)
    return buffer.getvalue()


def huge_stream(size: int, chunk: int = 1 << 20) -> Callable[[], Iterator[bytes]]:
    """A body of ``size`` bytes made chunk by chunk as it is sent."""

    def chunks() -> Iterator[bytes]:
        block = b"%PDF-1.4\n" + b"0" * (chunk - 9)
        sent = 0
        while sent < size:
            piece = block[: min(chunk, size - sent)]
            sent += len(piece)
            yield piece

    return chunks
