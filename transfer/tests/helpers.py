"""Files and steps shared by the import tests."""

import csv
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from transfer.models import ImportRun


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def organization_rows(count: int, start: int = 0) -> list[list[str]]:
    return [
        [
            f"Partner Organization {i}",
            "Nonprofit",
            "Contacted",
            f"https://partner{i}.example.org",
            f"info@partner{i}.example.org",
            "555-010-2030",
        ]
        for i in range(start, start + count)
    ]


ORGANIZATION_HEADER = ["Organisation", "Type", "Stage", "Web site", "E-mail", "Phone number"]


def upload(client, content: bytes, kind: str = "organizations", name: str = "partners.csv"):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("transfer:import_upload"), {"kind": kind, "file": file})


def upload_run(client, content: bytes, **kwargs) -> ImportRun:
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = re.search(r"/(\d+)/$", response.url)
    assert pk is not None
    return ImportRun.objects.get(pk=int(pk[1]))


def preview(client, run: ImportRun):
    response = client.get(reverse("transfer:import_detail", args=[run.pk]))
    assert response.status_code == 200
    return response


def confirm(client, run: ImportRun, *, update: bool = False, skip_errors: bool = False):
    signature = preview(client, run).context["plan"].signature
    data = {"update_existing": "yes" if update else "no", "signature": signature}
    if skip_errors:
        data["skip_errors"] = "on"
    return client.post(reverse("transfer:import_confirm", args=[run.pk]), data)
