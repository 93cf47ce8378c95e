"""Reading uploaded files: the encodings and formats Liaison reads, and clear refusals."""

import datetime as dt
import io
import re
import zipfile

import pytest

from transfer.parsing import ImportFileError, read_table
from transfer.tests.helpers import csv_bytes, xlsx_bytes


def xlsx_with_escape(escape: str) -> bytes:
    """A workbook with `escape` written into cell B2's XML as it is."""
    content = xlsx_bytes([["Name", "x"], ["A", "bell MARK"]])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(b"MARK", escape.encode()))
    return out.getvalue()


def test_utf8_is_tried_before_windows_1252():
    # "Ã©" in Windows-1252 is the UTF-8 encoding of "é": read as UTF-8, it stays "é".
    table = read_table("Name\r\nJosé\r\n".encode())
    assert (table.rows, table.encoding) == ([(2, ["José"])], "UTF-8")
    table = read_table("Name\r\nJosé Peña\r\n".encode("cp1252"))
    assert (table.rows, table.encoding) == ([(2, ["José Peña"])], "Windows-1252")


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    content = b'\r\nName,Notes\r\nA,"two\r\nlines"\r\n\r\n,\r\nB,\r\n'
    table = read_table(content)
    assert table.header == ["Name", "Notes"]
    assert table.rows == [(3, ["A", "two\r\nlines"]), (6, ["B", ""])]


def test_semicolon_separated_files_and_trailing_empty_columns():
    table = read_table(b"Name;Phone;;\r\nA;555-0101;;\r\n")
    assert table.header == ["Name", "Phone"]
    assert table.rows == [(2, ["A", "555-0101"])]


def test_workbook_values_are_read_as_text():
    content = xlsx_bytes(
        [
            ["Name", "Phone", "Since", "Active", None],
            ["Library Friends", 5550102030, dt.datetime(2026, 3, 1), True],
            [],
            ["Second", "555-0101", None, False],
        ]
    )
    table = read_table(content)
    assert (table.header, table.encoding) == (
        ["Name", "Phone", "Since", "Active"],
        "Excel workbook",
    )
    assert table.rows == [
        (2, ["Library Friends", "5550102030", "2026-03-01", "yes"]),
        (4, ["Second", "555-0101", "", "no"]),
    ]


def test_a_workbook_that_claims_a_huge_size_is_read_as_it_is():
    content = xlsx_bytes([["Name"], ["A"]])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes `<dimension ref="A1:A2" />`, or without the space with lxml.
                data = re.sub(
                    rb'<dimension ref="A1:A2"\s*/>', b'<dimension ref="A1:XFD1048576" />', data
                )
                assert b"XFD1048576" in data
            target.writestr(info, data)
    assert read_table(out.getvalue()).rows == [(2, ["A"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b" \r\n\r\n", "The file is empty."),
        (b"Name\r\nA\x07B\r\n", "control characters"),
        (csv_bytes([["x" * 300], ["A"]]), "longer than 200 characters"),
        (b"Name\r\n" + b"A\r\n" * 20_001, "more than 20,000 rows"),
        (xlsx_with_escape("&#7;"), "The workbook cannot be read"),
        (xlsx_bytes([["Name"], [None] * 150 + ["far"]]), "the limit is 100"),
        (xlsx_bytes([["Name"]]), "no rows to import"),
    ],
    ids=[
        "blank",
        "control",
        "long-header",
        "too-many-rows",
        "xlsx-invalid-xml",
        "xlsx-wide",
        "xlsx-header-only",
    ],
)
def test_files_that_cannot_be_imported_say_why(content, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(content)


def test_other_packed_files_are_not_workbooks():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    with pytest.raises(ImportFileError, match="OpenDocument"):
        read_table(out.getvalue())


def test_a_zip_bomb_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"\x20" * (101 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    # Each part is measured: a total limit alone let 97 MB of shared strings through.
    with pytest.raises(ImportFileError, match=r"unpacks to 101 MB, 101 MB of it in one part"):
        read_table(out.getvalue())
