"""Serving a stored file to signed-in staff: the one way Liaison hands out files (captured
email's attachments, documents), never from a public address.

A PDF or an image a browser shows by itself opens in the browser, under a sandboxing
Content-Security-Policy (no script, no forms, nothing fetched but the file's own images) and
`X-Content-Type-Options: nosniff`; anything else is a download (`Content-Disposition:
attachment`) as application/octet-stream, so a browser never renders or runs it. The file is
streamed in chunks (FileResponse): a 25 MB file never sits in memory.
"""

from typing import IO

from django.http import FileResponse

INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
SANDBOX = "sandbox; default-src 'none'; img-src 'self'"


def file_response(
    handle: IO[bytes], *, filename: str, content_type: str, download: bool = False
) -> FileResponse:
    """The file, shown in the browser if it is a PDF or an image (unless `download`: a Download
    button saves it whatever it is)."""
    inline = content_type in INLINE_TYPES and not download
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response
