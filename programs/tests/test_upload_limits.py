"""A survey file over the limit is refused without Django reading it to the end or writing it
to a temporary file (core.uploads.UploadLimitHandler)."""

import pytest
from django.test import Client
from django.urls import reverse

from core.tabular import MB
from core.tests.uploads import CountingUpload, post_upload, temporary_files, watch_temporary_uploads
from programs import surveys
from programs.models import SurveyResult

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def temporary_uploads(monkeypatch, settings, tmp_path) -> list[str]:
    return watch_temporary_uploads(monkeypatch, settings, tmp_path / "uploads")


def survey_upload(size: int, **content: bytes) -> CountingUpload:
    return CountingUpload(
        fields={}, file_field="file", file_name="responses.csv", size=size, **content
    )


def test_a_300_mb_survey_is_refused_before_anything_reaches_disk(
    librarian_client, program, temporary_uploads, tmp_path, media_root
):
    upload = survey_upload(300 * MB)

    response = post_upload(
        librarian_client, reverse("programs:survey_upload", args=[program.pk]), upload
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is 300.0 MB; the limit is 5 MB."]
    assert upload.bytes_read < 1 * MB
    assert temporary_uploads == []
    assert temporary_files(tmp_path / "uploads") == []
    assert not SurveyResult.objects.exists()
    assert temporary_files(media_root) == []


def test_a_file_just_over_the_limit_is_refused_and_leaves_nothing_on_disk(
    librarian_client, program, temporary_uploads, tmp_path
):
    upload = survey_upload(surveys.MAX_BYTES + 1)

    response = post_upload(
        librarian_client, reverse("programs:survey_upload", args=[program.pk]), upload
    )

    assert response.context["form"].errors["file"] == ["The file is 5.1 MB; the limit is 5 MB."]
    # Read no further than the limit plus the parser's read-ahead; nothing left on disk.
    assert upload.bytes_read <= surveys.MAX_BYTES + 2 * 64 * 1024
    assert temporary_files(tmp_path / "uploads") == []
    assert not SurveyResult.objects.exists()


def test_a_file_at_the_limit_is_still_accepted(librarian_client, program):
    # Long rows, so that 5 MB is fewer responses than the limit of 20,000.
    row = b"4," + b"x" * 398 + b"\n"
    upload = survey_upload(surveys.MAX_BYTES, header=b"Rating,Comment\n", row=row)

    response = post_upload(
        librarian_client, reverse("programs:survey_upload", args=[program.pk]), upload
    )

    assert response.status_code == 302
    assert SurveyResult.objects.get().responses > 0


def test_a_browser_posting_300_mb_gets_the_form_error_not_a_csrf_failure(librarian, program):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(librarian)
    url = reverse("programs:survey_upload", args=[program.pk])
    token = browser.get(url).context["csrf_token"]
    # As a browser sends the form: the CSRF token first, then the file.
    upload = CountingUpload(
        fields={"csrfmiddlewaretoken": str(token)},
        file_field="file",
        file_name="responses.csv",
        size=300 * MB,
    )

    response = post_upload(browser, url, upload)

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith("The file is 300.") and error.endswith("the limit is 5 MB.")
    assert upload.bytes_read < 1 * MB
