"""Survey CSV files: reading them strictly and summarising their columns.

Pure functions over bytes, text and lists: no models, no storage. The service
(programs.services.surveys) reads the upload, calls `read_survey` and `summarise`, and stores
nothing unless both succeed.

What is read: UTF-8 text with or without a byte-order mark (Google Forms, Microsoft Forms,
SurveyMonkey and Excel's "CSV UTF-8" all write that), separated by commas, or by semicolons or
tabs when the header row has no comma but does have those (Excel in many European locales).
The first non-empty row names the columns; every later non-empty row is one response. Rows are
numbered as a spreadsheet shows them: blank rows count, a quoted value running over several
lines is one row.

What is summarised, column by column (one summary line each):
- numeric: every answer is a number ("4", "4.5", "-2", "75%"; "." decimals only, so "4,5" is
  text). Count, blanks, mean, min and max; when the answers are whole numbers within a span of
  at most 11 values (a 1–5 or 0–10 rating scale), also the distribution, lowest value first.
- choice: not numeric, at most 12 different answers, none longer than 100 characters, and
  answers repeat (at most 7 different answers per 10 given). The distribution, most frequent
  first (ties in the order they first appear in the file).
Everything else is left out: free text, timestamps, email addresses and names (their answers
rarely repeat), and identity columns recognised by their name ("ID", "Respondent ID",
"Timestamp", "Email Address"…), which would otherwise pass as numbers or choices.

A cell holding several answers ("Books;Databases" from a checkbox question) counts as one
answer, exactly as written: splitting would guess wrongly at commas inside answers, and the
combination is what the respondent ticked.
"""

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core import tabular
from core.rows import plural
from core.tabular import MB, column_letter, csv_error_message, sniff_delimiter

MAX_BYTES = 5 * MB
MAX_RESPONSES = 20_000
# Far more than any survey; bounds the work (and the stored summary) of a tampered file.
MAX_COLUMNS = 500
MAX_NAME_LENGTH = 1000
MAX_CHOICES = 12
MAX_CHOICE_LENGTH = 100
# Whole numbers spanning at most this (0–10 is the widest common rating scale) get a
# distribution as well as a mean.
MAX_SCALE_SPAN = 10
# Room for the metric of an Outcome (Outcome.metric max_length).
METRIC_LENGTH = 200

NUMBER_RE = re.compile(r"([+-]?(?:\d{1,15}(?:\.\d{0,15})?|\.\d{1,15}))\s*(%?)")
# Columns survey tools add about the respondent or the response rather than an answer.
IDENTITY_NAMES = frozenset(
    {
        "id",
        "timestamp",
        "time stamp",
        "date",
        "time",
        "start date",
        "end date",
        "start time",
        "end time",
        "completion time",
        "last modified time",
        "submitted at",
        "submission date",
        "date submitted",
        "email",
        "email address",
        "e mail",
        "e mail address",
        "name",
        "full name",
        "first name",
        "last name",
        "ip address",
        "phone",
        "phone number",
        "zip",
        "zip code",
        "postal code",
    }
)
IDENTITY_SUFFIXES = (" id", " email", " email address", " ip address")
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")


class SurveyFileError(ValueError):
    """A file Liaison cannot read; the message is written for the librarian."""


@dataclass(frozen=True)
class SurveyTable:
    """The column names and the non-empty responses, every cell stripped of spaces."""

    header: list[str]
    rows: list[list[str]]


# Reading


def size_error(size: int) -> str | None:
    """The message for a file over the limit, from its size alone (nothing is read)."""
    return tabular.size_error(size, MAX_BYTES)


