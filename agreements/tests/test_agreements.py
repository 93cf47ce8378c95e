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
