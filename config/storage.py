"""Where uploaded files are kept: STORAGE_URL, read into Django's STORAGES["default"].

Unset (or ``file://``): files under var/media/ (MEDIA_ROOT). An S3-compatible service (AWS,
MinIO, Ceph, Backblaze, DigitalOcean Spaces) through django-storages:

    STORAGE_URL=s3://BUCKET/optional/prefix?endpoint_url=https://minio.example.org&region_name=us-east-1

with the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's role), as
boto3 reads them. Objects are private (no ACL that would make them public), never addressed by a
public or signed URL: Liaison reads them and serves them itself, to signed-in staff only
(documents.views). Reading spills to a temporary file past 1 MB, and uploads go up in 5 MB
parts one at a time, so a 25 MB file never sits in memory whole.
"""

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
MB = 1024 * 1024
OPTIONS = ("endpoint_url", "region_name", "addressing_style", "signature_version")


def default_storage_from_url(url: str) -> dict[str, Any]:
    """STORAGES["default"] for a STORAGE_URL ("" for files under MEDIA_ROOT)."""
    if not url or url.startswith("file:"):
        return FILE_SYSTEM
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(
            "STORAGE_URL must be s3://BUCKET/prefix?endpoint_url=… (or unset, for var/media/)."
        )
    query = dict(parse_qsl(parts.query))
    unknown = set(query) - set(OPTIONS)
    if unknown:
        raise ImproperlyConfigured(f"STORAGE_URL: unknown option(s) {', '.join(sorted(unknown))}.")
    from boto3.s3.transfer import TransferConfig

    options: dict[str, Any] = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        "default_acl": None,  # the bucket's own: private
        "querystring_auth": True,
        "file_overwrite": False,
        "max_memory_size": MB,
        "transfer_config": TransferConfig(
            multipart_threshold=5 * MB, multipart_chunksize=5 * MB, use_threads=False
        ),
        **query,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
