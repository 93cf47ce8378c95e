"""Joint grant applications: the grant page, deliverables as follow-ups, letters of support."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.profiles import calendar_token_rotate
from core.tests.clock import frozen_clock
from outreach import services
from outreach.models import FollowUp
from partners.tests.factories import OrganizationFactory
from programs.models import Grant, GrantDeliverable, Program, SupportLetter
from programs.services import grants as grant_services
from programs.tests.helpers import TODAY, TODAY_10AM, grant_edit_url

pytestmark = pytest.mark.django_db

clock = frozen_clock(TODAY_10AM)


def _formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


def grant_data(deliverables: Sequence[dict] = (), letters: Sequence[dict] = (), **fields) -> dict:
    """What the page posts; existing rows (with "id") must come first, as the page lists them."""
    grant = {
        "funder": "Community Health Foundation",
        "status": "drafting",
        "amount_requested": "25000",
        "amount_awarded": "",
        "submission_deadline": "2026-12-15",
        "decision_expected": "2027-03-01",
    }
    grant.update(fields)
    data = {f"grant-{name}": value for name, value in grant.items()}
    data.update(_formset("deliverables", list(deliverables)))
    data.update(_formset("letters", list(letters)))
    return data


def deliverable_row(deliverable: GrantDeliverable, **changes) -> dict:
    row = {
        "id": str(deliverable.pk),
        "title": deliverable.title,
        "due_on": deliverable.due_on.isoformat(),
        "owner": str(deliverable.owner_id),
    }
    row.update(changes)
    return row


@pytest.fixture
def with_report(librarian_client, program, colleague):
    """The grant saved through the page with one deliverable, the final report, Sam's."""
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data(
            deliverables=[{"title": "Final report", "due_on": "2027-01-15", "owner": colleague.pk}]
        ),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    return GrantDeliverable.objects.get()


# The grant page and deliverables as follow-ups


def test_deliverable_due_dates_create_follow_ups_for_the_right_person(
    librarian, colleague, clinic, program, with_report
):
    grant = Grant.objects.get()
    assert (grant.program, grant.funder, grant.amount_requested) == (
        program,
        "Community Health Foundation",
        Decimal("25000.00"),
    )
    followup = FollowUp.objects.get()
    assert with_report.followup == followup
    assert followup.assignee == colleague
    assert followup.created_by == librarian
    assert followup.organization == clinic  # the lead partner, not the first by name
    assert followup.due_on == dt.date(2027, 1, 15)
    assert followup.title == "Grant deliverable: Final report (Community Health Foundation)"
    assert followup.status == FollowUp.Status.OPEN


def test_changing_the_date_moves_the_follow_up_rather_than_duplicating_it(
    librarian_client, program, with_report
):
    followup = with_report.followup
    response = librarian_client.post(
        grant_edit_url(program), grant_data([deliverable_row(with_report, due_on="2027-02-01")])
    )
    assert response.status_code == 302
    assert FollowUp.objects.count() == 1
    followup.refresh_from_db()
    assert followup.due_on == dt.date(2027, 2, 1)
    assert GrantDeliverable.objects.get().followup == followup


def test_an_owner_change_reassigns_the_same_follow_up(
    librarian_client, librarian, program, with_report
):
    followup = with_report.followup
    librarian_client.post(
        grant_edit_url(program), grant_data([deliverable_row(with_report, owner=str(librarian.pk))])
    )
    followup.refresh_from_db()
    assert (FollowUp.objects.count(), followup.assignee) == (1, librarian)


def test_a_new_title_or_funder_retitles_the_open_follow_up(librarian_client, program, with_report):
    librarian_client.post(
        grant_edit_url(program),
        grant_data([deliverable_row(with_report, title="Interim report")], funder="City Fund"),
    )
    assert FollowUp.objects.get().title == "Grant deliverable: Interim report (City Fund)"


def test_deleting_a_deliverable_cancels_its_follow_up(librarian_client, program, with_report):
    followup = with_report.followup
    response = librarian_client.post(
        grant_edit_url(program), grant_data([deliverable_row(with_report, DELETE="on")])
    )
    assert response.status_code == 302
    assert not GrantDeliverable.objects.exists()
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.CANCELLED


def test_a_done_follow_up_stays_done_and_is_not_recreated_when_the_date_changes(
    librarian_client, colleague, program, with_report
):
    followup = services.followup_complete(followup=with_report.followup, by=colleague)
    librarian_client.post(
        grant_edit_url(program), grant_data([deliverable_row(with_report, due_on="2027-02-01")])
    )
    followup.refresh_from_db()
    assert FollowUp.objects.count() == 1
    assert (followup.status, followup.due_on) == (FollowUp.Status.DONE, dt.date(2027, 1, 15))
    deliverable = GrantDeliverable.objects.get()
    assert (deliverable.due_on, deliverable.followup) == (dt.date(2027, 2, 1), followup)


def test_the_follow_up_title_fits_even_with_long_names(librarian, colleague, program):
    grant_services.grant_save(
        program=program,
        by=librarian,
        funder="F" * 200,
        deliverables=[
            grant_services.DeliverableChange(
                title="T" * 200, due_on=dt.date(2027, 1, 1), owner=colleague
            )
        ],
    )
    assert len(FollowUp.objects.get().title) == 200


