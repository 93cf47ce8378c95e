"""Records past retention: what the library's settings say is kept long enough, for a person to
review; nothing is deleted."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from documents.models import Document
from outreach.models import Touchpoint
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_report_lists_what_is_past_its_retention_and_deletes_nothing(
    manager_client, librarian, settings
):
    settings.LIAISON_RETAIN_AGREEMENTS_YEARS = 7
    settings.LIAISON_RETAIN_DOCUMENTS_YEARS = 3
    settings.LIAISON_RETAIN_TOUCHPOINTS_YEARS = 10
    today = timezone.localdate()
    clinic = OrganizationFactory(name="Eastside Clinic")
    years_ago = lambda n: today - dt.timedelta(days=366 * n)  # noqa: E731
    old = Agreement.objects.create(
        title="MOU of 2015",
        status=Agreement.Status.EXPIRED,
        ends_on=years_ago(8),
        ended_on=years_ago(8),
    )
    # Terminated eight years ago, though it was to run to next year; and one open-ended.
    Agreement.objects.create(
        title="Ended early",
        status=Agreement.Status.TERMINATED,
        ends_on=years_ago(-1),
        ended_on=years_ago(8),
    )
    Agreement.objects.create(
        title="Open-ended, terminated", status=Agreement.Status.TERMINATED, ended_on=years_ago(9)
    )
    Agreement.objects.create(
        title="MOU of 2022",
        status=Agreement.Status.EXPIRED,
        ends_on=years_ago(4),
        ended_on=years_ago(4),
    )
    Agreement.objects.create(
        title="Active since 2010",
        status=Agreement.Status.ACTIVE,
        ends_on=today.replace(year=today.year - 9),
    )
    long_ago = timezone.now() - dt.timedelta(days=4 * 366)
    Document.objects.create(
        title="Old flyer", organization=clinic, file_name="f.pdf", size=1, is_archived=True,
        archived_at=long_ago,
    )  # fmt: skip
    Document.objects.create(
        title="Kept flyer", organization=clinic, file_name="g.pdf", size=1, is_archived=False
    )
    Touchpoint.objects.create(
        organization=clinic, subject="Call in 2014", occurred_on=today.replace(year=today.year - 12)
    )
    Touchpoint.objects.create(
        organization=clinic,
        subject="Call last year",
        occurred_on=today.replace(year=today.year - 1),
    )

    page = manager_client.get(reverse("reports:retention"))
    tables = {table.key: table for table in page.context["report"].tables}
    assert [str(row[0]) for row in tables["agreements"].rows] == [
        "Open-ended, terminated",
        "MOU of 2015",
        "Ended early",
    ]
    assert [str(row[0]) for row in tables["documents"].rows] == ["Old flyer"]
    assert [str(row[0]) for row in tables["touchpoints"].rows] == ["Call in 2014"]
    html = page.content.decode()
    assert old.get_absolute_url() in html and "Nothing is deleted by itself" in html
    csv = manager_client.get(reverse("reports:retention_csv")).content.decode()
    assert "MOU of 2015" in csv and "Old flyer" in csv and "Call in 2014" in csv
    assert Agreement.objects.count() == 5 and Touchpoint.objects.count() == 2
