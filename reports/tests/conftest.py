import pytest


@pytest.fixture(autouse=True)
def _reports_computed_on_every_view(settings):
    """The report tests check figures after changing the data: each view computes them afresh.
    test_cache.py turns keeping them back on."""
    settings.LIAISON_REPORT_CACHE_MINUTES = 0
