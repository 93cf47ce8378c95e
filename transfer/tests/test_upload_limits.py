"""An import file over the limit is refused without Django reading it to the end or writing it
to a temporary file (core.uploads.UploadLimitHandler)."""

import pytest
from django.urls import reverse

from core.tabular import MB
from core.tests.uploads import CountingUpload, post_upload, temporary_files, watch_temporary_uploads
from transfer.models import ImportRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_a_300_mb_import_is_refused_before_anything_reaches_disk(
    manager_client, monkeypatch, settings, tmp_path
):
    made = watch_temporary_uploads(monkeypatch, settings, tmp_path / "uploads")
    upload = CountingUpload(
        fields={"kind": "organizations"}, file_field="file", file_name="partners.csv", size=300 * MB
    )

    response = post_upload(manager_client, reverse("transfer:import_upload"), upload)

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith("The file is 300.") and error.endswith("the limit is 5 MB.")
    assert upload.bytes_read < 1 * MB
    assert made == []
    assert temporary_files(tmp_path / "uploads") == []
    assert not ImportRun.objects.exists()