def test_the_page_offers_the_program_lead_as_owner(librarian_client, program, librarian):
    response = librarian_client.get(grant_edit_url(program))
    assert response.status_code == 200
    assert response.context["deliverables"].forms[0]["owner"].value() == librarian.pk
    assert b"No application details" not in response.content


def test_without_a_program_lead_the_current_user_owns_new_deliverables(client, colleague, program):
    program.lead = None
    program.save()
    client.force_login(colleague)
    response = client.get(grant_edit_url(program))
    assert response.context["deliverables"].forms[0]["owner"].value() == colleague.pk


def test_a_program_of_another_kind_has_no_grant(librarian, librarian_client, program):
    program.kind = Program.Kind.WORKSHOP
    program.save()
    response = librarian_client.get(grant_edit_url(program))
    assert response.status_code == 404
    assert "Only programs of the kind “Joint grant application”" in response.content.decode()
    response = librarian_client.post(grant_edit_url(program), grant_data())
    assert response.status_code == 404
    assert not Grant.objects.exists()
    with pytest.raises(ValidationError):
        grant_services.grant_save(program=program, by=librarian, funder="City Fund")


def test_a_missing_program_is_a_404(librarian_client):
    assert librarian_client.get(reverse("programs:grant_edit", args=[999999])).status_code == 404


def test_a_program_without_partners_gets_a_clear_error_and_nothing_is_saved(
    librarian_client, librarian
):
    program = Program.objects.create(title="Solo grant", kind=Program.Kind.GRANT)
    page = librarian_client.get(grant_edit_url(program)).content.decode()
    assert "Add a partner organization to the program first" in page
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data([{"title": "Report", "due_on": "2027-01-15", "owner": librarian.pk}]),
    )
    assert response.status_code == 200
    assert "Add a partner organization to the program first" in " ".join(
        response.context["deliverables"].non_form_errors()
    )
    assert not Grant.objects.exists()
    assert not GrantDeliverable.objects.exists()
    assert not FollowUp.objects.exists()


def test_a_grant_without_deliverables_needs_no_partner(librarian_client):
    program = Program.objects.create(title="Solo grant", kind=Program.Kind.GRANT)
    assert librarian_client.post(grant_edit_url(program), grant_data()).status_code == 302
    assert Grant.objects.get().program == program


def test_an_invalid_deliverable_saves_nothing(librarian_client, program, colleague):
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data([{"title": "Report", "due_on": "2026-11-01", "owner": colleague.pk}]),
    )
    assert response.status_code == 200
    errors = response.context["deliverables"].forms[0].errors
    assert errors["due_on"] == ["Pick today or a later day."]
    assert b"Pick today or a later day." in response.content
    assert not Grant.objects.exists() and not FollowUp.objects.exists()


def test_a_deliverable_due_in_year_9999_is_refused_so_the_owners_calendar_feed_works(
    client, librarian_client, librarian, program
):
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data([{"title": "Report", "due_on": "9999-12-31", "owner": librarian.pk}]),
    )
    assert response.status_code == 200
    errors = response.context["deliverables"].forms[0].errors
    assert errors["due_on"] == ["Pick a day between 1990 and 2100."]
    assert not FollowUp.objects.exists()
    # The follow-up it would have made ends a day after its due date: past year 9999.
    feed = reverse("outreach:calendar_feed", args=[calendar_token_rotate(user=librarian)])
    assert client.get(feed).status_code == 200


def test_an_overdue_deliverable_left_as_it_is_can_still_be_saved(
    librarian_client, program, with_report, clock
):
    clock.move_to(dt.datetime(2027, 2, 1, 15, 0, tzinfo=dt.UTC))
    response = librarian_client.post(
        grant_edit_url(program), grant_data([deliverable_row(with_report)], status="submitted")
    )
    assert response.status_code == 302


def test_awarded_asks_for_the_amount_awarded(librarian_client, program):
    response = librarian_client.post(grant_edit_url(program), grant_data(status="awarded"))
    assert response.status_code == 200
    assert response.context["form"].errors["amount_awarded"] == [
        grant_services.AWARDED_NEEDS_AMOUNT
    ]
    assert not Grant.objects.exists()
    response = librarian_client.post(
        grant_edit_url(program), grant_data(status="awarded", amount_awarded="20000")
    )
    assert response.status_code == 302
    assert Grant.objects.get().amount_awarded == Decimal("20000")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount_requested", "-5"),
        ("amount_requested", "abc"),
        ("amount_requested", "NaN"),
        ("amount_requested", "1e400"),
        ("amount_awarded", "12345678901234"),
        ("amount_awarded", "10.555"),
        ("submission_deadline", "2026-02-30"),
        ("status", "bogus"),
        ("funder", "   "),
        ("funder", "x" * 201),
    ],
)
def test_bad_grant_values_are_refused_next_to_the_field(librarian_client, program, field, value):
    response = librarian_client.post(grant_edit_url(program), grant_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    "row",
    [
        {"title": "Report", "due_on": "2027-01-15", "owner": "999999"},
        {"title": "Report", "due_on": "2027-01-15", "owner": "x"},
        {"title": "Report", "due_on": "soon", "owner": ""},
        {"title": "", "due_on": "2027-01-15", "owner": ""},
        {"id": "999999", "title": "Report", "due_on": "2027-01-15", "owner": ""},
    ],
)
def test_bad_deliverable_rows_never_fail_the_page(librarian_client, program, row):
    response = librarian_client.post(grant_edit_url(program), grant_data([row]))
    assert response.status_code == 200
    assert not Grant.objects.exists()