def read_survey(data: bytes) -> SurveyTable:
    """The header and responses of a survey CSV, or SurveyFileError naming row and column."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    row_number = 0
    try:
        for row_number, raw in enumerate(reader, start=1):
            cells = [cell.strip() for cell in raw]
            if not any(cells):
                continue
            if header is None:
                header = _checked_header(cells, row_number)
                continue
            if len(cells) != len(header):
                raise SurveyFileError(
                    f"Row {row_number} has {plural(len(cells), 'value')} "
                    f"but the header has {plural(len(header), 'column')}."
                )
            if len(rows) == MAX_RESPONSES:
                raise SurveyFileError(
                    f"The file has more than {MAX_RESPONSES:,} responses; the limit is "
                    f"{MAX_RESPONSES:,}. Split it into smaller files."
                )
            rows.append(cells)
    except csv.Error as error:
        raise SurveyFileError(csv_error_message(str(error), row_number + 1)) from None
    if header is None:
        raise SurveyFileError(
            "The file is empty. Export the survey responses as CSV, with the questions in "
            "the first row."
        )
    if not rows:
        raise SurveyFileError("The file has a header row but no responses.")
    return SurveyTable(header=header, rows=rows)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SurveyFileError("The file is UTF-16 text. Export it again as CSV UTF-8.")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise SurveyFileError(
            "This is a spreadsheet workbook (or another packed file), not a CSV file. "
            "Save it as CSV UTF-8 and upload that file."
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    if nul != -1:
        raise SurveyFileError(
            f"The file holds binary data ({_place(data, nul)}), so it is not a CSV file. "
            "Export the survey responses as CSV UTF-8."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SurveyFileError(
            "The file is not UTF-8 text. Export it again as CSV UTF-8. "
            f"(The first character that is not UTF-8 is in {_place(data, error.start)}.)"
        ) from None


def _place(data: bytes, position: int) -> str:
    """'row 3, column 2 (“Comments”)' for a byte offset, counted as read_survey counts."""
    text = data[:position].decode("utf-8", errors="replace")
    try:
        # The marker closes the prefix's last row without ending it: that row is the one.
        records = list(
            csv.reader(io.StringIO(text + "x", newline=""), delimiter=sniff_delimiter(text))
        )
    except csv.Error:
        return f"line {text.count(chr(10)) + 1}"
    row, column = len(records), len(records[-1])
    header = next((r for r in records[:-1] if any(c.strip() for c in r)), None)
    if header is not None and column <= len(header) and header[column - 1].strip():
        return f"row {row}, column {column} (“{_short(header[column - 1].strip())}”)"
    return f"row {row}, column {column}"


def _checked_header(cells: list[str], row_number: int) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        raise SurveyFileError(f"The file has {len(cells)} columns; the limit is {MAX_COLUMNS}.")
    numbers = [cell for cell in cells if _number(cell) is not None]
    if numbers and len(numbers) * 2 >= len(cells):
        examples = ", ".join(_short(n) for n in numbers[:3])
        raise SurveyFileError(
            f"Row {row_number} should name the columns, but it holds answers ({examples}). "
            "Export the file again with the header row, or add one with the questions."
        )
    seen: dict[str, int] = {}
    for number, name in enumerate(cells, start=1):
        where = f"{number} ({column_letter(number)})"
        if not name:
            raise SurveyFileError(
                f"Column {where} has no name in the header (row {row_number}). "
                "Give every column a name, or delete the empty column."
            )
        if len(name) > MAX_NAME_LENGTH:
            raise SurveyFileError(
                f"The name of column {where} is longer than {MAX_NAME_LENGTH:,} characters."
            )
        key = name.casefold()
        if key in seen:
            first = seen[key]
            raise SurveyFileError(
                f"Columns {first} ({column_letter(first)}) and {where} are both named "
                f"“{_short(name)}”. Give each column its own name."
            )
        seen[key] = number
    return cells


# Summarising


def summarise(table: SurveyTable) -> list[dict[str, Any]]:
    """One summary line per numeric or choice column, in the order of the file."""
    responses = len(table.rows)
    lines = []
    for index, name in enumerate(table.header):
        answers = [row[index] for row in table.rows if row[index]]
        line = summarise_column(name, index + 1, answers, responses)
        if line is not None:
            lines.append(line)
    return lines


def summarise_column(
    name: str, number: int, answers: list[str], responses: int
) -> dict[str, Any] | None:
    """The summary line of one column (`number` is 1-based), or None when it is left out."""
    if not answers or _is_identity(name):
        return None
    line: dict[str, Any] = {
        "index": number,
        "column": name,
        "count": len(answers),
        "blanks": responses - len(answers),
    }
    numbers = [_number(answer) for answer in answers]
    if None not in numbers:
        return {**line, "kind": "numeric", **_numeric_summary(answers)}
    counts = Counter(answers)
    distinct = len(counts)
    if (
        distinct > MAX_CHOICES
        or distinct * 10 > len(answers) * 7
        or max(len(answer) for answer in counts) > MAX_CHOICE_LENGTH
    ):
        return None  # free text, dates, names: the answers hardly repeat
    # most_common sorts stably: equal counts keep the order they first appear in.
    return {
        **line,
        "kind": "choice",
        "distribution": _distribution(counts.most_common(), len(answers)),
    }


def _numeric_summary(answers: list[str]) -> dict[str, Any]:
    numbers = [Decimal(match[1]) for match in map(NUMBER_RE.fullmatch, answers) if match]
    low, high = min(numbers), max(numbers)
    mean = (sum(numbers, Decimal(0)) / len(numbers)).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)
    summary: dict[str, Any] = {
        "mean": float(mean),
        "min": _json_number(low),
        "max": _json_number(high),
        "unit": "%" if all(answer.endswith("%") for answer in answers) else "",
        "distribution": [],
    }
    whole = all(value == value.to_integral_value() for value in numbers)
    if whole and high - low <= MAX_SCALE_SPAN:
        counts = Counter(int(value) for value in numbers)
        summary["distribution"] = _distribution(
            [(str(value), counts[value]) for value in sorted(counts)], len(numbers)
        )
    return summary


def _distribution(counts: Iterable[tuple[str, int]], answered: int) -> list[dict[str, Any]]:
    # A list, not a {value: count} object: PostgreSQL's jsonb does not keep key order.
    return [
        {"value": value, "count": count, "percent": float(percent(count, answered))}
        for value, count in counts
    ]


def percent(part: int, whole: int) -> Decimal:
    """part of whole in percent, to one decimal place."""
    return (Decimal(part * 100) / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _number(text: str) -> Decimal | None:
    match = NUMBER_RE.fullmatch(text)
    return None if match is None else Decimal(match[1])


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _is_identity(name: str) -> bool:
    key = " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold()).split())
    return key in IDENTITY_NAMES or key.endswith(IDENTITY_SUFFIXES)


# Turning a summary line into an Outcome


def find_line(summary: list[dict[str, Any]], column: str | None) -> dict[str, Any] | None:
    """The line of ?column=N (1-based column number), or None for anything else."""
    if not column or not column.isdigit() or len(column) > 6:
        return None
    number = int(column)
    return next((line for line in summary if line.get("index") == number), None)


def chosen_values(line: dict[str, Any], wanted: Iterable[str]) -> tuple[list[str], list[str]]:
    """The wanted answers that the line has (in its own order) and those it has not."""
    wanted = list(wanted)
    known = [item["value"] for item in line.get("distribution", [])]
    chosen = [value for value in known if value in wanted]
    unknown = list(dict.fromkeys(value for value in wanted if value not in known))
    return chosen, unknown


def outcome_prefill(line: dict[str, Any], chosen: list[str]) -> dict[str, Any] | None:
    """Metric, value, unit and a note for an Outcome from a summary line: the percent of
    answers among `chosen`, or the mean of a numeric column when nothing is chosen.

    None for a choice column with nothing chosen: there is no number to record yet.
    """
    answered = line["count"]
    if chosen:
        counts = {item["value"]: item["count"] for item in line["distribution"]}
        share = sum(counts[value] for value in chosen)
        answers = _or_list([_phrase(value) for value in chosen])
        return {
            "metric": _fit("“", line["column"], f"”: {answers}"),
            "value": percent(share, answered),
            "unit": "%",
            "note": f"{share} of the {answered} people who answered chose {answers}.",
        }
    if line["kind"] == "numeric":
        return {
            "metric": _fit("Mean of “", line["column"], "”"),
            "value": Decimal(str(line["mean"])),
            "unit": line.get("unit", ""),
            "note": f"Mean of {answered} answers, from {line['min']} to {line['max']}.",
        }
    return None


def _fit(before: str, name: str, after: str) -> str:
    """before + name + after, the name shortened so that the metric fits its field."""
    room = METRIC_LENGTH - len(before) - len(after)
    if len(name) > room:
        name = name[: max(room - 1, 20)].rstrip() + "…"
    metric = before + name + after
    return metric if len(metric) <= METRIC_LENGTH else metric[: METRIC_LENGTH - 1] + "…"


def _phrase(value: str) -> str:
    """'Strongly agree' reads as 'strongly agree' inside a sentence; 'I agree' and
    'Main Library' stay as written."""
    first_word = value.split()[0] if value.split() else ""
    if len(first_word) > 1 and value[:1].isupper() and value[1:] == value[1:].lower():
        return value[0].lower() + value[1:]
    return value


def _or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
