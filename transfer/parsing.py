"""Reading an uploaded spreadsheet into a header and rows of text, or saying why it cannot be.

Pure functions over bytes: no models, no storage. What is read:
- CSV text in UTF-8 (with or without a byte-order mark) or Windows-1252 (Excel's plain "CSV"
  on Windows). Strict UTF-8 is tried first: text in Windows-1252 with any accented letter is
  almost never valid UTF-8, while every UTF-8 file with one would read as Windows-1252 garbage
  ("Ã©" for "é"). Separated by commas, or semicolons or tabs (as the survey upload reads them).
- Excel workbooks (.xlsx): the first sheet, cell values as shown (formulas give their last
  computed value).
Anything else (UTF-16, old .xls, OpenDocument, binary data, text in another encoding) is
refused with a message saying what to save the file as instead.

Rows are numbered as the spreadsheet shows them (the header is row 1, blank rows count); blank
rows are left out.

What one file may cost is bounded. A CSV file is at most MAX_BYTES of text. An .xlsx is a zip
of XML parts, and a few hundred kilobytes can unpack into a hundred megabytes (a "zip bomb": a
252 KB workbook whose shared strings unpacked to 97 MB held a web worker for 40 s and 570 MB).
So every part of a workbook is measured before openpyxl parses anything:
its size as the zip's directory states it (Python's zipfile never unpacks more than that),
then, in one streaming pass, the elements that cost time and memory to parse. The first sheet
is then streamed row by row (openpyxl's read-only mode), under a deadline.
"""

import codecs
import csv
import datetime as dt
import io
import math
import re
import time
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core import tabular
from core.tabular import MB, column_letter, csv_error_message, sniff_delimiter

MAX_BYTES = 5 * MB
MAX_ROWS = 20_000
# More than any export of organizations or contacts has; each column gets a select to map it.
MAX_COLUMNS = 100
MAX_HEADER_LENGTH = 200

# What an .xlsx may unpack to, checked before it is parsed (see the module's docstring). A list
# of 20,000 partners in 25 columns, as Excel saves it, is well inside every one of these.
MAX_ENTRIES = 1_000  # parts packed in the zip; Excel writes about a dozen
MAX_UNPACKED_BYTES = 60 * MB  # all the parts together
MAX_SHEET_BYTES = 30 * MB  # one worksheet (openpyxl streams it)
MAX_SHARED_STRINGS_BYTES = 20 * MB  # the shared strings (openpyxl reads them all into a list)
MAX_PART_BYTES = 5 * MB  # any other part: workbook, styles, relationships… (parsed whole)
MAX_SHARED_STRINGS = 200_000  # different texts in the shared strings
MAX_SHEET_ROWS = 100_000  # rows of one sheet, counting the blank ones Excel keeps for formatting
MAX_CELLS = 500_000  # cells of one sheet, counting empty formatted ones
MAX_ROW_CELLS = 1_000  # cells of one row: openpyxl holds a whole row at once
# XML elements of any other part, or of a sheet outside its cells (Excel's styles stop at
# 64,000 formats); the shared strings may have this many per text (a run of rich text is 3+).
MAX_PART_ELEMENTS = 300_000
MAX_ELEMENTS_PER_TEXT = 5
# The last resort, for whatever the counts above let through: reading stops after this long.
MAX_SECONDS = 20
# The last row an Excel sheet has; a sheet numbering rows past it is damaged.
LAST_EXCEL_ROW = 1_048_576
# Characters no text file has: a file holding them is binary, whatever its encoding.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SAVE_AS_CSV = "Save it as CSV UTF-8 and upload that file."


def size_error(size: int) -> str | None:
    """The message for a file over the limit, from its size alone (nothing is read)."""
    return tabular.size_error(size, MAX_BYTES)


class ImportFileError(ValueError):
    """A file Liaison cannot read; the message is written for the librarian."""


