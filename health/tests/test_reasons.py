"""Each health signal on a fixed data set, with the expectations worked out by hand.

Time is frozen on Wednesday, March 18, 2026, in the afternoon in New York (the team's zone):
"today" is 2026-03-18, this quarter began on January 1, last month was February.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from agreements.models import Agreement
from core.tests.factories import UserFactory
from health.reasons import PartnershipHealth, Reason
from health.selectors import health_of
from inbox.models import CapturedEmail, FiledEmail
from outreach.models import FollowUp, Touchpoint
from outreach.tests.factories import TouchpointFactory
from partners.models import Cadence, Health, Organization, Stage
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.models import Program
from programs.tests.factories import ProgramFactory, ProgramPartnerFactory, ProgramSessionFactory
from updates.models import ProgressSubscription, ProgressUpdate

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 18)
NOW = dt.datetime(2026, 3, 18, 20, 0, tzinfo=dt.UTC)  # 4 PM in New York
SINCE_NEW_YEAR = dt.datetime(2026, 1, 1, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def partner(name: str, stage: str = Stage.ACTIVE, **fields) -> Organization:
    """A partnership at `stage` since New Year's Day, with a current primary contact."""
    fields.setdefault("stage_changed_at", SINCE_NEW_YEAR)
    organization = OrganizationFactory(name=name, stage=stage, **fields)
    AffiliationFactory(organization=organization, is_primary=True, contact__name="Maya Lee")
    return organization


def call(organization: Organization, day: dt.date, **fields) -> Touchpoint:
    return TouchpointFactory(organization=organization, occurred_on=day, **fields)


def health(organization: Organization) -> PartnershipHealth:
    return health_of([Organization.objects.get(pk=organization.pk)])[organization.pk]


def reasons(organization: Organization) -> list[tuple[str, str, int]]:
    return [(r.signal, r.text, r.weight) for r in health(organization).heaviest_first()]


def test_in_touch_within_the_cadence_is_healthy_with_no_reason():
    clinic = partner("Riverside Clinic")
    call(clinic, TODAY - dt.timedelta(days=3))

    found = health(clinic)

    assert (found.level, found.weight, found.reasons, found.next_step) == ("healthy", 0, [], "")
    assert (found.cadence_days, found.cadence_agreed) == (42, False)  # active: every 6 weeks


