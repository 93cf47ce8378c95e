"""The pages of written email read a fixed number of queries, however many rows they show."""

import uuid

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compose.services import email_template_create, group_email_create
from compose.tests.conftest import partner
from core.profiles import profile_for

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm: the profile, prepared statements
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _group_email(manager, n: int):
    for i in range(n):
        partner(f"Clinic{uuid.uuid4().hex[:6]} Health{i}", email=f"p{uuid.uuid4().hex[:8]}@x.org")
    return group_email_create(
        key=uuid.uuid4(),
        query=QueryDict("from=organizations&kind=health"),
        subject="Hi {first_name}",
        body="Hi",
        by=manager,
    )


def test_the_group_email_pages(manager_client, manager):
    profile_for(manager)
    small = _group_email(manager, 2)
    email_template_create(name="Invitation", subject="Hi", body="Hi", by=manager)
    counts_small = {
        "list": _queries(manager_client, reverse("compose:group_email_list")),
        "detail": _queries(manager_client, small.get_absolute_url()),
        "templates": _queries(manager_client, reverse("compose:template_list")),
        "new": _queries(
            manager_client, reverse("compose:group_email_new") + "?from=organizations&kind=health"
        ),
    }
    large = _group_email(manager, 30)
    for n in range(12):
        email_template_create(name=f"Template {n}", subject="Hi", body="Hi", by=manager)
    counts_large = {
        "list": _queries(manager_client, reverse("compose:group_email_list")),
        "detail": _queries(manager_client, large.get_absolute_url()),
        "templates": _queries(manager_client, reverse("compose:template_list")),
        "new": _queries(
            manager_client, reverse("compose:group_email_new") + "?from=organizations&kind=health"
        ),
    }
    assert counts_small == counts_large
    assert max(counts_large.values()) <= 12, counts_large
    # 32 people: a page of 25 by name, then the rest; a group email that is not there is a 404.
    first = manager_client.get(large.get_absolute_url()).content.decode()
    rest = manager_client.get(large.get_absolute_url() + "?page=2").content.decode()
    assert first.count('<td data-label="Person">') == 25
    assert rest.count('<td data-label="Person">') == large.recipients.count() - 25
    assert "Page 2 of 2" in rest
    missing = reverse("compose:group_email_detail", args=[99999])
    assert manager_client.get(missing).status_code == 404


def test_writing_to_an_organization(librarian_client, librarian, clinic):
    from partners.tests.factories import AffiliationFactory

    profile_for(librarian)
    url = reverse("compose:personal_email") + f"?organization={clinic.pk}"
    AffiliationFactory(organization=clinic, is_primary=True)
    few = _queries(librarian_client, url)
    for _ in range(15):
        AffiliationFactory(organization=clinic)
    assert _queries(librarian_client, url) == few
