"""Uploads stop at the limit: Django reads no more of a file than the largest any form accepts.

Without this, Django writes a 300 MB upload to a temporary file before a form can look at its
size. ``UploadLimitHandler`` (first in ``FILE_UPLOAD_HANDLERS``) watches each file of a
multipart request and stops reading the request (``StopUpload``) once a file passes
``LIAISON_MAX_UPLOAD_BYTES``: at once, before Django's own handlers open a temporary file, when
the request's Content-Length already says the file is too large; otherwise as soon as the bytes
counted pass the limit (the temporary file Django had started is then deleted).

The file then reaches the form as a ``RefusedUpload``: a name and a size (as the request gave
them) and no content, so the form's own size check answers with its usual message ("The file is
300.0 MB; the limit is 5 MB."). ``RefusedUploadMiddleware`` puts it in ``request.FILES``.

gunicorn has no limit on a request body: the proxy in front caps it (nginx
``client_max_body_size``, see the README).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse

# Room in a request for the form's other fields and the multipart framing around the file: a
# request longer than the limit plus this carries a file over the limit.
FORM_ALLOWANCE = 64 * 1024

# The request attribute that lists the files refused by the handler.
REFUSED = "liaison_refused_uploads"


@dataclass(frozen=True)
class Refusal:
    field_name: str
    file_name: str
    content_type: str
    size: int


class UploadRefusedError(Exception):
    """Something tried to read a file that was refused at the limit and never received."""


class RefusedUpload(UploadedFile):
    """A file refused at the size limit: its name and size, and no content to read or store."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(
            file=None,
            name=refusal.file_name,
            content_type=refusal.content_type,
            size=refusal.size,
        )

    def _refused(self, *args: object, **kwargs: object) -> NoReturn:
        raise UploadRefusedError(
            f"{self.name} was refused at the upload limit: check its size before reading it."
        )

    open = read = readline = readlines = seek = _refused

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        self._refused()

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        self._refused()

    def __iter__(self) -> Iterator[bytes]:
        self._refused()

    def close(self) -> None:
        """Nothing was opened (Django closes every uploaded file at the end of the request)."""


class UploadLimitHandler(FileUploadHandler):
    """Stops reading a request once one of its files passes ``LIAISON_MAX_UPLOAD_BYTES``."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit: int = settings.LIAISON_MAX_UPLOAD_BYTES
        self.request_length: int | None = None
        self.boundary = b""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.request_length = content_length
        # Django passes the boundary as bytes (its type hints say str).
        self.boundary = boundary.encode() if isinstance(boundary, str) else bytes(boundary)
        return None  # the parsing itself is Django's

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        announced = self.content_length or 0
        request_length = self.request_length or 0
        if announced > self.limit or request_length > self.limit + FORM_ALLOWANCE:
            self._refuse(counted=0)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self._refuse(counted=start + len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the file is stored by Django's handlers after this one

    def _refuse(self, *, counted: int) -> NoReturn:
        refusal = Refusal(
            field_name=self.field_name,
            file_name=self.file_name or "",
            content_type=self.content_type or "",
            # The largest of what was read, what the request says and what the file's own
            # part says: refused for its size, it must read as over the limit.
            size=max(counted, self._size_from_request(), self.content_length or 0),
        )
        if self.request is not None:
            refused = getattr(self.request, REFUSED, [])
            setattr(self.request, REFUSED, [*refused, refusal])
        # connection_reset: stop reading the request here, rather than read it to the end.
        raise StopUpload(connection_reset=True)

    def _size_from_request(self) -> int:
        """The file's size as the request tells it: its length less the file part's framing.

        Exact for a form with just the file; other fields of the form are counted in.
        """
        if not self.request_length:
            return 0
        framing = len(
            b"--%s\r\nContent-Disposition: form-data; "
            b'name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n'
            % (
                self.boundary,
                self.field_name.encode(),
                (self.file_name or "").encode(),
                (self.content_type or "").encode(),
            )
        ) + len(b"\r\n--%s--\r\n" % self.boundary)
        return max(self.request_length - framing, 0)


class RefusedUploadMiddleware:
    """Give a form the files ``UploadLimitHandler`` refused, so that it can say why.

    Reading ``request.FILES`` parses the upload here, as the CSRF check would a moment later.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            files = request.FILES
            for refusal in getattr(request, REFUSED, ()):
                files.setlist(refusal.field_name, [RefusedUpload(refusal)])
        return self.get_response(request)
