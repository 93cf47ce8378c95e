"""Why a partnership needs care: each signal a person can check, read for many partnerships at
once (a fixed number of queries whatever their number), each found one a Reason with its weight
and the one next step it suggests.

The weights add up to the level: nothing found is healthy, 1 or 2 needs attention, 3 or more is
at risk. Going quiet past the agreed cadence weighs 2 (past twice the cadence: 3, at risk by
itself); every other signal weighs 1, or 2 when it is pressing (a follow-up overdue for a month,
an agreement ending within two weeks). So "no reply in 7 weeks (cadence every 4 weeks)" and
"the primary contact left in October" together make a partnership at risk.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from agreements.models import Agreement
from core.periods import quarter_of
from core.rows import short_date
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Affiliation, Cadence, Health, Organization, Stage
from programs.models import Program, ProgramPartner, ProgramSession
from updates.emails import period_label
from updates.models import ProgressSubscription, ProgressUpdate
from updates.services import last_ended_period

# Health is the team's: its days are the library's (settings.TIME_ZONE), whoever's request
# computes it (a librarian in Berlin logging a call must not move everyone to her tomorrow).
TEAM_ZONE = timezone.get_default_timezone


def team_today() -> dt.date:
    return timezone.localdate(timezone=TEAM_ZONE())


# Only partnerships being worked on have a health: prospects are not yet partners, and dormant
# or declined ones are not expected to hear from us.
ASSESSED_STAGES = (Stage.IN_DISCUSSION, Stage.ACTIVE)
ATTENTION_FROM = 1
AT_RISK_FROM = 3
OVERDUE_PRESSING_DAYS = 30
AGREEMENT_NOTICE_DAYS = 60
AGREEMENT_PRESSING_DAYS = 14
# A period's progress update is drafted when the period ends; the owner has this long to send it.
UPDATE_GRACE_DAYS = 14
# Agreements that carry a partnership on, in force or on their way to it.
RENEWING = (
    Agreement.Status.DRAFT,
    Agreement.Status.IN_REVIEW,
    Agreement.Status.SIGNED,
    Agreement.Status.ACTIVE,
)


@dataclass(frozen=True)
class Reason:
    signal: str  # contact, followups, primary_contact, progress_update, program, agreement
    text: str
    weight: int
    next_step: str

    def as_json(self) -> dict[str, object]:
        """As the organization keeps it (Organization.health_reasons) and a week records it."""
        return {
            "signal": self.signal,
            "text": self.text,
            "weight": self.weight,
            "next_step": self.next_step,
        }


@dataclass
class PartnershipHealth:
    organization_id: int
    cadence_days: int
    cadence_agreed: bool  # the organization's own, not its stage's default
    reasons: list[Reason] = field(default_factory=list)

    @property
    def weight(self) -> int:
        return sum(reason.weight for reason in self.reasons)

    @property
    def level(self) -> str:
        if self.weight >= AT_RISK_FROM:
            return Health.AT_RISK
        return Health.ATTENTION if self.weight >= ATTENTION_FROM else Health.HEALTHY

    @property
    def summary(self) -> str:
        """The reasons in one line: "No reply in 7 weeks (cadence every 4 weeks); …"."""
        return "; ".join(reason.text for reason in self.heaviest_first())

    @property
    def next_step(self) -> str:
        """The one step that helps most: the heaviest reason's."""
        reasons = self.heaviest_first()
        return reasons[0].next_step if reasons else ""

    def heaviest_first(self) -> list[Reason]:
        return sorted(self.reasons, key=lambda reason: -reason.weight)


def cadence_in_words(days: int) -> str:
    """ "Every 6 weeks": a cadence's choice label, or its days where it is none."""
    return Cadence(days).label if days in Cadence.values else f"Every {days} days"


def _how_long(days: int, cadence_days: int) -> str:
    """ "7 weeks", or the days where whole weeks would not show it past the cadence ("43 days"
    against every 6 weeks, rather than "6 weeks")."""
    weeks = days // 7
    if weeks * 7 <= cadence_days or weeks < 2:
        return f"{days} day{'' if days == 1 else 's'}"
    return f"{weeks} weeks"


def _quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


@dataclass(frozen=True)
class Partner:
    """What the signals read of an organization."""

    pk: int
    name: str
    stage: str
    stage_since: dt.date
    cadence_days: int
    cadence_agreed: bool
    last_touchpoint_on: dt.date | None


def partners_assessed(
    organizations: Iterable[Organization], cadences: dict[str, int]
) -> list[Partner]:
    """The organizations (read with pk, name, stage, stage_changed_at, cadence_days and
    last_touchpoint_on) whose health is assessed, each with its cadence."""
    found = []
    for organization in organizations:
        if organization.stage not in ASSESSED_STAGES or organization.is_archived:
            continue
        default = cadences.get(organization.stage, Cadence.SIX_WEEKS)
        found.append(
            Partner(
                pk=organization.pk,
                name=organization.name,
                stage=organization.stage,
                stage_since=timezone.localdate(organization.stage_changed_at, TEAM_ZONE()),
                cadence_days=organization.cadence_days or default,
                cadence_agreed=organization.cadence_days is not None,
                last_touchpoint_on=organization.last_touchpoint_on,
            )
        )
    return found


