import pytest


@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_folder(media_root):
    """Captured attachments are files: every inbox test keeps them out of var/media."""
    return media_root
