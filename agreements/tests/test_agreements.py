"""Agreements: made from a partner's page, renewal follow-ups moved not doubled, expiry by
itself, the list's filters, the partner's page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from agreements.services import agreement_save, agreements_expire
from outreach.models import FollowUp
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC))
    return TODAY


def signed(organizations, owner, *, ends_in: int | None = 200, **fields) -> Agreement:
    agreement = Agreement(
        title=fields.pop("title", "MOU: shared programming"),
        status=fields.pop("status", Agreement.Status.ACTIVE),
        signed_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=ends_in) if ends_in is not None else None,
        owner=owner,
        **fields,
    )
    return agreement_save(agreement=agreement, organizations=organizations, by=owner)


def renewal_of(agreement: Agreement) -> FollowUp:
    followup = agreement.renewal_followup
    assert followup is not None
    return followup


def form_data(**fields) -> dict:
    return {
        "kind": "data_sharing",
        "title": "Data-sharing: workshop attendance",
        "partners": "Eastside Community Clinic",
        "status": "active",
        "signed_on": "2026-11-02",
        "starts_on": "2026-11-02",
        "ends_on": "2027-06-30",
        "renewal_notice_days": "60",
        "owner": "",
        "library_signatory": "",
        "partner_signatory": "",
        "obligations": "",
        **fields,
    }


def test_a_librarian_records_an_agreement_from_the_partners_page(
    librarian_client, librarian, clinic, today
):
    school = OrganizationFactory(name="Harlow Springs School District")
    page = librarian_client.get(clinic.get_absolute_url()).content.decode()
    new = f"{reverse('agreements:agreement_create')}?organization={clinic.pk}"
    assert new.replace("&", "&amp;") in page
    form = librarian_client.get(new).context["form"]
    assert form["partners"].value() == "Eastside Community Clinic"
    data = form_data(partners="Eastside Community Clinic\nHarlow Springs School District")
    response = librarian_client.post(new, data)
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response.url == agreement.get_absolute_url()
    assert set(agreement.organizations.all()) == {clinic, school}
    assert agreement.owner == librarian
    # The reminder, 60 days before the end, on the first partner, the owner's.
    followup = renewal_of(agreement)
    assert (followup.due_on, followup.assignee, followup.organization) == (
        dt.date(2027, 5, 1),
        librarian,
        clinic,
    )
    page = librarian_client.get(clinic.get_absolute_url()).content.decode()
    assert "Data-sharing: workshop attendance" in page
    assert "Data-sharing agreement until Jun 30, 2027" in page
    assert (
        "Data-sharing agreement until"
        not in librarian_client.get(OrganizationFactory().get_absolute_url()).content.decode()
    )


def test_a_partner_that_is_not_in_liaison_is_said_next_to_the_field(
    librarian_client, clinic, today
):
    new = reverse("agreements:agreement_create")
    response = librarian_client.post(new, form_data(partners="Eastside Comunity Clinic"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "No organization is called “Eastside Comunity Clinic”" in errors["partners"][0]
    response = librarian_client.post(new, form_data(status="active", signed_on=""))
    assert "A signed or active agreement has a signing date." in response.content.decode()
    response = librarian_client.post(new, form_data(starts_on="2027-07-01"))
    assert "The end comes before the start." in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_renewal_follow_up_moves_with_the_end_and_is_never_doubled(
    librarian, manager, clinic, today
):
    agreement = signed([clinic], librarian, ends_in=200)
    first = renewal_of(agreement)
    assert first.due_on == TODAY + dt.timedelta(days=140)
    agreement.ends_on = TODAY + dt.timedelta(days=300)
    agreement.owner = manager
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    first.refresh_from_db()
    assert first.due_on == TODAY + dt.timedelta(days=240) and first.assignee == manager
    assert FollowUp.objects.filter(agreement=agreement).count() == 1
    # Ending within the notice already: due today.
    agreement.ends_on = TODAY + dt.timedelta(days=20)
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    first.refresh_from_db()
    assert first.due_on == TODAY
    # Renewed (done), then a new term: a new follow-up for it.
    first.status, first.completed_at = FollowUp.Status.DONE, timezone.now()
    first.save()
    agreement.ends_on = TODAY + dt.timedelta(days=400)
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    agreement.refresh_from_db()
    assert agreement.renewal_followup != first
    assert renewal_of(agreement).due_on == TODAY + dt.timedelta(days=340)
    assert (
        FollowUp.objects.filter(status=FollowUp.Status.OPEN, title__contains="Renew").count() == 1
    )
    # Terminated: nothing left to renew.
    agreement.status = Agreement.Status.TERMINATED
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    assert FollowUp.objects.filter(status=FollowUp.Status.OPEN).count() == 0


def test_an_open_ended_or_draft_agreement_has_nothing_to_renew(librarian, clinic, today):
    signed([clinic], librarian, ends_in=None)
    signed([clinic], librarian, ends_in=100, status=Agreement.Status.DRAFT, title="Draft")
    assert not FollowUp.objects.exists()


def test_an_agreement_past_its_end_expires_by_itself(librarian, clinic, today, time_machine):
    ended = signed([clinic], librarian, ends_in=10, title="Ends soon")
    draft = signed([clinic], librarian, ends_in=5, status=Agreement.Status.DRAFT, title="Draft")
    assert agreements_expire() == 0
    time_machine.move_to(dt.datetime(2026, 12, 15, 12, 0, tzinfo=dt.UTC))
    assert agreements_expire() == 1 and agreements_expire() == 0
    ended.refresh_from_db()
    draft.refresh_from_db()
    assert ended.status == Agreement.Status.EXPIRED and draft.status == Agreement.Status.DRAFT
    # Its renewal follow-up stays open: renew or close.
    assert renewal_of(ended).status == FollowUp.Status.OPEN


def test_the_list_filters_by_kind_status_end_and_partner(
    librarian_client, librarian, clinic, today
):
    school = OrganizationFactory()
    signed([clinic], librarian, ends_in=20, title="Soon", kind=Agreement.Kind.DATA_SHARING)
    signed([clinic], librarian, ends_in=50, title="Fifty")
    signed([school], librarian, ends_in=80, title="Eighty", kind=Agreement.Kind.FACILITY_USE)
    signed([school], librarian, ends_in=None, title="Open-ended")
    signed([school], librarian, ends_in=40, title="Draft", status=Agreement.Status.DRAFT)

    def titles(query: str = "") -> list[str]:
        page = librarian_client.get(reverse("agreements:agreement_list") + query)
        return [a.title for a in page.context["page"].object_list]

    assert titles() == ["Soon", "Draft", "Fifty", "Eighty", "Open-ended"]
    assert titles("?ending=30") == ["Soon"]
    assert titles("?ending=60") == ["Soon", "Fifty"]
    assert titles("?ending=90") == ["Soon", "Fifty", "Eighty"]
    assert titles("?kind=facility_use") == ["Eighty"]
    assert titles("?status=draft") == ["Draft"]
    assert titles(f"?organization={clinic.pk}") == ["Soon", "Fifty"]
    assert titles("?organization=abc") == []
    assert titles("?ending=7&kind=bogus") == []  # a 7-day window is not offered: nothing widened


def test_the_signed_copy_is_a_document_of_the_agreement(librarian_client, librarian, clinic, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.samples import pdf_bytes

    agreement = signed([clinic], librarian)
    upload = f"{reverse('documents:document_upload')}?to=agreement&of={agreement.pk}"
    data = {"kind": "agreement", "file": SimpleUploadedFile("signed.pdf", pdf_bytes("Signed"))}
    assert librarian_client.post(upload, data).status_code == 302
    page = librarian_client.get(agreement.get_absolute_url()).content.decode()
    assert "signed" in page and 'aria-labelledby="documents-heading"' in page


def test_pages_read_the_same_few_queries_for_few_or_many(
    librarian_client, librarian, clinic, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        librarian_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert librarian_client.get(url).status_code == 200
        return len(queries)

    first = signed([clinic, OrganizationFactory()], librarian)
    urls = [
        reverse("agreements:agreement_list"),
        first.get_absolute_url(),
        clinic.get_absolute_url(),
    ]
    few = [count(url) for url in urls]
    for n in range(15):
        signed([clinic, OrganizationFactory()], librarian, title=f"Agreement {n}", ends_in=30 + n)
    assert [count(url) for url in urls] == few
    assert timezone.localdate() == TODAY


def test_a_done_reminder_stays_done_whatever_is_edited_later(
    librarian, clinic, today, time_machine
):
    agreement = signed([clinic], librarian, ends_in=100)
    first = renewal_of(agreement)
    time_machine.move_to(dt.datetime(2027, 1, 18, 15, 0, tzinfo=dt.UTC))  # past the notice day
    first.status, first.completed_at = FollowUp.Status.DONE, timezone.now()
    first.save()
    agreement.obligations = "Share attendance figures each quarter."
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    assert list(FollowUp.objects.values_list("status", flat=True)) == ["done"]


def test_an_unrelated_edit_never_moves_an_overdue_reminder(librarian, clinic, today, time_machine):
    agreement = signed([clinic], librarian, ends_in=20)
    assert renewal_of(agreement).due_on == TODAY
    time_machine.move_to(dt.datetime(2026, 12, 14, 15, 0, tzinfo=dt.UTC))
    agreement.obligations = "A note"
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    assert renewal_of(agreement).due_on == TODAY  # still ten days overdue


def test_back_in_force_after_a_review_it_has_a_reminder_again(librarian, clinic, today):
    agreement = signed([clinic], librarian, ends_in=200)
    agreement.status = Agreement.Status.IN_REVIEW
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    assert not FollowUp.objects.filter(status=FollowUp.Status.OPEN).exists()
    agreement.status = Agreement.Status.ACTIVE
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    assert FollowUp.objects.filter(status=FollowUp.Status.OPEN).count() == 1


def test_editing_an_expired_agreement_keeps_its_reminder_open(
    librarian, clinic, today, time_machine
):
    agreement = signed([clinic], librarian, ends_in=10)
    time_machine.move_to(dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC))
    agreements_expire()
    agreement.refresh_from_db()
    assert agreement.ended_on == TODAY + dt.timedelta(days=10)
    agreement.obligations = "A note"
    agreement_save(agreement=agreement, organizations=[clinic], by=librarian)
    assert renewal_of(agreement).status == FollowUp.Status.OPEN


def test_the_reminder_moves_to_a_partner_still_on_the_agreement(librarian, clinic, today):
    school = OrganizationFactory(name="School")
    agreement = signed([clinic, school], librarian)
    assert renewal_of(agreement).organization == clinic
    agreement_save(agreement=agreement, organizations=[school], by=librarian)
    assert renewal_of(agreement).organization == school


def test_a_partner_added_meanwhile_is_a_conflict_not_lost(
    client, librarian, manager, clinic, today
):
    agreement = signed([clinic], librarian)
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    client.force_login(librarian)
    opened = client.get(url).context["form"]
    data = {name: opened[name].value() or "" for name in opened.fields}
    school = OrganizationFactory(name="Harlow School")
    agreement_save(agreement=agreement, organizations=[clinic, school], by=manager)
    data["obligations"] = "A note"
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].conflict
    assert set(agreement.organizations.all()) == {clinic, school}


def test_dates_out_of_range_and_partners_sharing_a_name_are_handled(
    librarian_client, clinic, today
):
    new = reverse("agreements:agreement_create")
    for field, day in (
        ("ends_on", "0001-01-01"),
        ("signed_on", "0001-01-01"),
        ("ends_on", "2300-01-01"),
    ):
        response = librarian_client.post(new, form_data(**{field: day, "starts_on": ""}))
        assert response.status_code == 200, (field, day)
        assert "Pick a day from 1990 to 2100." in response.content.decode(), (field, day)
    twin = OrganizationFactory(name="Eastside Community Clinic")
    agreement = signed([clinic], librarian_client.get(new).wsgi_request.user)
    form = librarian_client.get(reverse("agreements:agreement_edit", args=[agreement.pk])).context[
        "form"
    ]
    assert form["partners"].value() == f"Eastside Community Clinic (#{clinic.pk})"
    assert twin.pk != clinic.pk
    assert not Agreement.objects.filter(title="Data-sharing: workshop attendance").exists()


def test_the_program_must_be_one_of_the_partners(librarian_client, librarian, clinic, today):
    from programs.models import Program, ProgramPartner

    theirs = Program.objects.create(title="Health literacy series")
    ProgramPartner.objects.create(program=theirs, organization=clinic)
    elsewhere = Program.objects.create(title="Story walk")
    new = f"{reverse('agreements:agreement_create')}?organization={clinic.pk}"
    response = librarian_client.post(new, form_data(program=str(elsewhere.pk)))
    assert response.status_code == 200 and "Story walk" in response.content.decode()
    assert librarian_client.post(new, form_data(program=str(theirs.pk))).status_code == 302
    assert Agreement.objects.get().program == theirs


def test_a_signed_copy_uploaded_to_the_agreement_is_on_the_partners_page(
    librarian_client, librarian, clinic, today
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.models import Document
    from documents.samples import pdf_bytes

    agreement = signed([clinic], librarian)
    upload = f"{reverse('documents:document_upload')}?to=agreement&of={agreement.pk}"
    data = {"kind": "agreement", "file": SimpleUploadedFile("signed.pdf", pdf_bytes("Signed"))}
    librarian_client.post(upload, data)
    assert Document.objects.get().organization == clinic


def test_the_list_finds_a_partner_by_name(librarian_client, librarian, clinic, today):
    signed([clinic], librarian, title="Clinic MOU")
    signed([OrganizationFactory(name="School")], librarian, title="School MOU")
    page = librarian_client.get(
        reverse("agreements:agreement_list") + "?partner=eastside+community+clinic"
    )
    assert [a.title for a in page.context["page"].object_list] == ["Clinic MOU"]
    page = librarian_client.get(reverse("agreements:agreement_list") + "?partner=Nowhere")
    assert list(page.context["page"].object_list) == []
    assert "No organization is called" in page.content.decode()
