"""Text of one attachment, per format, with libraries made for each (see docs/architecture.md).

Runs inside the reading child process (:mod:`monitor.attachments.child`): any
exception here is the file's problem, never the crawl's. Spreadsheets become
rows of cells joined by `` | ``; a PDF without a text layer is ``scanned``;
archives are listed (names only), never unpacked.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_TEXT_CHARS = 2_000_000
MAX_UNPACKED_BYTES = 1_000_000_000  # a zip-based file unpacking to more is a decompression bomb
MAX_RATIO = 200  # nor may a large member unpack to more than this many times its packed size
# (office XML packs 10-30 to 1; a bomb of zeros packs 1000 to 1)
CELL_SEPARATOR = " | "


class Unreadable(Exception):
    """The file is broken, hostile or of a kind we cannot read: the message says which."""


@dataclass
class FileText:
    status: str  # "text", "scanned", "listing", "unreadable"
    text: str = ""
    pages: int | None = None
    rows: int | None = None
    note: str | None = None


def read(data: bytes, kind: str) -> FileText:
    """The text of ``data``, a file of ``kind``; raises :class:`Unreadable`."""
    reader = _READERS.get(kind)
    if reader is None:
        raise Unreadable(f"{kind} files are not readable without a desktop office suite")
    result = reader(data)
    result.text = result.text[:MAX_TEXT_CHARS]
    return result


def _pdf(data: bytes) -> FileText:
    from pypdf import PdfReader

    if b"%%EOF" not in data[-2048:]:
        raise Unreadable("the PDF is truncated (no %%EOF at its end)")
    pdf = PdfReader(io.BytesIO(data), strict=False)
    pages = [page.extract_text() or "" for page in pdf.pages]
    text = "\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        return FileText("scanned", "", pages=len(pages), note="no text layer (scanned?)")
    return FileText("text", text, pages=len(pages))


def _checked_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, refused when it would unpack to a decompression bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"not a valid zip-based file: {exc}") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (info.file_size > 10_000_000 and ratio > MAX_RATIO):
            raise Unreadable(
                f"decompression bomb: {info.filename} unpacks to {info.file_size} bytes"
                f" from {info.compress_size}"
            )
    return archive


def _docx(data: bytes) -> FileText:
    import docx

    document = docx.Document(_checked_zip(data).fp)
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            lines.append(CELL_SEPARATOR.join(c.text.strip() for c in row.cells))
    return FileText("text", "\n".join(lines))


def _rows_text(rows: list[list[object]]) -> tuple[str, int]:
    lines = []
    for row in rows:
        cells = ["" if c is None else str(c).strip() for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells))
    return "\n".join(lines), len(lines)


def _xlsx(data: bytes) -> FileText:
    import openpyxl

    workbook = openpyxl.load_workbook(_checked_zip(data).fp, read_only=True, data_only=True)
    rows = [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    text, count = _rows_text(rows)
    return FileText("text", text, rows=count)


def _xls(data: bytes) -> FileText:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as exc:
        raise Unreadable(f"not a readable Excel 97 file: {exc}") from None
    rows = [sheet.row_values(i) for sheet in book.sheets() for i in range(sheet.nrows)]
    text, count = _rows_text([[_cell(v) for v in row] for row in rows])
    return FileText("text", text, rows=count)


def _cell(value: object) -> object:
    """xlrd gives every number as a float: 12.0 reads as 12."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _ofd(data: bytes) -> FileText:
    """OFD (GB/T 33190) is a zip of XML: the text is in each page's ``TextCode`` elements."""
    from lxml import etree

    archive = _checked_zip(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    pages = sorted(
        (n for n in archive.namelist() if n.endswith("Content.xml") and "/Pages/" in n),
        key=lambda n: [int(p) if p.isdigit() else p for p in n.replace("_", "/").split("/")],
    )
    if not pages:
        raise Unreadable("no page content in this OFD file")
    lines = []
    for name in pages:
        root = etree.fromstring(archive.read(name), parser)
        lines += [t.text for t in root.iter("{*}TextCode") if t.text and t.text.strip()]
    return FileText("text", "\n".join(lines), pages=len(pages))


def _txt(data: bytes) -> FileText:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return FileText("text", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise Unreadable("text in an unknown encoding")


def _zip(data: bytes) -> FileText:
    archive = _checked_zip(data)
    names = [_zip_name(info) for info in archive.infolist() if not info.is_dir()]
    return FileText("listing", "\n".join(names), rows=len(names))


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member name; names not flagged UTF-8 are GBK on Chinese systems, not cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _rar(data: bytes) -> FileText:
    import rarfile

    try:
        archive = rarfile.RarFile(io.BytesIO(data))
    except rarfile.Error as exc:
        raise Unreadable(f"not a readable RAR archive: {exc}") from None
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    return FileText("listing", "\n".join(names), rows=len(names))


_READERS = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "xls": _xls,
    "et": _xls,  # WPS spreadsheets are BIFF workbooks more often than not
    "ofd": _ofd,
    "txt": _txt,
    "zip": _zip,
    "rar": _rar,
}
