"""Limits on what a request may carry: gunicorn's on the request line and headers, Django's on
form data, and Liaison's upload limit, which must match the largest file any form accepts."""

import runpy

from django.conf import settings
from gunicorn.config import Config  # type: ignore[import-untyped]

from programs import surveys
from transfer import parsing


def gunicorn_settings() -> dict[str, object]:
    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))


def test_the_upload_limit_is_the_largest_file_a_form_accepts():
    largest = max(surveys.MAX_BYTES, parsing.MAX_BYTES, settings.LIAISON_DOCUMENT_MAX_BYTES)
    limit = settings.LIAISON_MAX_UPLOAD_BYTES
    assert limit == largest


def test_the_upload_limit_handler_runs_before_djangos():
    assert settings.FILE_UPLOAD_HANDLERS[0] == "core.uploads.UploadLimitHandler"
    assert settings.FILE_UPLOAD_HANDLERS[1:] == [
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]


def test_form_data_without_files_is_capped_at_one_megabyte():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024


def test_gunicorn_caps_the_request_line_and_headers():
    values = gunicorn_settings()
    config = Config()
    for name in ("limit_request_line", "limit_request_fields", "limit_request_field_size"):
        config.set(name, values[name])  # gunicorn's own validation
        assert 0 < config.settings[name].get() <= 8190, name
    assert values["timeout"] == 120