@pytest.mark.parametrize(
    ("days", "text", "weight", "level"),
    [
        (42, None, 0, "healthy"),  # on the day the cadence allows: still within it
        (43, "No two-way contact in 43 days (cadence every 6 weeks)", 2, "attention"),
        (84, "No two-way contact in 12 weeks (cadence every 6 weeks)", 2, "attention"),
        (85, "No two-way contact in 12 weeks (cadence every 6 weeks)", 3, "at_risk"),
    ],
)
def test_days_since_the_last_two_way_touch_against_the_cadence(days, text, weight, level):
    # Active since long before, so the stage's start is no excuse.
    clinic = partner("Riverside Clinic", stage_changed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    call(clinic, TODAY - dt.timedelta(days=days))

    found = health(clinic)

    assert found.level == level
    assert reasons(clinic) == ([("contact", text, weight)] if text else [])
    if text:
        assert found.next_step == "Call or meet Maya Lee"


def test_a_letter_or_an_email_the_library_sent_waits_for_a_reply():
    council = partner("Cedar Bend City Council", stage=Stage.IN_DISCUSSION)  # every 3 weeks
    call(council, dt.date(2026, 2, 4))  # 42 days ago: the last time we heard from them
    call(council, dt.date(2026, 3, 2), channel=Touchpoint.Channel.LETTER)
    sent = call(council, dt.date(2026, 3, 9), channel=Touchpoint.Channel.EMAIL)
    email = CapturedEmail.objects.create(
        message_id="<out-1@library.example.org>",
        thread_key="<out-1@library.example.org>",
        direction=CapturedEmail.Direction.OUT,
        from_address="maria@library.example.org",
        sent_at=NOW - dt.timedelta(days=9),
        status=CapturedEmail.Status.FILED,
    )
    FiledEmail.objects.create(email=email, organization=council, touchpoint=sent)

    # 42 days is twice the cadence exactly: weight 2, not yet 3.
    assert reasons(council) == [("contact", "No reply in 6 weeks (cadence every 3 weeks)", 2)]

    # Their answer, by email, counts.
    answer = call(council, dt.date(2026, 3, 16), channel=Touchpoint.Channel.EMAIL)
    email = CapturedEmail.objects.create(
        message_id="<in-1@council.example.gov>",
        thread_key="<out-1@library.example.org>",
        direction=CapturedEmail.Direction.IN,
        from_address="clerk@council.example.gov",
        sent_at=NOW - dt.timedelta(days=2),
        status=CapturedEmail.Status.FILED,
    )
    FiledEmail.objects.create(email=email, organization=council, touchpoint=answer)
    assert reasons(council) == []


def test_a_coalition_meeting_counts_for_every_partner_at_it():
    coalition, member = partner("Healthy Communities Coalition"), partner("Food Bank")
    call(member, dt.date(2026, 1, 5))  # 72 days ago
    joint = call(coalition, TODAY - dt.timedelta(days=2), channel=Touchpoint.Channel.COUNCIL)
    joint.other_organizations.add(member)

    assert health(member).level == Health.HEALTHY


def test_never_in_touch_counts_from_the_day_the_stage_began():
    new = partner("New Partner", stage=Stage.IN_DISCUSSION)  # since Jan 1: 76 days

    assert reasons(new) == [
        (
            "contact",
            "No two-way contact since it became in discussion 10 weeks ago (cadence every 3 weeks)",
            3,
        )
    ]


def test_an_agreed_cadence_comes_before_the_stage_default():
    agreed = partner("Monthly Partner", cadence_days=Cadence.MONTH, cadence_note="with Maya")
    call(agreed, TODAY - dt.timedelta(days=35))

    found = health(agreed)

    assert (found.cadence_days, found.cadence_agreed) == (30, True)
    assert reasons(agreed) == [
        ("contact", "No two-way contact in 5 weeks (cadence every month)", 2)
    ]


def test_overdue_follow_ups_weigh_more_after_a_month():
    library = partner("Promise Partner")
    call(library, TODAY)
    someone = UserFactory()
    for title, due in [
        ("Send the MOU draft", dt.date(2026, 3, 10)),
        ("Call about the fair", dt.date(2026, 3, 18)),  # due today: not overdue
        ("Done already", dt.date(2026, 1, 5)),
    ]:
        FollowUp.objects.create(title=title, due_on=due, assignee=someone, organization=library)
    FollowUp.objects.filter(title="Done already").update(
        status=FollowUp.Status.DONE, completed_at=NOW
    )

    assert reasons(library) == [
        ("followups", "Follow-up “Send the MOU draft” overdue since Mar 10, 2026", 1)
    ]
    assert health(library).next_step == "Do “Send the MOU draft” (due Mar 10, 2026)"

    FollowUp.objects.create(
        title="Thank-you letter", due_on=dt.date(2026, 2, 1), assignee=someone, organization=library
    )  # 45 days overdue
    assert reasons(library) == [
        ("followups", "2 follow-ups overdue, the oldest since Feb 1, 2026", 2)
    ]
    assert health(library).next_step == "Do “Thank-you letter” (due Feb 1, 2026)"


def test_no_primary_contact_or_one_who_left():
    nobody = OrganizationFactory(name="Nobody Named", stage=Stage.ACTIVE)
    call(nobody, TODAY)
    left = OrganizationFactory(name="Maya Left", stage=Stage.ACTIVE)
    call(left, TODAY)
    AffiliationFactory(
        organization=left, is_primary=True, contact__name="Maya Lee",
        end_date=dt.date(2025, 10, 15),
    )  # fmt: skip

    assert reasons(nobody) == [("primary_contact", "No primary contact", 1)]
    assert health(nobody).next_step == "Name a primary contact"
    assert reasons(left) == [
        ("primary_contact", "Primary contact Maya Lee left in October 2025", 1)
    ]
    assert health(left).next_step == "Find who took over from Maya Lee"


def test_the_example_of_the_issue_is_at_risk():
    """ "No reply in 7 weeks (cadence 4); primary contact left in October"."""
    partnership = OrganizationFactory(
        name="Tamarack Clinic", stage=Stage.ACTIVE, cadence_days=Cadence.MONTH
    )
    call(partnership, TODAY - dt.timedelta(days=50))
    call(partnership, TODAY - dt.timedelta(days=10), channel=Touchpoint.Channel.LETTER)
    AffiliationFactory(
        organization=partnership, is_primary=True, contact__name="Maya Lee",
        end_date=dt.date(2025, 10, 3),
    )  # fmt: skip

    found = health(partnership)

    assert found.level == Health.AT_RISK
    assert found.summary == (
        "No reply in 7 weeks (cadence every month); Primary contact Maya Lee left in October 2025"
    )
    assert found.next_step == "Get in touch with Tamarack Clinic"


def test_a_progress_update_not_sent_for_the_last_period():
    owner = UserFactory()
    subscribed = partner("Subscribed Partner")
    call(subscribed, TODAY)
    subscription = ProgressSubscription.objects.create(
        organization=subscribed, cadence=ProgressSubscription.Cadence.MONTHLY, owner=owner
    )
    ProgressSubscription.objects.filter(pk=subscription.pk).update(created_at=SINCE_NEW_YEAR)
    ProgressUpdate.objects.create(
        subscription=subscription, period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31), status=ProgressUpdate.Status.SENT, subject="January",
        sent_at=NOW - dt.timedelta(days=40),
    )  # fmt: skip

    # February ended 18 days ago, more than the two weeks to send it.
    assert reasons(subscribed) == [
        ("progress_update", "No progress update sent for February 2026", 1)
    ]

    ProgressUpdate.objects.create(
        subscription=subscription, period_start=dt.date(2026, 2, 1),
        period_end=dt.date(2026, 2, 28), status=ProgressUpdate.Status.SENT, subject="February",
        sent_at=NOW - dt.timedelta(days=10),
    )  # fmt: skip
    assert reasons(subscribed) == []


