"""Excel workbooks written part by part, the way Excel itself writes them (shared strings and
all), to build the small files that unpack into huge ones."""

import io
import itertools
import zipfile
from collections.abc import Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="{CONTENT_TYPES}">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEET}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/>
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Target="xl/workbook.xml"
Type="{RELATIONSHIPS}/officeDocument"/></Relationships>"""
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>
<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{PACKAGE}">
<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def sheet_xml(rows: list[list[str]]) -> bytes:
    """A worksheet whose cells are the given texts, as indexes into the shared strings
    (row after row, left to right: the first text is string 0)."""
    out, index = [], 0
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, _ in enumerate(row):
            cells.append(f'<c r="{_column(column)}{number}" t="s"><v>{index}</v></c>')
            index += 1
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(out)}</sheetData></worksheet>'.encode()


def shared_strings(texts: Iterable[str], count: int) -> Iterable[bytes]:
    yield f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
    for text in texts:
        yield f"<si><t>{text}</t></si>".encode()
    yield b"</sst>"


def workbook(
    *,
    sheet: bytes | Iterable[bytes],
    strings: Iterable[bytes],
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """An .xlsx with one sheet and its shared strings, each part written in pieces (so a part
    of a hundred megabytes never sits in memory whole) and compressed as hard as zip can."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, pieces in [
            ("xl/worksheets/sheet1.xml", [sheet] if isinstance(sheet, bytes) else sheet),
            ("xl/sharedStrings.xml", strings),
        ]:
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    part.write(piece)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def table_workbook(rows: list[list[str]]) -> bytes:
    """A normal small workbook as Excel writes it: every text in the shared strings."""
    texts = [text for row in rows for text in row]
    return workbook(sheet=sheet_xml(rows), strings=shared_strings(texts, len(texts)))


def shared_strings_bomb(megabytes: int, text: str = "xx") -> bytes:
    """A workbook of a few hundred kilobytes whose shared strings unpack to `megabytes` MB:
    the same short text over and over, which deflate packs about 400 to 1."""
    item = f"<si><t>{text}</t></si>".encode()
    count = megabytes * 1024 * 1024 // len(item)
    per_piece = 10_000
    pieces = (item * per_piece for _ in range(count // per_piece))
    header = f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
    return workbook(
        sheet=sheet_xml([["Name"], ["Partner"]]),
        strings=itertools.chain([header], pieces, [b"</sst>"]),
    )