def test_a_tampered_management_form_is_an_error_not_a_crash(librarian_client, program):
    data = grant_data()
    del data["deliverables-TOTAL_FORMS"]
    response = librarian_client.post(grant_edit_url(program), data)
    assert response.status_code == 200
    assert not Grant.objects.exists()


def test_a_non_staff_owner_is_refused(librarian_client, program):
    from django.contrib.auth.models import User

    outsider = User.objects.create_user("guest")
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data([{"title": "Report", "due_on": "2027-01-15", "owner": outsider.pk}]),
    )
    assert "owner" in response.context["deliverables"].forms[0].errors


def test_a_former_colleague_keeps_a_deliverable_until_reassigned(
    librarian_client, program, with_report, colleague
):
    colleague.is_active = False
    colleague.save()
    response = librarian_client.get(grant_edit_url(program))
    assert response.status_code == 200
    response = librarian_client.post(
        grant_edit_url(program), grant_data([deliverable_row(with_report)], funder="City Fund")
    )
    assert response.status_code == 302


# Letters of support


def test_letters_of_support_from_partners_are_saved(librarian_client, program, clinic, adult_ed):
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data(
            letters=[
                {"organization": clinic.pk, "received_on": "2026-11-10"},
                {"organization": adult_ed.pk, "received_on": "2026-11-18"},
            ]
        ),
    )
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert sorted(grant.support_letters.values_list("name", flat=True)) == [
        "Adult Education Center",
        "Eastside Community Clinic",
    ]


def test_letters_must_come_from_partner_organizations(librarian_client, librarian, program):
    stranger = OrganizationFactory(name="Unrelated Co")
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data(letters=[{"organization": stranger.pk, "received_on": "2026-11-10"}]),
    )
    assert response.status_code == 200
    assert "organization" in response.context["letters"].forms[0].errors
    assert not Grant.objects.exists()
    # The service refuses too, whoever calls it.
    with pytest.raises(ValidationError, match="not a partner organization"):
        grant_services.grant_save(
            program=program,
            by=librarian,
            funder="City Fund",
            letters=[
                grant_services.LetterChange(organization=stranger, received_on=TODAY),
            ],
        )
    assert not Grant.objects.exists()


def test_a_letter_cannot_be_received_in_the_future(librarian_client, program, clinic):
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data(letters=[{"organization": clinic.pk, "received_on": "2026-11-19"}]),
    )
    assert response.context["letters"].forms[0].errors["received_on"] == [
        "A letter cannot be received in the future."
    ]
    assert not SupportLetter.objects.exists()


def test_one_letter_per_organization(librarian_client, program, clinic):
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data(
            letters=[
                {"organization": clinic.pk, "received_on": "2026-11-10"},
                {"organization": clinic.pk, "received_on": "2026-11-12"},
            ]
        ),
    )
    assert response.status_code == 200
    assert "Already listed" in str(response.context["letters"].forms[1].errors)
    assert not Grant.objects.exists()


def test_letters_can_swap_senders_and_be_removed(
    librarian, librarian_client, program, clinic, adult_ed
):
    grant_services.grant_save(
        program=program,
        by=librarian,
        funder="City Fund",
        letters=[
            grant_services.LetterChange(organization=clinic, received_on=dt.date(2026, 11, 1)),
            grant_services.LetterChange(organization=adult_ed, received_on=dt.date(2026, 11, 2)),
        ],
    )
    first, second = SupportLetter.objects.order_by("received_on")
    response = librarian_client.post(
        grant_edit_url(program),
        grant_data(
            letters=[
                {"id": first.pk, "organization": adult_ed.pk, "received_on": "2026-11-01"},
                {"id": second.pk, "organization": clinic.pk, "received_on": "2026-11-02"},
            ]
        ),
    )
    assert response.status_code == 302
    assert dict(SupportLetter.objects.values_list("organization__name", "received_on")) == {
        "Adult Education Center": dt.date(2026, 11, 1),
        "Eastside Community Clinic": dt.date(2026, 11, 2),
    }
    letter = SupportLetter.objects.get(organization=clinic)
    librarian_client.post(
        grant_edit_url(program),
        grant_data(
            letters=[
                {
                    "id": letter.pk,
                    "organization": clinic.pk,
                    "received_on": "2026-11-02",
                    "DELETE": "on",
                }
            ]
        ),
    )
    assert list(SupportLetter.objects.values_list("organization__name", flat=True)) == [
        "Adult Education Center"
    ]
