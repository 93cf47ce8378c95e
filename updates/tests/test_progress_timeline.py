"""A sent progress update is on the timeline of each organization whose people it reached."""

from types import SimpleNamespace

import pytest

from outreach.models import Touchpoint
from partners.services import contact_unsubscribe
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.tests.factories import ProgramFactory, ProgramPartnerFactory
from updates import services
from updates.tests.helpers import draft_february, subscribe

pytestmark = pytest.mark.django_db


def test_a_sent_update_is_an_email_touchpoint_with_the_people_it_reached(partner, librarian):
    update = draft_february(subscribe(partner, librarian))
    contact_unsubscribe(contact=partner.ana)  # suppressed: she does not get it

    services.progress_update_send(update=update, by=librarian)

    touchpoint = Touchpoint.objects.get(organization=partner.organization)
    assert touchpoint.channel == Touchpoint.Channel.EMAIL
    assert touchpoint.subject.startswith("Progress update: ")
    assert list(touchpoint.contacts.all()) == [partner.ben]
    assert touchpoint.staff == librarian
    assert "Feb 1 to Feb 28, 2026" in touchpoint.notes and partner.ben.name in touchpoint.notes
    partner.organization.refresh_from_db()
    assert partner.organization.last_touchpoint_on == touchpoint.occurred_on


def test_an_update_nobody_received_is_not_on_the_timeline(partner, librarian):
    update = draft_february(subscribe(partner, librarian, recipients=[partner.ana]))
    contact_unsubscribe(contact=partner.ana)
    services.progress_update_send(update=update, by=librarian)
    assert not Touchpoint.objects.exists()


def test_a_programs_update_is_on_each_partners_timeline(librarian):
    program = ProgramFactory()
    clinic, school = OrganizationFactory(name="Clinic"), OrganizationFactory(name="School")
    people = []
    for organization in (clinic, school):
        ProgramPartnerFactory(program=program, organization=organization)
        people.append(AffiliationFactory(organization=organization).contact)
    subscription = subscribe(
        SimpleNamespace(ana=None, ben=None), librarian, program=program, recipients=people
    )
    services.progress_update_send(update=draft_february(subscription), by=None)
    logged = {t.organization: list(t.contacts.all()) for t in Touchpoint.objects.all()}
    assert logged == {clinic: [people[0]], school: [people[1]]}
    assert {t.staff for t in Touchpoint.objects.all()} == {librarian}  # the owner, when automatic
