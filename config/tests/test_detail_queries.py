"""Each record's page runs the same few queries whatever the size of the record.

An organization's page is assembled from the panels of four apps (partners, outreach, programs,
updates), a contact's and a program's from three: here every panel has something to show, for a
record with a few rows of everything and for one with many, and the page must run the same
number of queries of its own for both, within its maximum.

"Of its own": beyond what every signed-in page costs (the session, the user with their roles
and time zone), measured on a page that runs nothing else, so that the figures hold however
that base changes.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach import services as outreach
from outreach.models import FollowUp, Meeting
from partners import services as partners
from partners.models import FocusArea, Stage
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.models import Grant, GrantDeliverable, Outcome, Story, SupportLetter, SurveyResult
from programs.tests.factories import ProgramFactory, ProgramPartnerFactory, ProgramSessionFactory
from reviews.models import PartnershipReview
from reviews.services import review_save
from updates import services as updates

pytestmark = pytest.mark.django_db

# The page's own queries at most (the target: 10). Each page's selectors and panels
# say what they are.
OWN_QUERIES = {
    # The organization with its focus areas; its people; open follow-ups; the timeline (a page
    # of events, the people in them); programs; progress updates; agreements (its section and
    # the data-sharing badge, one query); annual reviews. Its people's names and its tags come
    # in its own rows. Related organizations, Documents and History follow on their own
    # (core.panels: deferred).
    "organization": 8,
    # The organization and its people; History (each table's latest rows: its own, its people's
    # roles, its ties to others either way; the staff they name).
    "organization_history": 7,
    "timeline": 3,  # the organization; a page of events; the people in them
    # The contact; their roles; consent log; both counts; a page of touchpoints, of meetings;
    # documents.
    "contact": 7,
    "contact_history": 5,  # the contact, roles, consent log; History (latest rows, who)
    # The program with its focus areas; partners; sessions; the grant's deliverables and
    # letters; outcomes, stories and surveys; related outreach; progress updates; documents;
    # agreements.
    "program": 10,
    "program_history": 3,  # the program; History (its latest rows, the staff they name)
    # The update; its recipients; the email's impact summary (programs/selectors/impact.py).
    "progress_update": 8,
    # The meeting with its people; its documents. The touchpoint; its people; its other
    # partners (a coalition meeting); follow-ups from it; its documents.
    "meeting": 5,
    "touchpoint": 5,
}
STAGES = list(Stage.values)


def own_queries(client, url: str) -> int:
    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        return len(captured)

    return count(url) - count(reverse("password_change"))


def busy_record(n: int, librarian, manager) -> SimpleNamespace:
    """An organization, a person there, a grant program with it and a progress update about
    it, each with `n` of everything its page shows: a day's worth of work for each of the last
    `n` days (so that every page of the timeline mixes every kind)."""
    today = timezone.localdate()
    organization = OrganizationFactory(name=f"Eastside Clinic {n}", owner=librarian)
    organization.focus_areas.set(FocusArea.objects.all()[:3])
    neighbour = OrganizationFactory(name=f"Parks Department {n}")
    with time_machine.travel(timezone.now() - dt.timedelta(days=n + 1), tick=False):
        people = [
            AffiliationFactory(
                organization=organization,
                contact__name=f"Person {n}-{i}",
                contact__email=f"person{i}@clinic{n}.example.org",
            )
            for i in range(n)
        ]
    contact = people[0].contact
    program = ProgramFactory(title=f"Health fair {n}", kind="grant", lead=librarian)
    program.focus_areas.set(FocusArea.objects.all()[:2])
    ProgramPartnerFactory(program=program, organization=organization, role="lead")
    grant = Grant.objects.create(program=program, funder="State Library")
    # Everyone receives the updates; some will have left (the review page says so).
    subscription = updates.progress_subscription_create(
        by=librarian,
        owner=librarian,
        organization=organization,
        cadence="monthly",
        mode="review",
        recipients=[p.contact for p in people],
    )
    for i in range(n):
        day = timezone.now() - dt.timedelta(days=n - i)
        with time_machine.travel(day, tick=False):
            _a_day_of_work(i, organization, neighbour, people, librarian, manager)
        helper = OrganizationFactory(name=f"Partner {n}-{i}")
        ProgramPartnerFactory(program=program, organization=helper)
        ProgramSessionFactory(program=program, attendance=i)
        Outcome.objects.create(program=program, metric=f"Metric {i}", value=i, measured_on=today)
        Story.objects.create(program=program, text=f"Story {i}", told_on=today)
        SurveyResult.objects.create(
            program=program, file=f"s/{n}-{i}.csv", original_name=f"{i}.csv", responses=i
        )
        GrantDeliverable.objects.create(
            grant=grant, title=f"Report {i}", due_on=today, owner=librarian
        )
        SupportLetter.objects.create(grant=grant, organization=helper, received_on=today)
        if i < 20:  # an annual review a year (the page lists ten), by one or the other
            review = PartnershipReview(
                organization=organization, year=today.year - i, reviewed_on=today
            )
            review_save(review=review, by=manager if i % 2 else librarian)
    program.lead = manager  # its History panel names both leads
    program.save()
    updates.progress_subscription_create(
        by=librarian,
        owner=manager,
        program=program,
        cadence="quarterly",
        mode="review",
        recipients=[contact],
    )
    month = today.replace(day=1) - dt.timedelta(days=1)
    draft = updates.progress_update_draft(
        subscription=subscription, period_start=month.replace(day=1), period_end=month
    )
    assert draft is not None
    return SimpleNamespace(
        organization=organization,
        contact=contact,
        program=program,
        draft=draft,
        meeting=Meeting.objects.filter(organization=organization).latest("pk"),
        touchpoint=organization.touchpoints.latest("pk"),
    )


def _a_day_of_work(i: int, organization, neighbour, people, librarian, manager) -> None:
    """The profile edited (its owner too), the stage moved, someone leaving now and then, a
    call with a follow-up (done every other day), and a meeting (every fourth one hosted by a
    neighbour with the organization joining)."""
    today, now = timezone.localdate(), timezone.now()
    staff = manager if i % 2 else librarian
    partners.organization_update(
        organization=organization, by=manager, phone=f"555-01{i:02}", owner=staff
    )
    partners.stage_change(
        organization=organization, to_stage=STAGES[(i + 1) % len(STAGES)], by=staff
    )
    if i and i % 3 == 0:
        partners.affiliation_end(affiliation=people[i])
    touchpoint = outreach.touchpoint_log(
        organization=organization,
        staff=staff,
        subject=f"Call {i}",
        contacts=[people[0].contact, people[i].contact],
        occurred_on=today,
        follow_up_on=today + dt.timedelta(days=3),
    )
    if i % 2:
        outreach.followup_complete(followup=touchpoint.followups.get(), by=librarian)
    joint = i % 4 == 0
    outreach.meeting_save(
        meeting=Meeting(
            organization=neighbour if joint else organization,
            title=f"Meeting {i}",
            starts_at=now + dt.timedelta(hours=2),
            ends_at=now + dt.timedelta(hours=3),
        ),
        by=librarian,
        contacts=[] if joint else [people[0].contact],
        staff=[librarian, manager],
        other_organizations=[organization] if joint else [],
    )


HISTORY_PANELS = {
    "organization": "organization-history",
    "contact": "contact-history",
    "program": "program-changes",
}


def _panel(page: str, record) -> str:
    """A History panel, which its page fetches after it has loaded (core.panels: deferred)."""
    return reverse("panel", args=[page, HISTORY_PANELS[page]]) + f"?of={record.pk}"


def pages(record: SimpleNamespace) -> dict[str, str]:
    return {
        "organization": record.organization.get_absolute_url(),
        "organization_history": _panel("organization", record.organization),
        "timeline": reverse("outreach:timeline", args=[record.organization.pk]) + "?page=2",
        "contact": record.contact.get_absolute_url(),
        "contact_history": _panel("contact", record.contact),
        "program": record.program.get_absolute_url(),
        "program_history": _panel("program", record.program),
        "progress_update": record.draft.get_absolute_url(),
        "meeting": record.meeting.get_absolute_url(),
        "touchpoint": reverse("outreach:touchpoint_detail", args=[record.touchpoint.pk]),
    }


@pytest.fixture
def few_and_many(librarian, manager):
    return busy_record(8, librarian, manager), busy_record(40, librarian, manager)


def test_each_record_page_runs_the_same_few_queries_for_few_or_many_rows(
    manager_client, few_and_many
):
    few, many = few_and_many
    counted = {
        name: (own_queries(manager_client, url), own_queries(manager_client, pages(many)[name]))
        for name, url in pages(few).items()
    }
    assert {name: n for name, (n, _) in counted.items()} == {
        name: n for name, (_, n) in counted.items()
    }, counted
    for name, (n, _) in counted.items():
        assert n <= OWN_QUERIES[name], (name, n)


def test_the_busy_organization_page_shows_bounded_lists_with_links_to_the_rest(
    manager_client, few_and_many
):
    _few, many = few_and_many
    html = manager_client.get(many.organization.get_absolute_url()).content.decode()
    assert html.count('<li class="timeline-entry ') == 20
    older = reverse("outreach:timeline", args=[many.organization.pk]) + "?page=2"
    assert older in html and "Show older" in html
    # Its people are offered in the quick log; the follow-ups list links to all of them.
    assert html.count('name="contacts"') == 40
    assert f"?organization={many.organization.pk}&amp;assignee=all" in html
    open_ones = FollowUp.objects.filter(organization=many.organization, status="open").count()
    assert html.count('id="followup-') == min(open_ones, 10)
    assert "Focus areas" in html and _panel("organization", many.organization) in html
    history = manager_client.get(_panel("organization", many.organization), HTTP_HX_REQUEST="true")
    assert "All changes" in history.content.decode()