def two_way() -> Q:
    """Touchpoints that heard from the partner: not a letter, not an email the library sent
    (captured going out, or written in Liaison) — those wait for a reply. A call, a visit, a
    meeting held, an email from them all count."""
    return (
        ~Q(channel=Touchpoint.Channel.LETTER)
        & ~Q(captured_email__email__direction="out")
        & Q(sent_email__isnull=True)
    )


def last_two_way(ids: list[int]) -> dict[int, dt.date]:
    """Each organization's latest two-way touch: a two-way touchpoint or a meeting held, its
    own or a joint one (a meeting held without a touchpoint logged for it counts too)."""
    found: dict[int, dt.date] = {}
    held = Meeting.objects.filter(status=Meeting.Status.HELD)
    meetings = [
        *held.filter(organization_id__any_of=ids)
        .values("organization_id")
        .annotate(last=Max("starts_at"))
        .order_by()
        .values_list("organization_id", "last"),
        *held.filter(other_organizations__id__any_of=ids)
        .values("other_organizations__id")
        .annotate(last=Max("starts_at"))
        .order_by()
        .values_list("other_organizations__id", "last"),
    ]
    for pk, starts_at in meetings:
        day = timezone.localdate(starts_at, TEAM_ZONE())
        if pk not in found or day > found[pk]:
            found[pk] = day
    own = (
        Touchpoint.objects.filter(two_way(), organization_id__any_of=ids)
        .values("organization_id")
        .annotate(last=Max("occurred_on"))
        .order_by()
    )
    joint = (
        Touchpoint.objects.filter(two_way(), other_organizations__id__any_of=ids)
        .values("other_organizations__id")
        .annotate(last=Max("occurred_on"))
        .order_by()
    )
    for pk, last in [
        *((row["organization_id"], row["last"]) for row in own),
        *((row["other_organizations__id"], row["last"]) for row in joint),
    ]:
        if pk not in found or last > found[pk]:
            found[pk] = last
    return found


def contact_reasons(
    partners: list[Partner], today: dt.date, primary_names: dict[int, str]
) -> dict[int, Reason]:
    """Days since the last two-way touch against the agreed cadence."""
    last = last_two_way([partner.pk for partner in partners])
    found = {}
    for partner in partners:
        since = last.get(partner.pk)
        days = (today - (since or partner.stage_since)).days
        if days <= partner.cadence_days:
            continue
        cadence = f"cadence {cadence_in_words(partner.cadence_days).lower()}"
        if since is None:
            what = f"No two-way contact since it became {Stage(partner.stage).label.lower()}"
            text = f"{what} {_how_long(days, partner.cadence_days)} ago ({cadence})"
        elif partner.last_touchpoint_on and partner.last_touchpoint_on > since:
            text = f"No reply in {_how_long(days, partner.cadence_days)} ({cadence})"
        else:
            text = f"No two-way contact in {_how_long(days, partner.cadence_days)} ({cadence})"
        person = primary_names.get(partner.pk)
        found[partner.pk] = Reason(
            signal="contact",
            text=text,
            weight=3 if days > 2 * partner.cadence_days else 2,
            next_step=f"Call or meet {person}" if person else f"Get in touch with {partner.name}",
        )
    return found


def followup_reasons(ids: list[int], today: dt.date) -> dict[int, Reason]:
    """Promises not kept: open follow-ups past their due day."""
    overdue: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    rows = (
        FollowUp.objects.filter(
            organization_id__any_of=ids, status=FollowUp.Status.OPEN, due_on__lt=today
        )
        .order_by("due_on", "pk")
        .values_list("organization_id", "due_on", "title")
    )
    for pk, due_on, title in rows:
        overdue[pk].append((due_on, title))
    found = {}
    for pk, items in overdue.items():
        oldest, title = items[0]
        count = len(items)
        text = (
            f"{count} follow-ups overdue, the oldest since {short_date(oldest)}"
            if count > 1
            else f"Follow-up {_quoted(title)} overdue since {short_date(oldest)}"
        )
        found[pk] = Reason(
            signal="followups",
            text=text,
            weight=2 if (today - oldest).days > OVERDUE_PRESSING_DAYS else 1,
            next_step=f"Do {_quoted(title)} (due {short_date(oldest)})",
        )
    return found


def primary_contacts(ids: list[int]) -> dict[int, list[tuple[str, dt.date | None]]]:
    """Each organization's primary contacts: (name, the day they left or None)."""
    found: dict[int, list[tuple[str, dt.date | None]]] = defaultdict(list)
    rows = (
        Affiliation.objects.filter(organization_id__any_of=ids, is_primary=True)
        .order_by("organization_id", "-start_date", "pk")
        .values_list("organization_id", "contact__name", "end_date")
    )
    for pk, name, end_date in rows:
        found[pk].append((name, end_date))
    return found


