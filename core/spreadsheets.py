"""Spreadsheet writers: rows as a streamed CSV or an Excel workbook, safe to open.

Every cell a spreadsheet could run as a formula is defused (CSV injection); CSV starts with a
byte-order mark so that Excel reads UTF-8; dates and numbers stay typed in .xlsx. Used by the list
exports (transfer) and the reports' CSV files.
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# An Excel file up to this size stays in memory; a bigger one goes to a temporary file on disk.
SPOOL_SIZE = 4 * 1024 * 1024
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a row definition may put in a cell. Dates and numbers stay typed, so that Excel can sort
# and add them up; the CSV writer spells them out.
Value = str | int | Decimal | bool | dt.date | dt.time | None
Row = Sequence[Value]


def defuse(text: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# --- Writers -------------------------------------------------------------------------------


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        return defuse(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Row]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark tells Excel the file is UTF-8, so accents show correctly.
    yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def csv_response(
    header: Sequence[str], rows: Iterable[Row], *, filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(sheet: WriteOnlyWorksheet, value: Value) -> object:
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        # Control characters are not allowed in the file format (openpyxl refuses them).
        text = defuse(ILLEGAL_CHARACTERS_RE.sub("", value))
        if text in ERROR_CODES:
            # "#N/A" typed as a subject is text, not Excel's error value.
            cell = WriteOnlyCell(sheet, text)
            cell.data_type = "s"
            return cell
        return text
    if isinstance(value, dt.time):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "hh:mm"
        return cell
    return value


def xlsx_file(
    header: Sequence[str], rows: Iterable[Row], *, title: str
) -> tempfile.SpooledTemporaryFile:
    """The rows as an Excel workbook of one sheet, in a temporary file rewound to its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 4)
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = WriteOnlyCell(sheet, name)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_SIZE)  # noqa: SIM115 (FileResponse closes it)
    workbook.save(file)
    file.seek(0)
    return file


def xlsx_response(
    header: Sequence[str], rows: Iterable[Row], *, title: str, filename: str
) -> FileResponse:
    file = xlsx_file(header, rows, title=title)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