def test_a_subscription_too_new_for_its_first_update_is_not_late():
    subscribed = partner("Newly Subscribed")
    call(subscribed, TODAY)
    ProgressSubscription.objects.create(
        organization=subscribed, cadence=ProgressSubscription.Cadence.QUARTERLY, owner=UserFactory()
    )  # created today: the quarter that ended in December was before it

    assert reasons(subscribed) == []


def test_a_joint_program_with_no_session_this_quarter():
    joint = partner("Program Partner")
    call(joint, TODAY)
    program = ProgramFactory(title="Health literacy hour", status=Program.Status.ACTIVE)
    ProgramPartnerFactory(program=program, organization=joint)
    ProgramSessionFactory(program=program, starts_at=dt.datetime(2025, 12, 10, 18, tzinfo=dt.UTC))

    assert reasons(joint) == [
        ("program", "Joint program “Health literacy hour” has no session this quarter", 1)
    ]
    assert health(joint).next_step == "Schedule a session of “Health literacy hour”"

    ProgramSessionFactory(program=program, starts_at=dt.datetime(2026, 3, 30, 18, tzinfo=dt.UTC))
    assert reasons(joint) == []


def test_a_finished_program_asks_for_no_session():
    joint = partner("Past Program Partner")
    call(joint, TODAY)
    program = ProgramFactory(title="Last year's fair", status=Program.Status.COMPLETED)
    ProgramPartnerFactory(program=program, organization=joint)

    assert reasons(joint) == []


def _agreement(organization: Organization, ends_on: dt.date, **fields) -> Agreement:
    agreement = Agreement.objects.create(
        title=fields.pop("title", "Data-sharing MOU"), ends_on=ends_on, **fields
    )
    agreement.organizations.add(organization)
    return agreement


