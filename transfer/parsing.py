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
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from core import tabular
from core.tabular import MB, column_letter, csv_error_message, sniff_delimiter

MAX_BYTES = 5 * MB
MAX_ROWS = 20_000
# More than any export of organizations or contacts has; each column gets a select to map it.
MAX_COLUMNS = 100
MAX_HEADER_LENGTH = 200
# An .xlsx is zipped XML: what it unpacks to is bounded too, so a small file cannot expand
# into gigabytes ("zip bomb").
MAX_UNPACKED_BYTES = 100 * MB
# Characters no text file has: a file holding them is binary, whatever its encoding.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(
            "The file looks like a workbook but is damaged. Open it in Excel and save it again."
        ) from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            "This is a packed file (OpenDocument, Word or a zip archive), not an Excel workbook. "
            "Save the list as an Excel workbook (.xlsx) or as CSV UTF-8."
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            "The workbook unpacks to more than "
            f"{MAX_UNPACKED_BYTES // MB} MB. Save the list as CSV UTF-8 instead."
        )
    records: list[tuple[int, list[str]]] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The size a workbook declares can be a lie ("A1:XFD1048576"); read what is there.
            sheet.reset_dimensions()
            for row in sheet.iter_rows():
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
