"""Reading tabular uploads (a survey's CSV, an import's spreadsheet): one home for the parts
they share — size limits checked while reading, the CSV dialect, messages naming rows and
columns as a spreadsheet shows them, and the uploaded file's name made safe to display.

Each reader (programs.surveys, transfer.parsing) keeps its own limits and its own rules about
what a file must hold; these helpers take the limit as an argument.
"""

import csv
import math
import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MB = 1024 * 1024


def size_error(size: int, limit: int) -> str | None:
    """The message for a file over `limit` bytes, from its size alone (nothing is read)."""
    if size <= limit:
        return None
    # Rounded up, so a file just over the limit never reads as "5.0 MB; the limit is 5 MB".
    megabytes = math.ceil(size * 10 / MB) / 10
    return f"The file is {megabytes:.1f} MB; the limit is {limit // MB} MB."


def read_upload(upload: UploadedFile, limit: int) -> bytes:
    """The uploaded file's bytes, or ValidationError({"file": …}) when it is over `limit`:
    refused from its reported size before a byte is read, and while reading otherwise."""
    too_large = size_error(upload.size or 0, limit)
    if too_large:
        raise ValidationError({"file": too_large}, code="too_large")
    return read_within_limit(upload, limit)


def read_within_limit(upload: UploadedFile, limit: int) -> bytes:
    """The whole file, stopping as soon as it turns out larger than `limit`.

    Raises ValidationError({"file": …}): the reported size can be wrong, the bytes cannot.
    """
    upload.seek(0)
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise ValidationError(
                {"file": f"The file is larger than the limit of {limit // MB} MB."},
                code="too_large",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def upload_name(name: str | None, *, default: str, length: int | None) -> str:
    """The uploaded file's own name, for display only: no path, nothing unprintable, at most
    `length` characters (None: any length)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(char for char in name if char.isprintable()).strip() or default
    return name[:length]


def sniff_delimiter(text: str) -> str:
    """Comma, unless the header row has none and does have semicolons or tabs."""
    first = next((line for line in text.splitlines() if line.strip()), "")

    def fields(delimiter: str) -> int:
        return len(next(csv.reader([first], delimiter=delimiter), []))

    if fields(",") > 1:
        return ","
    best = max((";", "\t"), key=fields)
    return best if fields(best) > 1 else ","


def csv_error_message(error: str, row_number: int) -> str:
    """What Python's csv module refused, in the librarian's words, with the row."""
    if "end of data" in error:
        return f"Row {row_number} opens a quotation mark that is never closed."
    if "expected after" in error:
        return (
            f"Row {row_number} has a quotation mark inside a value. A value with quotation "
            'marks must be wrapped in quotes, with each mark inside doubled ("").'
        )
    if "field larger than field limit" in error:
        return f"Row {row_number} has a value longer than {csv.field_size_limit():,} characters."
    return f"Row {row_number} cannot be read as CSV ({error})."


def column_letter(number: int) -> str:
    """The spreadsheet name of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
