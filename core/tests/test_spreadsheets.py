"""Spreadsheet exports never hand Excel a formula: each trigger character is defused in both
the CSV and the .xlsx writer, whatever follows it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.spreadsheets import csv_lines, xlsx_file

# Each character a spreadsheet may take as the start of a formula, then a formula.
FORMULAS = {
    "equals": '=HYPERLINK("http://evil.example","Click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(A1:A9)",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
}


def csv_cells(rows: list[list[str]]) -> list[list[str]]:
    text = "".join(csv_lines(["Name"], rows)).removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def xlsx_cells(rows: list[list[str]]) -> list:
    sheet = load_workbook(xlsx_file(["Name"], rows, title="Export")).active
    assert sheet is not None
    return [cell for (cell,) in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("text", FORMULAS.values(), ids=FORMULAS.keys())
def test_a_csv_cell_that_could_run_as_a_formula_is_text(text):
    assert csv_cells([[text]]) == [["'" + text]]


@pytest.mark.parametrize("text", FORMULAS.values(), ids=FORMULAS.keys())
def test_an_xlsx_cell_that_could_run_as_a_formula_is_text(text):
    (cell,) = xlsx_cells([[text]])
    assert cell.data_type == "s"
    assert cell.value == "'" + text


def test_ordinary_text_is_left_as_it_is():
    texts = ["Riverside Clinic", "Dana (555) 010-2030", "a=b", "Room 2\r\nupstairs"]
    assert csv_cells([[t] for t in texts]) == [[t] for t in texts]
    assert [cell.value for cell in xlsx_cells([[t] for t in texts])] == texts
