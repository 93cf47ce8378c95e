"""Reading the files Liaison sends for download, as a spreadsheet program would."""

import csv
import io

from django.http import StreamingHttpResponse


def read_csv(response: StreamingHttpResponse) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
