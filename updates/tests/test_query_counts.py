"""The progress-update pages run a fixed number of queries, with few or many of everything."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from partners.services import contact_unsubscribe
from partners.tests.factories import AffiliationFactory
from updates import services as services
from updates.tests.helpers import NEW_YORK, Status, draft_february, local, subscribe

pytestmark = pytest.mark.django_db


# Session, user, roles and the user's time zone (4 queries), then the page's own. The draft's
# review page renders the email, so it includes the impact summary (6 for an organization): 8
# in all (config/tests/test_detail_queries.py).
MAX_QUERIES = {
    "progress_update_list": 6,
    "progress_update_review_draft": 4 + 8,
    "progress_update_review_sent": 7,
    "subscription_form_organization": 8,
    "subscription_form_program": 8,
    "subscription_edit": 10,
}


@pytest.fixture(params=[2, 25], ids=["few", "many"])
def busy(request, partner, librarian):
    """`n` people at the clinic, all recipients, and `n` months of sent updates."""
    n = request.param
    people = [partner.ana, partner.ben]
    people += [
        AffiliationFactory(organization=partner.organization, contact__name=f"Person {i}").contact
        for i in range(n)
    ]
    subscription = subscribe(
        partner, librarian, recipients=people, when=local(NEW_YORK, 2023, 1, 10, 9)
    )
    for month in range(n):
        start = dt.date(2023 + month // 12, month % 12 + 1, 1)
        update = services.progress_update_draft(
            subscription=subscription,
            period_start=start,
            period_end=(start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
        )
        assert update is not None
        services.progress_update_send(update=update, by=librarian)
    contact_unsubscribe(contact=people[-1])
    draft = draft_february(subscription)
    return SimpleNamespace(subscription=subscription, draft=draft, n=n)


def test_progress_update_list_queries(librarian_client, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["progress_update_list"]):
        response = librarian_client.get(reverse("updates:progress_update_list"), {"show": "all"})
    assert len(response.context["page"].object_list) == min(busy.n + 1, 25)


def test_progress_update_review_queries(librarian_client, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["progress_update_review_draft"]):
        response = librarian_client.get(busy.draft.get_absolute_url())
    assert len(response.context["recipients"]) == busy.n + 2
    sent = busy.subscription.updates.filter(status=Status.SENT).first()
    with django_assert_max_num_queries(MAX_QUERIES["progress_update_review_sent"]):
        response = librarian_client.get(sent.get_absolute_url())
    assert len(response.context["emails"]) == busy.n + 2


def test_subscription_form_queries(librarian_client, busy, partner, django_assert_max_num_queries):
    for name, url in (
        (
            "subscription_form_organization",
            reverse(
                "updates:progress_subscription_create_for_organization",
                args=[partner.organization.pk],
            ),
        ),
        (
            "subscription_form_program",
            reverse("updates:progress_subscription_create_for_program", args=[partner.program.pk]),
        ),
        (
            "subscription_edit",
            reverse("updates:progress_subscription_edit", args=[busy.subscription.pk]),
        ),
    ):
        with django_assert_max_num_queries(MAX_QUERIES[name]):
            response = librarian_client.get(url)
        assert response.status_code == 200
        assert f"Person {busy.n - 1}" in response.content.decode()
