"""Spreadsheet bombs: a small .xlsx that unpacks into something huge is measured and refused
before anything parses it, and a file is read once, at upload, never again on each preview."""

import io
import itertools
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from transfer import parsing
from transfer.models import ImportRun
from transfer.parsing import ImportFileError, read_table
from transfer.tests.helpers import (
    ORGANIZATION_HEADER,
    confirm,
    csv_bytes,
    organization_rows,
    preview,
    upload,
    upload_run,
)
from transfer.tests.workbooks import (
    MAIN,
    shared_strings,
    shared_strings_bomb,
    sheet_xml,
    table_workbook,
    workbook,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PARTNERS = [["Organisation", "Website"], ["Eastside Clinic", "https://eastside.example.org"]]


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


def test_a_shared_strings_bomb_is_refused_within_seconds_and_nothing_is_stored(
    manager_client, media_root
):
    # 97 MB of shared strings in a file of a few hundred kilobytes: the upload that held a web
    # worker for 40 seconds and 570 MB.
    bomb = shared_strings_bomb(97)
    assert len(bomb) < 600 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 96 * 1024 * 1024

    started = time.monotonic()
    response = upload(manager_client, bomb, name="partners.xlsx")
    elapsed = time.monotonic() - started

    assert elapsed < 5
    assert response.status_code == 200
    message = response.context["form"].errors["file"][0]
    assert message.startswith("This workbook unpacks to 97 MB")
    assert "xl/sharedStrings.xml" in message and "Save it as CSV UTF-8" in message
    assert ImportRun.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_workbook_as_excel_writes_it_still_imports(manager_client):
    run = upload_run(manager_client, table_workbook(PARTNERS), name="partners.xlsx")
    assert preview(manager_client, run).context["encoding"] == "Excel workbook"
    confirm(manager_client, run)
    run.refresh_from_db()
    assert (run.status, run.created_count) == (ImportRun.Status.DONE, 1)


def _sheet(*pieces: bytes) -> Iterator[bytes]:
    """A sheet of a header and one row, then `pieces` inside that row (close it to add rows)."""
    yield f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c>'
    yield from pieces
    yield b"</row></sheetData></worksheet>"


def _with_sheet(*pieces: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    return workbook(sheet=_sheet(*pieces), strings=shared_strings(["Name", "A"], 2), extra=extra)


def one_part_too_large() -> bytes:
    return shared_strings_bomb(30)


def too_large_in_all() -> bytes:
    # Each sheet is under the limit for one part; together they are not.
    blank = b" " * (parsing.MAX_SHEET_BYTES - 1024)
    return _with_sheet(extra={f"xl/worksheets/sheet{i}.xml": blank for i in (2, 3, 4)})


def too_many_parts() -> bytes:
    out = io.BytesIO(table_workbook(PARTNERS))
    with zipfile.ZipFile(out, "a") as archive:
        for index in range(parsing.MAX_ENTRIES):
            archive.writestr(f"customXml/item{index}.xml", b"<a/>")
    return out.getvalue()


def too_many_shared_strings() -> bytes:
    count = parsing.MAX_SHARED_STRINGS + 1
    return workbook(
        sheet=sheet_xml([["Name"], ["A"]]), strings=shared_strings(["x"] * count, count)
    )


def prefixed_shared_strings() -> bytes:
    """The same, written with a namespace prefix (<x:si>), as some generators do."""
    count = parsing.MAX_SHARED_STRINGS + 1
    return workbook(
        sheet=sheet_xml([["Name"], ["A"]]),
        strings=[
            f'<x:sst xmlns:x="{MAIN}">'.encode(),
            b"<x:si><x:t>a</x:t></x:si>" * count,
            b"</x:sst>",
        ],
    )


def too_many_rows() -> bytes:
    return _with_sheet(b"</row>", b"<row/>" * parsing.MAX_SHEET_ROWS, b"<row>")


def too_many_cells() -> bytes:
    row = b"</row><row>" + b"<c/>" * parsing.MAX_ROW_CELLS
    return _with_sheet(*itertools.repeat(row, parsing.MAX_CELLS // parsing.MAX_ROW_CELLS + 1))


def row_too_wide() -> bytes:
    return _with_sheet(b"<x:c xmlns:x='%s'/>" % MAIN.encode() * (parsing.MAX_ROW_CELLS + 1))


def too_many_styles() -> bytes:
    count = parsing.MAX_PART_ELEMENTS + 1
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs count="{count}">'.encode()
    styles += b"<xf/>" * count + b"</cellXfs></styleSheet>"
    return _with_sheet(extra={"xl/styles.xml": styles})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (one_part_too_large, r"^This workbook unpacks to 30 MB, 30 MB of it in one part "),
        (too_large_in_all, r"^This workbook unpacks to 90 MB; the limit is 60 MB\. Save it "),
        (too_many_parts, r"files packed together; the limit is 1,000\. Save it as CSV UTF-8"),
        (too_many_shared_strings, "more than 200,000 different texts"),
        (prefixed_shared_strings, "more than 200,000 different texts"),
        (too_many_rows, "more than 100,000 rows"),
        (too_many_cells, "more than 500,000 cells"),
        (row_too_wide, "more than 1,000 cells in one row"),
        (too_many_styles, r"one part \(xl/styles\.xml\) holds more than 300,000"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_workbooks_too_large_to_read_are_refused_before_parsing(content, message):
    data = content()
    assert len(data) < parsing.MAX_BYTES
    started = time.monotonic()
    with pytest.raises(ImportFileError, match=message):
        read_table(data)
    assert time.monotonic() - started < 5


def test_reading_a_workbook_stops_at_the_deadline(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_SECONDS", 0)
    with pytest.raises(ImportFileError, match="took more than 0 seconds to read"):
        read_table(table_workbook(PARTNERS))


def test_the_file_is_read_once_at_upload_and_never_again(manager_client, monkeypatch):
    content = csv_bytes([ORGANIZATION_HEADER, *organization_rows(3)])
    run = upload_run(manager_client, content)
    assert run.table is not None
    assert run.table["header"] == ORGANIZATION_HEADER
    assert [number for number, _ in run.table["rows"]] == [2, 3, 4]

    def no_reading(data: bytes) -> None:
        raise AssertionError("the stored file was read again")

    monkeypatch.setattr(parsing, "read_table", no_reading)
    plan = preview(manager_client, run).context["plan"]
    assert len(plan.new) == 3
    url = reverse("transfer:import_detail", args=[run.pk])
    mapping = {f"column_{i}": key for i, key in enumerate(run.mapping)}
    assert manager_client.post(url, mapping).status_code == 302
    response = confirm(manager_client, run)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.created_count == 3
    # The rows are the file's: once imported, the copy has done its work.
    assert run.table is None


def test_a_preview_uploaded_before_tables_were_kept_reads_its_file_once(
    manager_client, monkeypatch
):
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(2)]))
    ImportRun.objects.filter(pk=run.pk).update(table=None)
    reads = []
    read = parsing.read_table

    def counted_read(data: bytes) -> parsing.Table:
        reads.append(1)
        return read(data)

    monkeypatch.setattr(parsing, "read_table", counted_read)

    for _ in range(3):
        assert len(preview(manager_client, run).context["plan"].new) == 2

    assert reads == [1]
    run.refresh_from_db()
    assert run.table is not None and len(run.table["rows"]) == 2


def test_a_workbook_whose_parts_cannot_be_unpacked_is_refused_as_damaged():
    # Every part marked encrypted: zipfile refuses to unpack it while measuring it.
    data = bytearray(table_workbook(PARTNERS))
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        data[entry + 8] |= 1  # general purpose flag, bit 0: encrypted
        entry = data.find(b"PK\x01\x02", entry + 4)
    with pytest.raises(ImportFileError, match="damaged"):
        read_table(bytes(data))
