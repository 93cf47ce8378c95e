"""The merge tests' cast (config/tests/test_merge.py): two records of the County Health
Department, and two of one person, with everything Liaison links to each. Fixtures of every
config test through config/tests/conftest.py."""

import datetime as dt
import uuid

import pytest

from agreements.models import Agreement
from compose.models import GroupEmail, SentEmail
from documents.models import Document
from health.models import WeeklyHealth
from inbox.models import CapturedEmail, FiledEmail
from mail.models import OutgoingEmail
from outreach.models import FollowUp
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from partners import merge
from partners.models import FocusArea, Health, OptOutChange, Organization, Stage, StageChange
from partners.relations import organization_relation_add
from partners.tags import tag_create
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory
from programs.models import SupportLetter
from programs.tests.factories import GrantFactory, ProgramPartnerFactory
from reviews.models import PartnershipReview
from updates.models import ProgressSubscription

DAY = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


# The cast: two records of the County Health Department, everything linked to both.


@pytest.fixture
def areas():
    return list(FocusArea.objects.order_by("name")[:3])


def _weekly_health(survivor: Organization, other: Organization) -> None:
    """Health recorded the same week for both (the survivor's kept), and a week only the other
    has."""
    monday = DAY.date()
    for organization, week in (
        (survivor, monday),
        (other, monday),
        (other, monday - dt.timedelta(days=7)),
    ):
        WeeklyHealth.objects.create(organization=organization, week=week, level=Health.HEALTHY)


def _papers(survivor: Organization, other: Organization, by) -> None:
    """A document of the other's; an agreement with both (the survivor once), one with it;
    annual reviews of 2025 by both (the other's kept, archived) and of 2024 by the other; their
    weekly health; playbooks."""
    _playbooks(survivor, other, by)
    Document.objects.create(title="MOU", organization=other, file_name="MOU.pdf", size=1)
    Agreement.objects.create(title="Coalition MOU").organizations.set([survivor, other])
    Agreement.objects.create(title="Facility use").organizations.set([other])
    for organization, year in ((survivor, 2025), (other, 2025), (other, 2024)):
        PartnershipReview.objects.create(
            organization=organization, year=year, reviewed_on=dt.date(year, 12, 1)
        )
    _weekly_health(survivor, other)


def _playbooks(survivor: Organization, other: Organization, by) -> None:
    """A playbook running on both (the survivor's kept), one on the other only."""
    from playbooks.services import StepSpec, playbook_apply, playbook_create

    both, own = (
        playbook_create(name=name, steps=[StepSpec(title="Call", offset_days=0)], by=by)
        for name in ("Merge: on both", "Merge: on the other")
    )
    for playbook, organization in ((both, survivor), (both, other), (own, other)):
        playbook_apply(playbook=playbook, organization=organization, by=by)


@pytest.fixture
def duplicates(manager, librarian, areas):
    survivor = OrganizationFactory(
        name="Riverside County Health Dept",
        kind="nonprofit",
        stage=Stage.CONTACTED,
        stage_changed_at=DAY - dt.timedelta(days=30),
        owner=librarian,
        website="https://health.example.gov",
    )
    other = OrganizationFactory(
        name="Riverside County Health Department",
        kind="government",
        government_level="county",
        stage=Stage.IDENTIFIED,
        stage_changed_at=DAY - dt.timedelta(days=40),
        owner=manager,
        email="info@health.example.gov",
        mission="Healthy families in every neighborhood.",
    )
    StageChange.objects.create(
        organization=other,
        from_stage=Stage.IDENTIFIED,
        to_stage=Stage.ACTIVE,
        changed_at=DAY - dt.timedelta(days=20),
        note="Signed the partnership letter",
    )
    Organization.objects.filter(pk=other.pk).update(stage=Stage.ACTIVE)
    other.refresh_from_db()
    third = OrganizationFactory(name="Oak Valley Schools")
    survivor.focus_areas.set(areas[:2])
    other.focus_areas.set(areas[1:])

    both = ContactFactory(name="Maria Delgado")
    AffiliationFactory(contact=both, organization=survivor, title="Nurse")
    AffiliationFactory(contact=both, organization=other, title="Head nurse")  # duplicate
    AffiliationFactory(organization=survivor, is_primary=True, title="Director")
    AffiliationFactory(organization=other, is_primary=True, title="Deputy director")
    AffiliationFactory(organization=other, end_date=dt.date(2025, 1, 31), title="Intern")

    theirs_too = TouchpointFactory(organization=survivor, contacts=[both])
    shared_email = TouchpointFactory(organization=other, contacts=[both])
    own_email = TouchpointFactory(organization=other)
    # An email filed on both (the survivor's link is kept), and one on the other only.
    emails = [
        CapturedEmail.objects.create(
            message_id=f"<{n}@x.org>",
            thread_key=f"<{n}@x.org>",
            direction="in",
            from_address="a@x.org",
            sent_at=DAY,
            status="filed",
        )  # fmt: skip
        for n in range(2)
    ]
    FiledEmail.objects.create(email=emails[0], organization=survivor, touchpoint=theirs_too)
    FiledEmail.objects.create(email=emails[0], organization=other, touchpoint=shared_email)
    FiledEmail.objects.create(email=emails[1], organization=other, touchpoint=own_email)
    SentEmail.objects.create(contact=both, organization=other, left_out="No email address")
    _papers(survivor, other, librarian)
    MeetingFactory(organization=other, contacts=[both])
    MeetingFactory(organization=survivor, other_organizations=[other])  # both at once
    MeetingFactory(organization=other, other_organizations=[survivor])  # both at once
    MeetingFactory(organization=third, other_organizations=[survivor, other])  # duplicate link
    MeetingFactory(organization=third, other_organizations=[other])
    shared = ProgramPartnerFactory(organization=survivor).program
    ProgramPartnerFactory(organization=other, program=shared, role="funder")  # duplicate
    ProgramPartnerFactory(organization=other)
    grant = GrantFactory()
    SupportLetter.objects.create(grant=grant, organization=survivor, received_on=DAY.date())
    SupportLetter.objects.create(grant=grant, organization=other, received_on=DAY.date())
    SupportLetter.objects.create(grant=GrantFactory(), organization=other, received_on=DAY.date())
    subscription = ProgressSubscription.objects.create(organization=other, owner=manager)
    subscription.recipients.set([both])
    _ties(survivor, other, third, librarian)
    earlier = OrganizationFactory(
        name="Riverside Cnty Health", stage_changed_at=DAY - dt.timedelta(days=50)
    )
    merge.organization_merge(survivor=other, other=earlier, fields={}, by=manager)
    return {"survivor": survivor, "other": other, "third": third, "both": both, "grant": grant}


