"""The lists that grow with the partnership count their rows only so far (core.http.COUNT_LIMIT),
so a page costs the same at any size; past the limit they say "more than …" and page on to the
last row, so nothing is out of reach. The limit is made 10 here: 30 rows make a long list."""

import datetime as dt
import importlib
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from outreach.models import FollowUp, Touchpoint
from outreach.tests.factories import MeetingFactory
from partners.models import Organization
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

ROWS = 30
LIMIT = 10


def organizations(user: User) -> None:
    for i in range(ROWS):
        OrganizationFactory(name=f"Partner {i:02}")


def contacts(user: User) -> None:
    for _ in range(ROWS):
        AffiliationFactory()


def touchpoints(user: User) -> None:
    partner = OrganizationFactory()
    today = timezone.localdate()
    Touchpoint.objects.bulk_create(
        Touchpoint(organization=partner, staff=user, subject=f"Call {i}", occurred_on=today)
        for i in range(ROWS)
    )


def meetings(user: User) -> None:
    partner = OrganizationFactory()
    for i in range(ROWS):
        MeetingFactory(organization=partner, starts_at=timezone.now() + dt.timedelta(days=i + 1))


def followups(user: User) -> None:
    partner = OrganizationFactory()
    today = timezone.localdate()
    FollowUp.objects.bulk_create(
        FollowUp(organization=partner, assignee=user, title=f"Call back {i}", due_on=today)
        for i in range(ROWS)
    )


def programs(user: User) -> None:
    for _ in range(ROWS):
        ProgramFactory()


LISTS: list[tuple[str, str, Callable[[User], None], str]] = [
    ("partners:organization_list", "partners.views", organizations, "organizations"),
    ("partners:contact_list", "partners.views", contacts, "contacts"),
    ("outreach:touchpoint_list", "outreach.views.touchpoints", touchpoints, "touchpoints"),
    ("outreach:meeting_list", "outreach.views.meetings", meetings, "meetings"),
    ("outreach:followup_list", "outreach.views.followups", followups, "open follow-ups"),
    ("programs:program_list", "programs.views.programs", programs, "programs"),
]


@pytest.mark.parametrize(("url_name", "module", "make", "noun"), LISTS)
def test_a_long_list_says_it_has_more_and_pages_on_to_its_last_row(
    librarian_client, librarian, monkeypatch, url_name, module, make, noun
):
    monkeypatch.setattr(importlib.import_module(module), "COUNT_LIMIT", LIMIT)
    make(librarian)
    url = reverse(url_name)
    first = librarian_client.get(url)
    html = first.content.decode()
    assert f"More than 10 {noun}" in html
    assert "Page 1 of more than" in html and 'page=2">Next</a>' in html
    assert len(first.context["page"].object_list) == 25
    second = librarian_client.get(url, {"page": 2})
    last = second.context["page"]
    assert len(last.object_list) == ROWS - 25 and not last.has_next()
    assert 'page=1">Previous</a>' in second.content.decode()
    # An old link past the end shows the last page, as for a list counted to the end.
    assert librarian_client.get(url, {"page": 9}).context["page"].number == 2


def test_a_short_list_is_counted_exactly(librarian_client, librarian, monkeypatch):
    monkeypatch.setattr(importlib.import_module("partners.views"), "COUNT_LIMIT", LIMIT)
    for i in range(LIMIT):
        OrganizationFactory(name=f"Partner {i:02}")
    html = librarian_client.get(reverse("partners:organization_list")).content.decode()
    assert f"{Organization.objects.count()} organizations." in html
    assert "more than" not in html
