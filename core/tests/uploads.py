"""A multipart upload of any size, made on the fly and counting what the server reads of it.

`client.generic()` takes the WSGI input stream from `extra`, so a test can send a 300 MB file
without holding 300 MB in memory, and see how much of it Django read.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.test import Client

BOUNDARY = "LiaisonTestBoundary7MA4YWxkTrZu0gW"


class CountingUpload:
    """A WSGI input stream: the form fields, one file of `size` bytes, then the closing line."""

    def __init__(
        self,
        *,
        fields: dict[str, str],
        file_field: str,
        file_name: str,
        size: int,
        header: bytes = b"Rating\n",
        row: bytes = b"4\n",
    ) -> None:
        head = b"".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        self._head = head
        self._tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self._file_size = size
        self._first_line = header
        self._row = row
        self.length = len(head) + size + len(self._tail)
        self.bytes_read = 0
        self._chunks = self._generate()
        self._buffer = b""

    def _generate(self) -> Iterator[bytes]:
        yield self._head
        left = self._file_size
        first = self._first_line[:left]
        left -= len(first)
        yield first
        rows = self._row * (64 * 1024 // len(self._row))
        while left > 0:
            chunk = rows[: min(left, len(rows))]
            left -= len(chunk)
            yield chunk
        yield self._tail

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                break
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        self.bytes_read += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:  # WSGI asks for it; multipart never calls it
        return self.read(size)


def post_upload(client: Client, url: str, upload: CountingUpload):
    environ: dict[str, Any] = {
        "wsgi.input": upload,
        "CONTENT_LENGTH": str(upload.length),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
    }
    return client.generic("POST", url, **environ)


def temporary_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def watch_temporary_uploads(monkeypatch, settings, folder: Path) -> list[str]:
    """Django's temporary upload files go to `folder`; the returned list names each one made."""
    from django.core.files import uploadedfile, uploadhandler

    folder.mkdir(parents=True, exist_ok=True)
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    made: list[str] = []

    class Watched(uploadedfile.TemporaryUploadedFile):
        def __init__(self, name: str, *args: object, **kwargs: object) -> None:
            made.append(name)
            super().__init__(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", Watched)
    return made