def _ties(survivor: Organization, other: Organization, third: Organization, by) -> None:
    """A follow-up, coalition touchpoints, ties between organizations and tags: each kind of row
    the merge moves or drops. (A tie between the two: partners/tests/test_relations.py.)"""
    # Coalition touchpoints: with both (one link kept), with the other only, and the survivor's
    # own with the other (which would name the survivor twice).
    FollowUp.objects.create(organization=other, assignee=by, title="Flyers", due_on=DAY.date())
    TouchpointFactory(organization=third).other_organizations.set([survivor, other])
    TouchpointFactory(organization=third).other_organizations.set([other])
    TouchpointFactory(organization=survivor).other_organizations.set([other])
    coalition = OrganizationFactory(name="Healthy Communities Coalition")
    for member in (survivor, other):  # the same tie twice: one is kept
        organization_relation_add(organization=member, choice="member_of", other=coalition, by=None)
    organization_relation_add(organization=other, choice="funded_by", other=third, by=None)
    organization_relation_add(organization=third, choice="partner_of", other=other, by=None)
    mou, spanish = (
        tag_create(name="MOU signed", colour="green"),
        tag_create(name="ES", colour="red"),
    )
    survivor.tags.set([mou])
    other.tags.set([mou, spanish])


@pytest.fixture
def people(manager):
    survivor = ContactFactory(name="Maria Delgado", email="mdelgado@health.example.gov")
    other = ContactFactory(
        name="María Delgado-Ruiz",
        email="maria@gmail.example.com",
        phone="555-0100",
        do_not_contact=True,
        opted_out_of_updates=True,
        opted_out_at=DAY,
    )
    clinic, school = OrganizationFactory(), OrganizationFactory()
    AffiliationFactory(contact=survivor, organization=clinic)
    AffiliationFactory(contact=other, organization=clinic, is_primary=True)  # duplicate
    AffiliationFactory(contact=other, organization=school)
    touchpoint = TouchpointFactory(organization=clinic, contacts=[survivor, other])
    TouchpointFactory(organization=school, contacts=[other])
    MeetingFactory(organization=clinic, contacts=[survivor, other])
    MeetingFactory(organization=school, contacts=[other])
    subscription = ProgressSubscription.objects.create(organization=clinic, owner=manager)
    subscription.recipients.set([survivor, other])
    ProgressSubscription.objects.create(organization=school, owner=manager).recipients.set([other])
    OutgoingEmail.objects.create(
        kind="progress_update",
        idempotency_key="update-1",
        to_address=other.email,
        contact=other,
        subject="Our quarter together",
        body_text="…",
        message_id="<1@liaison>",
    )
    OptOutChange.objects.create(
        contact=other, opted_out=True, source=OptOutChange.Source.UNSUBSCRIBE_LINK, changed_at=DAY
    )
    # Both on one group email's list (both rows move), and an email to the other.
    group = GroupEmail.objects.create(key=uuid.uuid4(), written_by=manager, status="sent")
    for contact, group_email in ((survivor, group), (other, group), (other, None)):
        SentEmail.objects.create(group_email=group_email, contact=contact, left_out="Opted out")
    Document.objects.create(title="Photo consent", contact=other, file_name="consent.pdf", size=1)
    spanish = tag_create(name="Spanish-speaking", colour="purple")
    survivor.tags.set([spanish])
    other.tags.set([spanish, tag_create(name="Promotora", colour="teal")])
    earlier = ContactFactory(name="M. Delgado")
    merge.contact_merge(survivor=other, other=earlier, fields={}, by=manager)
    return {"survivor": survivor, "other": other, "clinic": clinic, "touchpoint": touchpoint}