@pytest.mark.parametrize(
    ("ends_on", "weight"),
    [(dt.date(2026, 5, 17), 1), (dt.date(2026, 4, 1), 2), (dt.date(2026, 5, 18), None)],
)
def test_an_agreement_ending_without_renewal(ends_on, weight):
    signed = partner("Signed Partner")
    call(signed, TODAY)
    _agreement(signed, ends_on, status=Agreement.Status.ACTIVE)

    expected = [
        (
            "agreement",
            f"“Data-sharing MOU” ends on {ends_on:%b} {ends_on.day}, 2026 with no renewal",
            weight,
        )
    ]
    assert reasons(signed) == (expected if weight else [])  # 60 days' notice, 14 pressing


def test_an_agreement_with_its_renewal_drafted_is_no_worry():
    signed = partner("Renewing Partner")
    call(signed, TODAY)
    _agreement(signed, dt.date(2026, 4, 30), status=Agreement.Status.ACTIVE)
    _agreement(signed, dt.date(2027, 4, 30), status=Agreement.Status.DRAFT, title="Renewal")

    assert reasons(signed) == []


def test_only_partnerships_in_discussion_or_active_are_assessed():
    assessed = [partner(f"At {stage}", stage=stage) for stage in Stage.values]
    archived = partner("Archived", is_archived=True, archived_at=timezone.now())

    found = health_of(Organization.objects.filter(pk__in=[o.pk for o in [*assessed, archived]]))

    assert sorted(Organization.objects.get(pk=pk).stage for pk in found) == [
        Stage.ACTIVE,
        Stage.IN_DISCUSSION,
    ]


def test_the_weights_add_up_to_the_level():
    def level(*weights):
        return PartnershipHealth(
            organization_id=1,
            cadence_days=42,
            cadence_agreed=False,
            reasons=[Reason("x", "x", weight, "x") for weight in weights],
        ).level

    assert [level(), level(1), level(1, 1), level(2), level(1, 1, 1), level(2, 1), level(3)] == [
        "healthy",
        "attention",
        "attention",
        "attention",
        "at_risk",
        "at_risk",
        "at_risk",
    ]


def test_many_partnerships_in_a_fixed_number_of_queries(django_assert_num_queries):
    def make(n):
        for i in range(n):
            organization = partner(f"Partner {n}-{i}")
            call(organization, TODAY - dt.timedelta(days=50 + i))
            FollowUp.objects.create(
                title="Late", due_on=dt.date(2026, 3, 1), assignee=UserFactory(),
                organization=organization,
            )  # fmt: skip
        return list(Organization.objects.filter(name__startswith=f"Partner {n}-"))

    few, many = make(2), make(12)
    # Cadences; own and joint meetings held and two-way touchpoints; overdue follow-ups;
    # primary contacts; subscriptions and their updates; joint programs and their sessions;
    # agreements ending and their renewals.
    with django_assert_num_queries(13):
        assert len(health_of(few)) == 2
    with django_assert_num_queries(13):
        assert len(health_of(many)) == 12


def test_a_meeting_held_counts_as_two_way_without_a_touchpoint_logged():
    from outreach.models import Meeting
    from outreach.tests.factories import MeetingFactory

    held = partner("Held Meeting Partner")
    call(held, dt.date(2026, 1, 5))  # 72 days ago: past six weeks
    MeetingFactory(
        organization=held, status=Meeting.Status.HELD,
        starts_at=dt.datetime(2026, 3, 15, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    joint = partner("At The Coalition Meeting")
    call(joint, dt.date(2026, 1, 5))
    MeetingFactory(
        organization=held, other_organizations=[joint], status=Meeting.Status.HELD,
        starts_at=dt.datetime(2026, 3, 10, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    scheduled = partner("Only Scheduled")
    call(scheduled, dt.date(2026, 1, 5))
    MeetingFactory(organization=scheduled, starts_at=dt.datetime(2026, 3, 15, 15, tzinfo=dt.UTC))

    assert reasons(held) == []
    assert reasons(joint) == []
    assert [signal for signal, _, _ in reasons(scheduled)] == ["contact"]