def primary_reasons(
    ids: list[int], today: dt.date, primaries: dict[int, list[tuple[str, dt.date | None]]]
) -> dict[int, Reason]:
    found = {}
    for pk in ids:
        people = primaries.get(pk, [])
        if any(end is None or end > today for _, end in people):
            continue
        if not people:
            found[pk] = Reason(
                signal="primary_contact",
                text="No primary contact",
                weight=1,
                next_step="Name a primary contact",
            )
            continue
        name, end = max(people, key=lambda person: person[1] or today)
        assert end is not None
        found[pk] = Reason(
            signal="primary_contact",
            text=f"Primary contact {name} left in {end:%B}"
            + ("" if end.year == today.year else f" {end.year}"),
            weight=1,
            next_step=f"Find who took over from {name}",
        )
    return found


def progress_update_reasons(ids: list[int], today: dt.date) -> dict[int, Reason]:
    """An agreed progress update (the partner's subscription) not sent for its last period."""
    subscriptions = list(
        ProgressSubscription.objects.filter(organization_id__any_of=ids, is_active=True)
        .order_by("pk")
        .values_list("pk", "organization_id", "cadence", "created_at")
    )
    sent = dict(
        ProgressUpdate.objects.filter(
            subscription_id__any_of=[row[0] for row in subscriptions], sent_at__isnull=False
        )
        .values("subscription_id")
        .annotate(last=Max("period_end"))
        .order_by()
        .values_list("subscription_id", "last")
    )
    found = {}
    for pk, organization_id, cadence, created_at in subscriptions:
        start, end = last_ended_period(cadence, today - dt.timedelta(days=UPDATE_GRACE_DAYS))
        if created_at.date() > end or (sent.get(pk) and sent[pk] >= end):
            continue
        found[organization_id] = Reason(
            signal="progress_update",
            text=f"No progress update sent for {period_label(start, end)}",
            weight=1,
            next_step=f"Send the progress update for {period_label(start, end)}",
        )
    return found


def program_reasons(ids: list[int], today: dt.date) -> dict[int, Reason]:
    """A joint program under way with no session this quarter."""
    quarter = quarter_of(today)
    next_quarter = quarter_of(quarter + dt.timedelta(days=93))
    joint = list(
        ProgramPartner.objects.filter(
            organization_id__any_of=ids, program__status=Program.Status.ACTIVE
        )
        .order_by("organization_id", "program__title", "program_id")
        .values_list("organization_id", "program_id", "program__title")
    )
    with_session = set(
        ProgramSession.objects.filter(
            program_id__any_of=sorted({row[1] for row in joint}),
            starts_at__date__gte=quarter,
            starts_at__date__lt=next_quarter,
        )
        .values_list("program_id", flat=True)
        .distinct()
    )
    found = {}
    for organization_id, program_id, title in joint:
        if program_id in with_session or organization_id in found:
            continue
        found[organization_id] = Reason(
            signal="program",
            text=f"Joint program {_quoted(title)} has no session this quarter",
            weight=1,
            next_step=f"Schedule a session of {_quoted(title)}",
        )
    return found


def agreement_reasons(ids: list[int], today: dt.date) -> dict[int, Reason]:
    """An agreement in force ending within the notice period with nothing to follow it: no
    other agreement of its kind with the partner, drafted or in force, that runs longer."""
    Through = Agreement.organizations.through
    ending = list(
        Through.objects.filter(
            organization_id__any_of=ids,
            agreement__status__in=Agreement.IN_FORCE,
            agreement__ends_on__gte=today,
            agreement__ends_on__lte=today + dt.timedelta(days=AGREEMENT_NOTICE_DAYS),
        )
        .order_by("agreement__ends_on", "agreement_id")
        .values_list(
            "organization_id",
            "agreement_id",
            "agreement__kind",
            "agreement__title",
            "agreement__ends_on",
        )
    )
    others: dict[tuple[int, str], list[tuple[int, dt.date | None]]] = defaultdict(list)
    for pk, agreement_id, kind, ends_on in Through.objects.filter(
        organization_id__any_of=sorted({row[0] for row in ending}),
        agreement__status__in=RENEWING,
    ).values_list("organization_id", "agreement_id", "agreement__kind", "agreement__ends_on"):
        others[(pk, kind)].append((agreement_id, ends_on))
    found = {}
    for pk, agreement_id, kind, title, ends_on in ending:
        assert ends_on is not None  # chosen by its end
        renewed = any(
            other != agreement_id and (other_end is None or other_end > ends_on)
            for other, other_end in others[(pk, kind)]
        )
        if renewed or pk in found:
            continue
        pressing = (ends_on - today).days <= AGREEMENT_PRESSING_DAYS
        found[pk] = Reason(
            signal="agreement",
            text=f"{_quoted(title)} ends on {short_date(ends_on)} with no renewal",
            weight=2 if pressing else 1,
            next_step=f"Start the renewal of {_quoted(title)}",
        )
    return found