@dataclass(frozen=True)
class Table:
    """The column names and the non-blank rows, as (spreadsheet row number, cells) with every
    cell stripped of surrounding spaces and every row as long as the header."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str  # "UTF-8", "Windows-1252" or "Excel workbook", to tell the librarian

    def as_json(self) -> dict[str, Any]:
        """The table as JSON stores it (ImportRun.table): rows as [number, cells] lists."""
        return {
            "header": self.header,
            "rows": [[number, cells] for number, cells in self.rows],
            "encoding": self.encoding,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Table":
        return cls(
            header=[str(name) for name in data["header"]],
            rows=[(int(number), [str(cell) for cell in cells]) for number, cells in data["rows"]],
            encoding=str(data["encoding"]),
        )


def read_table(data: bytes) -> Table:
    """The header and rows of a CSV file or an Excel workbook, or ImportFileError."""
    if not data.strip():
        raise ImportFileError(
            "The file is empty. Export the list again with the column names in the first row."
        )
    if data.startswith(b"PK\x03\x04"):
        return _read_workbook(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "This is an old Excel workbook (.xls). Save it as an Excel workbook (.xlsx) or as "
            "CSV UTF-8, and upload that file."
        )
    text, encoding = _decode(data)
    return _read_csv(text, encoding)


# CSV


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError("The file is UTF-16 text. Save it again as CSV UTF-8.")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        raise ImportFileError(
            "The file holds binary data, so it is not a CSV file. Save the list as CSV UTF-8 "
            "or as an Excel workbook (.xlsx)."
        )
    try:
        text, encoding = data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            # Bytes that Windows-1252 leaves undefined: another encoding (Shift-JIS, Mac…).
            raise ImportFileError(
                "The file's text is neither UTF-8 nor Windows-1252, the two encodings Liaison "
                "reads. Save it again as CSV UTF-8."
            ) from None
    if CONTROL_RE.search(text):
        raise ImportFileError(
            "The file holds control characters that text never has, so it is not a CSV file. "
            "Save the list as CSV UTF-8 or as an Excel workbook (.xlsx)."
        )
    return text, encoding


def _read_csv(text: str, encoding: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    row_number = 0
    try:
        for row_number, raw in enumerate(reader, start=1):
            if len(raw) > MAX_COLUMNS and any(cell.strip() for cell in raw[MAX_COLUMNS:]):
                raise ImportFileError(_too_many_columns(row_number, len(raw)))
            cells = [cell.strip() for cell in raw[:MAX_COLUMNS]]
            if any(cells):
                records.append((row_number, cells))
                if len(records) > MAX_ROWS + 1:
                    raise ImportFileError(_too_many_rows())
    except csv.Error as error:
        raise ImportFileError(csv_error_message(str(error), row_number + 1)) from None
    return _table(records, encoding)


# Excel


def _read_workbook(data: bytes) -> Table:
    from openpyxl import load_workbook

    deadline = time.monotonic() + MAX_SECONDS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise ImportFileError(
                    "This is a packed file (OpenDocument, Word or a zip archive), not an Excel "
                    "workbook. Save the list as an Excel workbook (.xlsx) or as CSV UTF-8."
                )
            _check_workbook(archive, deadline)
    except ImportFileError:
        raise
    # Encrypted (RuntimeError), packed in a way zipfile does not unpack (NotImplementedError),
    # or damaged anywhere (the rest).
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, RuntimeError):
        raise ImportFileError(
            "The file looks like a workbook but is damaged. Open it in Excel and save it again."
        ) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            records = _sheet_records(workbook.worksheets[0], deadline)
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a bad file
        raise ImportFileError(
            "The workbook cannot be read. Open it in Excel and save it again, or save the list "
            "as CSV UTF-8."
        ) from None
    return _table(records, "Excel workbook")


def _sheet_records(sheet: Any, deadline: float) -> list[tuple[int, list[str]]]:
    records: list[tuple[int, list[str]]] = []
    # The size a workbook declares can be a lie ("A1:XFD1048576"); read what is there.
    sheet.reset_dimensions()
    # openpyxl yields an empty row for each row number a sheet skips: count them too.
    for index, row in enumerate(sheet.iter_rows(), start=1):
        if time.monotonic() > deadline:
            raise ImportFileError(_too_slow())
        if index > LAST_EXCEL_ROW:
            raise ImportFileError(
                f"The workbook numbers rows past {LAST_EXCEL_ROW:,}, the last row Excel has: it "
                "is damaged. Open it in Excel and save it again, or save the list as CSV UTF-8."
            )
        cells = [cell for cell in row if getattr(cell, "value", None) is not None]
        if not cells:
            continue
        row_number = cells[0].row
        last = max(cell.column for cell in cells)
        if last > MAX_COLUMNS:
            raise ImportFileError(_too_many_columns(row_number, last))
        values = [""] * last
        for cell in cells:
            values[cell.column - 1] = _cell_text(cell.value)
        if any(CONTROL_RE.search(value) for value in values):
            raise ImportFileError(
                f"Row {row_number} holds control characters that text never has. "
                "Remove them, or save the list as CSV UTF-8."
            )
        records.append((row_number, values))
        if len(records) > MAX_ROWS + 1:
            raise ImportFileError(_too_many_rows())
    return records


# Measuring a workbook before it is parsed

# The start of an XML element, with or without a namespace prefix (<x:c>): group 1 its name.
START_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
# What a cell holds: a value, a formula, an inline text.
CELL_PARTS = (b"v", b"f", b"is", b"t")
SCAN_CHUNK = 1024 * 1024


@dataclass
class _Tally:
    """The elements of one part, by name, and the most cells in one row so far."""

    names: Counter[bytes] = field(default_factory=Counter)
    widest_row: int = 0
    row_cells: int = 0

    def add(self, names: list[bytes], sheet: bool) -> None:
        self.names.update(names)
        if not sheet:
            return
        for name in names:
            if name == b"c":
                self.row_cells += 1
            elif name == b"row":
                self.widest_row = max(self.widest_row, self.row_cells)
                self.row_cells = 0
        self.widest_row = max(self.widest_row, self.row_cells)


def _check_workbook(archive: zipfile.ZipFile, deadline: float) -> None:
    """ImportFileError if any part of the workbook is too large or holds too much to parse."""
    parts = archive.infolist()
    if len(parts) > MAX_ENTRIES:
        raise ImportFileError(
            f"This workbook holds {len(parts):,} files packed together; the limit is "
            f"{MAX_ENTRIES:,}. {SAVE_AS_CSV}"
        )
    total = sum(part.file_size for part in parts)
    for part in parts:
        limit = _byte_limit(part.filename)
        if part.file_size > limit:
            raise ImportFileError(
                f"This workbook unpacks to {_megabytes(total, limit)} MB, "
                f"{_megabytes(part.file_size, limit)} MB of it in one part ({part.filename}); "
                f"the limit for that part is {limit // MB} MB. {SAVE_AS_CSV}"
            )
    if total > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            f"This workbook unpacks to {_megabytes(total, MAX_UNPACKED_BYTES)} MB; the limit "
            f"is {MAX_UNPACKED_BYTES // MB} MB. {SAVE_AS_CSV}"
        )
    for part in parts:
        _check_part(archive, part, deadline)


def _byte_limit(name: str) -> int:
    if _is_sheet(name):
        return MAX_SHEET_BYTES
    if name == "xl/sharedStrings.xml":
        return MAX_SHARED_STRINGS_BYTES
    return MAX_PART_BYTES


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _check_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, deadline: float) -> None:
    """Count the part's elements as it unpacks, a chunk at a time, and stop at the first limit
    it passes. A part openpyxl would read elsewhere than where Excel puts it gets the strictest
    limits, those of "any other part"."""
    tally, sheet, rest = _Tally(), _is_sheet(part.filename), b""
    with archive.open(part) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            if time.monotonic() > deadline:
                raise ImportFileError(_too_slow())
            data = rest + chunk
            # An element cut in two by the chunk is counted with the next one.
            cut = data.rfind(b"<", max(0, len(data) - 256))
            cut = len(data) if cut == -1 else cut
            tally.add(START_TAG_RE.findall(data, 0, cut), sheet)
            rest = data[cut:]
            _check_tally(part.filename, tally, sheet)
    tally.add(START_TAG_RE.findall(rest), sheet)
    _check_tally(part.filename, tally, sheet)


def _check_tally(name: str, tally: _Tally, sheet: bool) -> None:
    counts, elements = tally.names, tally.names.total()
    limit = MAX_PART_ELEMENTS
    if sheet:
        if counts[b"row"] > MAX_SHEET_ROWS:
            raise ImportFileError(
                f"A sheet of this workbook has more than {MAX_SHEET_ROWS:,} rows, counting the "
                "empty ones Excel keeps for their formatting. Delete the rows below the list, "
                "or save it as CSV UTF-8 and upload that file."
            )
        if counts[b"c"] > MAX_CELLS:
            raise ImportFileError(
                f"A sheet of this workbook has more than {MAX_CELLS:,} cells, counting empty "
                f"ones that are formatted. {SAVE_AS_CSV}"
            )
        if tally.widest_row > MAX_ROW_CELLS:
            raise ImportFileError(
                f"A sheet of this workbook has more than {MAX_ROW_CELLS:,} cells in one row, "
                f"counting empty ones that are formatted. {SAVE_AS_CSV}"
            )
        elements -= counts[b"row"] + counts[b"c"] + sum(counts[n] for n in CELL_PARTS)
    elif name == "xl/sharedStrings.xml":
        if counts[b"si"] > MAX_SHARED_STRINGS:
            raise ImportFileError(
                f"This workbook holds more than {MAX_SHARED_STRINGS:,} different texts. "
                f"{SAVE_AS_CSV}"
            )
        limit = MAX_SHARED_STRINGS * MAX_ELEMENTS_PER_TEXT
    if elements > limit:
        raise ImportFileError(
            f"This workbook is built in an unusual way: one part ({name}) holds more than "
            f"{limit:,} XML elements. Open it in Excel and save it again, or save the list as "
            "CSV UTF-8."
        )


def _megabytes(size: int, limit: int | None = None) -> str:
    """A size in whole megabytes, or to a tenth where whole ones would equal the limit."""
    shown = round(size / MB)
    if limit is not None and size > limit and shown <= limit // MB:
        return f"{math.ceil(size * 10 / MB) / 10:.1f}"
    return f"{shown:,}"


def _too_slow() -> str:
    return (
        f"The workbook took more than {MAX_SECONDS} seconds to read, so Liaison stopped. "
        f"{SAVE_AS_CSV}"
    )


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or a year typed as a number
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# Both


def _table(records: list[tuple[int, list[str]]], encoding: str) -> Table:
    records = [(number, cells) for number, cells in records if any(cells)]
    if not records:
        raise ImportFileError(
            "The file is empty. Export the list again with the column names in the first row."
        )
    header_number, header = records[0]
    while header and not header[-1]:
        header.pop()  # trailing empty columns, as Excel often leaves them
    for index, name in enumerate(header):
        if len(name) > MAX_HEADER_LENGTH:
            raise ImportFileError(
                f"The name of column {column_letter(index + 1)} (row {header_number}) is longer "
                f"than {MAX_HEADER_LENGTH} characters. Is the first row the column names?"
            )
    rows = []
    for number, cells in records[1:]:
        extra = cells[len(header) :]
        if any(extra):
            position = len(header) + next(i for i, cell in enumerate(extra) if cell) + 1
            raise ImportFileError(
                f"Row {number} has a value in column {column_letter(position)}, which has no "
                f"name in the header (row {header_number}). Name the column or delete the value."
            )
        rows.append((number, cells[: len(header)] + [""] * (len(header) - len(cells))))
    if not rows:
        raise ImportFileError("The file has the column names but no rows to import.")
    return Table(header=header, rows=rows, encoding=encoding)


def _too_many_columns(row_number: int, count: int) -> str:
    return f"Row {row_number} has {count:,} columns; the limit is {MAX_COLUMNS}."


def _too_many_rows() -> str:
    return (
        f"The file has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}. "
        "Split it into smaller files."
    )
