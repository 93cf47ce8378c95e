"""Joint grant applications: the grants list, the program page's grant panel, and the queries
of the list and the grant page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from core.tests.clock import frozen_clock
from partners.tests.factories import OrganizationFactory
from programs.models import Grant, Program, ProgramPartner
from programs.selectors.grants import PANEL_PREFETCH
from programs.services import grants as grant_services
from programs.tests.factories import GrantFactory
from programs.tests.helpers import TODAY, TODAY_10AM, grant_edit_url

pytestmark = pytest.mark.django_db

PANEL = "programs/partials/program_grant_panel.html"

clock = frozen_clock(TODAY_10AM)


# The grants list


def make_grant(title: str, deadline: dt.date | None, **fields) -> Grant:
    program = Program.objects.create(title=title, kind=Program.Kind.GRANT)
    return GrantFactory(program=program, submission_deadline=deadline, **fields)


def test_the_list_runs_by_deadline_with_undated_grants_last(librarian_client):
    make_grant("Undated", None)
    make_grant("Later", TODAY + dt.timedelta(days=90))
    make_grant("Past", TODAY - dt.timedelta(days=3), status="submitted")
    make_grant("Soon", TODAY + dt.timedelta(days=12))
    response = librarian_client.get(reverse("programs:grant_list"))
    assert response.status_code == 200
    titles = [grant.program.title for grant, _ in response.context["rows"]]
    assert titles == ["Past", "Soon", "Later", "Undated"]


def test_a_deadline_within_30_days_is_highlighted_in_words(librarian_client):
    make_grant("Soon", TODAY + dt.timedelta(days=12), status="drafting")
    make_grant("Today", TODAY, status="researching")
    make_grant("Edge", TODAY + dt.timedelta(days=30), status="drafting")
    make_grant("Too far", TODAY + dt.timedelta(days=31), status="drafting")
    make_grant("Sent", TODAY + dt.timedelta(days=5), status="submitted")
    make_grant("Missed", TODAY - dt.timedelta(days=2), status="drafting")
    response = librarian_client.get(reverse("programs:grant_list"))
    notes = {grant.program.title: note and note.text for grant, note in response.context["rows"]}
    assert notes == {
        "Missed": "deadline passed",
        "Today": "due today",
        "Sent": None,
        "Soon": "due in 12 days",
        "Edge": "due in 30 days",
        "Too far": None,
    }
    page = response.content.decode()
    assert "due in 12 days" in page and "deadline passed" in page
    assert "table-warning" in page and "table-danger" in page


def test_totals_cover_every_page_of_the_filtered_list(librarian_client):
    for i in range(27):
        make_grant(f"Grant {i}", TODAY + dt.timedelta(days=i), amount_requested=Decimal("1000"))
    make_grant(
        "Won",
        None,
        status="awarded",
        amount_requested=Decimal("2500.50"),
        amount_awarded=Decimal("2000"),
    )
    make_grant("Unpriced", None, amount_requested=None)
    response = librarian_client.get(reverse("programs:grant_list"))
    assert len(response.context["rows"]) == 25
    assert response.context["totals"] == {
        "count": 29,
        "requested": Decimal("29500.50"),
        "awarded": Decimal("2000"),
    }
    page = response.content.decode()
    assert "$29,500.50" in page and "$2,000.00" in page
    response = librarian_client.get(reverse("programs:grant_list"), {"status": "awarded"})
    assert [grant.program.title for grant, _ in response.context["rows"]] == ["Won"]
    assert response.context["totals"]["requested"] == Decimal("2500.50")


def test_bad_list_parameters_are_ignored(librarian_client):
    make_grant("Only", TODAY)
    response = librarian_client.get(
        reverse("programs:grant_list"), {"status": "<script>", "page": "x"}
    )
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


def test_names_are_escaped(librarian_client, librarian, program):
    grant_services.grant_save(program=program, by=librarian, funder="<b>Evil</b> & Co")
    page = librarian_client.get(reverse("programs:grant_list")).content.decode()
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in page and "<b>Evil" not in page
    panel = render_to_string(PANEL, {"program": _prefetched(program)})
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in panel and "<b>Evil" not in panel


# The program page's grant panel


def _prefetched(program: Program) -> Program:
    """The program as the program page loads it."""
    return (
        Program.objects.select_related("lead", "grant")
        .prefetch_related(*PANEL_PREFETCH)
        .get(pk=program.pk)
    )


def test_the_panel_without_a_grant_offers_to_add_details(program, django_assert_num_queries):
    loaded = _prefetched(program)
    with django_assert_num_queries(0):
        html = render_to_string(PANEL, {"program": loaded})
    assert "No application details yet" in html
    assert grant_edit_url(program) in html


def test_the_panel_shows_the_grant_without_queries(
    librarian, colleague, program, clinic, django_assert_num_queries
):
    grant_services.grant_save(
        program=program,
        by=librarian,
        funder="Community Health Foundation",
        amount_requested=Decimal("25000"),
        submission_deadline=TODAY + dt.timedelta(days=12),
        deliverables=[
            grant_services.DeliverableChange(
                title="Final report", due_on=dt.date(2027, 1, 15), owner=colleague
            )
        ],
        letters=[grant_services.LetterChange(organization=clinic, received_on=TODAY)],
    )
    loaded = _prefetched(program)
    with django_assert_num_queries(0):
        html = render_to_string(PANEL, {"program": loaded})
    for text in (
        "Community Health Foundation",
        "Researching",
        "$25,000.00",
        "due in 12 days",
        "Final report",
        "Jan 15, 2027",
        "Sam Ortiz",
        "follow-up open",
        "Eastside Community Clinic",
        "Nov 18, 2026",
        "Edit grant application",
    ):
        assert text in html, text


def test_the_panel_is_empty_for_other_kinds(django_assert_num_queries):
    program = Program.objects.create(title="Story time", kind=Program.Kind.WORKSHOP)
    loaded = _prefetched(program)
    with django_assert_num_queries(0):
        assert render_to_string(PANEL, {"program": loaded}).strip() == ""


# Query counts: a fixed number, with 5 or 60 of everything

# Session, user, roles and the user's time zone (4 queries), then the page's own. The list: its
# count with its totals, and the page of rows.
LIST_QUERIES = 4 + 2
EDIT_QUERIES = 9


@pytest.fixture(params=[5, 60], ids=["5 rows", "60 rows"])
def many(request, librarian, colleague):
    rows = request.param
    for i in range(rows):
        make_grant(
            f"Grant {i}",
            TODAY + dt.timedelta(days=i) if i % 4 else None,
            amount_awarded=Decimal(i),
        )
    program = Program.objects.create(title="Busy grant", kind=Program.Kind.GRANT, lead=librarian)
    partners = [OrganizationFactory(name=f"Partner {i:02}") for i in range(rows)]
    for organization in partners:
        ProgramPartner.objects.create(program=program, organization=organization)
    grant_services.grant_save(
        program=program,
        by=librarian,
        funder="City Fund",
        deliverables=[
            grant_services.DeliverableChange(
                title=f"Step {i}", due_on=TODAY + dt.timedelta(days=i), owner=colleague
            )
            for i in range(rows)
        ],
        letters=[
            grant_services.LetterChange(organization=organization, received_on=TODAY)
            for organization in partners
        ],
    )
    return program


def test_grant_list_queries(librarian_client, many, django_assert_max_num_queries):
    for params in ({}, {"status": "drafting"}, {"page": 2}):
        with django_assert_max_num_queries(LIST_QUERIES):
            assert librarian_client.get(reverse("programs:grant_list"), params).status_code == 200


def test_grant_edit_page_queries(librarian_client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(EDIT_QUERIES):
        response = librarian_client.get(grant_edit_url(many))
    assert response.status_code == 200
    assert len(response.context["deliverables"].forms) == many.grant.deliverables.count() + 2
