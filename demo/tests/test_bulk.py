"""demo.bulk.insert writes what bulk_create would: by COPY on PostgreSQL, bulk_create elsewhere."""

from datetime import date, timedelta

from django.utils import timezone

from demo.bulk import insert
from partners.models import Affiliation, Contact, Organization

AWKWARD = "Back\\slash, tab\there,\nnew line, \r\nWindows line; \\N is no null"


def test_insert_writes_every_value_back_as_given(db):
    opted_out_at = timezone.now() - timedelta(days=3, microseconds=7)
    ada = Contact(name="Ada", notes=AWKWARD, opted_out_of_updates=True, opted_out_at=opted_out_at)
    bo = Contact(name="Bo Ng", phone="(541) 555-0100")

    insert(Contact, [ada, bo])

    assert ada.pk is not None and bo.pk == ada.pk + 1
    assert Contact.objects.values_list("name", "notes", "opted_out_of_updates", "opted_out_at").get(
        pk=ada.pk
    ) == ("Ada", AWKWARD, True, opted_out_at)
    assert Contact.objects.values_list("email", "phone", "do_not_contact", "opted_out_at").get(
        pk=bo.pk
    ) == ("", "(541) 555-0100", False, None)


def test_insert_points_at_rows_inserted_before_and_keeps_their_stamps(db):
    organization = Organization(name="Cedar Bend Food Bank", normalized_name="cedarbendfoodbank")
    contact = Contact(name="Rosa Diaz")
    affiliation = Affiliation(
        contact=contact, organization=organization, title="Director", start_date=date(2021, 3, 1)
    )
    created = timezone.now() - timedelta(days=400)
    updated = created + timedelta(days=30, hours=5)

    insert(Organization, [organization], {id(organization): (created, updated)})
    insert(Contact, [contact])
    insert(Affiliation, [affiliation])

    assert Organization.objects.values_list("created_at", "updated_at").get() == (created, updated)
    assert (organization.created_at, organization.updated_at) == (created, updated)
    saved = Affiliation.objects.get()
    assert (saved.pk, saved.contact_id, saved.organization_id) == (
        affiliation.pk,
        contact.pk,
        organization.pk,
    )
    assert (saved.title, saved.start_date, saved.end_date) == ("Director", date(2021, 3, 1), None)
