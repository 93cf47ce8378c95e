"""Documents in an S3-compatible service (a real S3 API on loopback: moto's server, started
here, reached over HTTP by boto3 as AWS or MinIO would be), and memory that stays flat for a
20 MB file in either storage."""

import socket
import subprocess
import sys
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from config.storage import default_storage_from_url
from documents import services
from documents.models import Document
from documents.services import Upload
from documents.tests.conftest import PDF, upload

pytestmark = pytest.mark.django_db
BUCKET = "liaison-documents"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server in a process of its own (so that its memory is not counted as ours)."""
    pytest.importorskip("moto.server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """STORAGE_URL pointing at the server, a bucket of its own, and a client to look in it."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "liaison")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "liaison-secret")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    url = f"s3://{BUCKET}/liaison?endpoint_url={s3_server}&region_name=us-east-1"
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_url(url)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def objects(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_upload_download_and_purge_through_s3(
    s3, client, librarian, manager, clinic, django_capture_on_commit_callbacks
):
    client.force_login(librarian)
    url = f"{reverse('documents:document_upload')}?to=organization&of={clinic.pk}"
    response = client.post(url, {"kind": "agreement", "file": upload("Signed MOU.pdf", PDF)})
    assert response.status_code == 302
    version = Document.objects.get().versions.get()
    (key,) = objects(s3)
    assert key == f"liaison/{version.file.name}" and key.endswith(".pdf") and "MOU" not in key
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF
    # Private: the object has no grant to anyone but its owner.
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("AllUsers" not in str(grant) for grant in grants)
    response = client.get(reverse("documents:version_download", args=[version.pk]))
    assert b"".join(response.streaming_content) == PDF
    client.force_login(manager)
    purge = reverse("documents:document_purge", args=[version.document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(purge, {"reason": "Duplicate of the signed copy"})
    assert objects(s3) == []


def test_the_storage_url_is_checked():
    from django.core.exceptions import ImproperlyConfigured

    assert default_storage_from_url("")["BACKEND"].endswith("FileSystemStorage")
    for wrong in ("ftp://x", "s3://", "s3://bucket?colour=red"):
        with pytest.raises(ImproperlyConfigured):
            default_storage_from_url(wrong)


def _big_upload(size: int) -> TemporaryUploadedFile:
    """A file as Django hands a large upload to a form: on disk, not in memory."""
    received = TemporaryUploadedFile("report.pdf", "application/pdf", size, None)
    received.write(b"%PDF-1.4\n")
    chunk = b"0" * MB
    written = 9
    while written < size:
        part = chunk[: min(MB, size - written)]
        received.write(part)
        written += len(part)
    received.seek(0)
    return received


def _peak_of(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _round_trip(librarian, clinic, client, size: int) -> tuple[int, int]:
    received = _big_upload(size)
    made: list[Document] = []

    def up() -> None:
        made.append(
            services.document_upload(
                record=clinic,
                upload=Upload(file=received, name="report.pdf", size=size),
                kind="report",
                by=librarian,
            )
        )

    upload_peak = _peak_of(up)
    version = made[0].versions.get()

    def down() -> None:
        response = client.get(reverse("documents:version_download", args=[version.pk]))
        total = sum(len(chunk) for chunk in response.streaming_content)
        assert total == size

    return upload_peak, _peak_of(down)


@pytest.mark.parametrize("storage", ["local", "s3"])
def test_a_20_mb_file_never_sits_in_memory_whole(storage, request, librarian, clinic, client):
    if storage == "s3":
        request.getfixturevalue("s3")
    client.force_login(librarian)
    _round_trip(librarian, clinic, client, MB)  # what a first request loads, once
    small = _round_trip(librarian, clinic, client, 10 * MB)
    large = _round_trip(librarian, clinic, client, 20 * MB)
    print(f"\n{storage}: peak memory (upload, download) 10 MB {small}, 20 MB {large}")
    # Flat: twice the file, not twice the memory; and far below the file's size (S3 uploads
    # hold one 5 MB part at a time: config/storage.py).
    for small_peak, large_peak in zip(small, large, strict=True):
        assert large_peak < 8 * MB
        assert large_peak < small_peak + 4 * MB
