"""Demo outreach log: touchpoints, meetings and follow-ups for the demo partners.

It reads what demo.partners loaded and follows it: an organization's touchpoints fall within its
stage history (none before the library started looking into it, none after today), name the
people affiliated with it at the time, and read like the stage it was in. The same seed on the
same day gives the same log. Every table takes bulk inserts: `seed_demo --scale 250` stays fast.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from demo.bulk import insert
from demo.outreach_texts import (
    AGENDAS,
    BODIES,
    BY_KIND,
    BY_STAGE,
    DUE_DAYS,
    DUE_PATTERN,
    FOLLOWUP_TITLES,
    JOINT_TOPICS,
    MEETING_STAGES,
    MEETING_TOPICS,
    MEETINGS_FROM_SIT_DOWNS,
    ROOMS,
    TALKING,
    TOUCHPOINTS_BY_STAGE,
    WEEKEND_CHANNELS,
    Channel,
)
from demo.partners import DEFAULT_SEED, FOCUS_AREA_TEXT, ORGANIZATIONS_PER_UNIT
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.services import organization_last_touchpoint_refresh
from partners.models import Affiliation, Organization, Stage, StageChange

if TYPE_CHECKING:
    # The link tables Django makes for the many-to-many fields (django-stubs gives them types).
    from outreach import models as links


@dataclass(frozen=True)
class OutreachCounts:
    touchpoints: int
    meetings: int
    followups: int


@dataclass(frozen=True)
class _Person:
    contact_id: int
    first: str
    is_primary: bool
    start: dt.date | None
    end: dt.date | None

    def there_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class _Partner:
    """What the builder needs to know about one demo organization."""

    pk: int
    name: str
    kind: str
    government_level: str
    stage: str
    owner_id: int | None
    town: str
    offer: str = "library programs"
    initiative: str = "community outreach"
    history: list[tuple[dt.date, str]] = field(default_factory=list)  # (local day, to_stage)
    created_at: dt.datetime | None = None
    people: list[_Person] = field(default_factory=list)

    def stage_on(self, day: dt.date) -> str:
        stage = self.history[0][1]
        for changed_on, to_stage in self.history:
            if changed_on > day:
                break
            stage = to_stage
        return stage


def _partners() -> list[_Partner]:
    """Every organization with its history, people and focus, in a few set-wide queries."""
    tz = timezone.get_default_timezone()
    partners = {
        pk: _Partner(pk, name, kind, level, stage, owner, address.rpartition("\n")[2] or name)
        for pk, name, kind, level, stage, owner, address in Organization.objects.order_by(
            "pk"
        ).values_list("pk", "name", "kind", "government_level", "stage", "owner", "address")
    }
    changes = StageChange.objects.order_by("organization", "changed_at", "pk")
    for org, changed_at, to_stage in changes.values_list("organization", "changed_at", "to_stage"):
        partner = partners[org]
        if partner.created_at is None:
            partner.created_at = changed_at
        partner.history.append((changed_at.astimezone(tz).date(), to_stage))
    affiliations = Affiliation.objects.order_by("pk").values_list(
        "organization", "contact", "contact__name", "is_primary", "start_date", "end_date"
    )
    for org, contact, name, primary, start, end in affiliations:
        partners[org].people.append(_Person(contact, name.split()[0], primary, start, end))
    focus = Organization.focus_areas.through.objects.order_by("pk")
    seen = set()
    for org, area in focus.values_list("organization", "focusarea__name"):
        if org not in seen and area in FOCUS_AREA_TEXT:
            seen.add(org)
            partners[org].initiative, partners[org].offer = FOCUS_AREA_TEXT[area]
    return [p for p in partners.values() if p.history]


class _Builder:
    """The whole log in memory, so that each table takes one bulk insert."""

    def __init__(self, *, staff: Sequence[User], seed: int) -> None:
        self.staff_ids = [user.pk for user in staff]
        self.librarian_id = self.staff_ids[0]
        self.rng = random.Random(f"outreach-{seed}")
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate(timezone=self.tz)
        self.yesterday = self.today - dt.timedelta(days=1)
        self.touchpoints: list[Touchpoint] = []
        self.touchpoint_contacts: list[links.Touchpoint_contacts] = []
        self.touchpoint_people: dict[int, list[_Person]] = {}  # by id() of the touchpoint
        self.meetings: list[Meeting] = []
        self.meeting_staff: dict[int, list[int]] = {}  # by index in self.meetings
        self.meeting_contacts: list[links.Meeting_contacts] = []
        self.meeting_partners: list[links.Meeting_other_organizations] = []
        self.touchpoint_partners: list[links.Touchpoint_other_organizations] = []
        self.followups: list[FollowUp] = []
        # (created_at, updated_at) of each row, set after the insert stamped them "now".
        self.stamps: dict[int, tuple[dt.datetime, dt.datetime]] = {}
        self.quiet_turn: Counter[int | None] = Counter()
        self.kept_quiet: set[int] = set()
        self.due_turn: Counter[int] = Counter()
        self.upcoming_made = 0
        self.cancelled_turn = 0
        self.done_turn = 0

    # Times and days ---------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def stamp(
        self, row: models.Model, created: dt.datetime, updated: dt.datetime | None = None
    ) -> None:
        created = min(created, self.now)
        self.stamps[id(row)] = (created, min(max(updated or created, created), self.now))

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    @staticmethod
    def weekday(day: dt.date, first: dt.date, last: dt.date) -> dt.date:
        """The day, or the nearest weekday within [first, last] when it falls on a weekend."""
        if day.weekday() < 5:
            return day
        friday = day - dt.timedelta(days=day.weekday() - 4)
        monday = day + dt.timedelta(days=7 - day.weekday())
        if friday >= first:
            return friday
        return monday if monday <= last else day

    def office_time(self, latest_hour: int = 16) -> dt.time:
        return dt.time(self.rng.randint(9, latest_hour - 1), self.rng.choice((0, 15, 30, 45)))

    def time_for(self, channel: str) -> dt.time | None:
        rng = self.rng
        if channel in (Channel.PHONE, Channel.IN_PERSON, Channel.VIDEO):
            return self.office_time() if rng.random() < 0.85 else None
        if channel == Channel.COUNCIL:
            return dt.time(rng.choice((17, 18, 18, 19)), rng.choice((0, 30)))
        if channel == Channel.EVENT:
            return dt.time(rng.randint(10, 14))
        if channel == Channel.CONFERENCE:
            return dt.time(rng.randint(9, 15), rng.choice((0, 30)))
        return self.office_time(17) if rng.random() < 0.4 else None

    # People -----------------------------------------------------------------------------------

    def people_for(self, partner: _Partner, day: dt.date, count: int) -> list[_Person]:
        """`count` people affiliated with the partner on the day, the go-to person first."""
        there = [p for p in partner.people if p.there_on(day)] or partner.people
        # One person may hold two roles at one place; list them once.
        there = list({p.contact_id: p for p in sorted(there, key=lambda p: p.is_primary)}.values())
        there.sort(key=lambda p: not p.is_primary)
        if not there or count <= 0:
            return []
        chosen = [there[0]] if there[0].is_primary and self.rng.random() < 0.6 else []
        rest = [p for p in there if p not in chosen]
        return chosen + self.rng.sample(rest, k=min(len(rest), count - len(chosen)))

    def staff_for(self, partner: _Partner) -> int:
        if partner.owner_id and self.rng.random() < 0.8:
            return partner.owner_id
        return self.rng.choice(self.staff_ids)

    # The log ----------------------------------------------------------------------------------

    def partner(self, partner: _Partner) -> None:
        if partner.stage == Stage.IDENTIFIED:
            return  # nobody has been in touch yet
        start = next(day for day, stage in partner.history if stage != Stage.IDENTIFIED)
        start, end, recent = min(start, self.yesterday), self.yesterday, False
        last_change = partner.history[-1][0]
        if partner.stage == Stage.DECLINED:
            end = last_change
        elif partner.stage == Stage.DORMANT:
            end = min(self.yesterday, last_change + dt.timedelta(days=self.rng.randint(0, 45)))
        elif partner.stage == Stage.ACTIVE and (self.today - last_change).days >= 75:
            # One in four of each owner's long-standing partners, the first included, went
            # quiet: no touchpoint within the quiet limit, so every dashboard has some to show.
            # (Partners nobody owns take turns of their own: they show on nobody's dashboard.)
            owner = partner.owner_id
            self.quiet_turn[owner] += 1
            if self.quiet_turn[owner] % 4 == 1:
                self.kept_quiet.add(partner.pk)  # left out of coalition touchpoints too
                quiet = settings.LIAISON_QUIET_DAYS + 1
                longest = max(quiet, min(200, (self.today - last_change).days))
                end = self.today - dt.timedelta(days=self.rng.randint(quiet, longest))
            else:
                recent = True
        elif partner.stage in MEETING_STAGES:
            recent = True
        start = min(start, end)

        low, high = TOUCHPOINTS_BY_STAGE[partner.stage]
        # The call that moved a partnership along happened the day its stage changed.
        days = [
            (day, stage)
            for day, stage in partner.history[1:]
            if stage in (*TALKING, Stage.DECLINED) and day <= end
        ][-(high - recent) :]
        wanted = max(self.rng.randint(low, high), len(days) + recent)
        if recent:
            day = self.day_between(max(start, self.today - dt.timedelta(days=40)), end)
            days.append((day, partner.stage_on(day)))
        while len(days) < wanted:
            day = self.day_between(start, end)
            days.append((day, partner.stage_on(day)))
        logged = [self.touchpoint(partner, day, stage, start, end) for day, stage in sorted(days)]
        logged.sort(key=lambda t: t.occurred_on)

        if partner.stage in MEETING_STAGES:
            self.partner_meetings(partner, logged, start, end)
        for touchpoint in logged[:-1]:
            self.done_followup(partner, touchpoint)
        if partner.stage in TALKING and self.rng.random() < 0.34:
            for _ in range(1 if self.rng.random() < 0.75 else 2):
                self.open_followup(partner, logged[-1] if logged else None, start)

    def touchpoint(
        self, partner: _Partner, day: dt.date, stage: str, first: dt.date, last: dt.date
    ) -> Touchpoint:
        rng = self.rng
        if stage in TALKING and partner.kind in BY_KIND and rng.random() < 0.35:
            entry = rng.choice(BY_KIND[partner.kind])
        else:
            entry = rng.choice(BY_STAGE.get(stage, BY_STAGE[Stage.CONTACTED]))
        channel, subject, notes, outcome, next_step = entry
        if channel not in WEEKEND_CHANNELS:
            day = self.weekday(day, first, last)
        if stage == Stage.RESEARCHING:
            count = 1 if channel in (Channel.EVENT, Channel.CONFERENCE) else 0
        else:
            count = 1 if rng.random() < 0.7 else 2
        people = self.people_for(partner, day, count)
        words = {
            "first": people[0].first if people else "their coordinator",
            "org": partner.name,
            "town": partner.town,
            "offer": partner.offer,
            "initiative": partner.initiative,
            "body": BODIES.get(partner.government_level, "board's"),
        }
        subject = subject.format(**words)
        touchpoint = Touchpoint(
            organization_id=partner.pk,
            staff_id=self.staff_for(partner),
            occurred_on=day,
            occurred_time=self.time_for(channel),
            channel=channel,
            subject=subject[0].upper() + subject[1:],
            notes=notes.format(**words),
            outcome=outcome.format(**words),
            next_step=next_step.format(**words),
        )
        when = touchpoint.occurred_time or dt.time(16, 30)
        logged_at = self.at(day, when.hour, when.minute) + dt.timedelta(
            minutes=rng.randint(20, 120)
        )
        self.stamp(touchpoint, logged_at)
        self.touchpoints.append(touchpoint)
        through = Touchpoint.contacts.through
        self.touchpoint_contacts += [
            through(touchpoint=touchpoint, contact_id=p.contact_id) for p in people
        ]
        self.touchpoint_people[id(touchpoint)] = people
        return touchpoint

    def done_followup(self, partner: _Partner, touchpoint: Touchpoint) -> None:
        """Most next steps got done; a few were dropped."""
        if not touchpoint.next_step or self.rng.random() < 0.45:
            return
        assert touchpoint.staff_id is not None  # every demo touchpoint has its staff member
        created = self.stamps[id(touchpoint)][0] + dt.timedelta(minutes=2)
        finished = min(
            self.yesterday, touchpoint.occurred_on + dt.timedelta(days=self.rng.randint(1, 16))
        )
        followup = FollowUp(
            organization_id=partner.pk,
            title=touchpoint.next_step.rstrip("."),
            due_on=touchpoint.occurred_on + dt.timedelta(days=self.rng.randint(3, 14)),
            assignee_id=touchpoint.staff_id,
            created_by_id=touchpoint.staff_id,
            touchpoint=touchpoint,
            meeting=touchpoint.meeting,
        )
        self.done_turn += 1
        if self.done_turn % 16 == 5:
            followup.status = FollowUp.Status.CANCELLED
            self.stamp(followup, created, self.at(finished, 11))
        else:
            followup.status = FollowUp.Status.DONE
            followup.completed_by_id = touchpoint.staff_id
            followup.completed_at = max(created, self.at(finished, 9)) + dt.timedelta(
                minutes=self.rng.randint(0, 8 * 60)
            )
            followup.completed_at = min(followup.completed_at, self.now)
            self.stamp(followup, created, followup.completed_at)
        self.followups.append(followup)

    def open_followup(
        self, partner: _Partner, touchpoint: Touchpoint | None, first_day: dt.date
    ) -> None:
        rng = self.rng
        assignee = partner.owner_id or self.librarian_id
        due = DUE_PATTERN[self.due_turn[assignee] % len(DUE_PATTERN)]
        self.due_turn[assignee] += 1
        due_on = self.today + dt.timedelta(days=rng.randint(*DUE_DAYS[due]))
        people = self.people_for(partner, self.today, 1)
        first = people[0].first if people else "their coordinator"
        stage_titles = FOLLOWUP_TITLES.get(partner.stage, FOLLOWUP_TITLES[Stage.ACTIVE])
        title = rng.choice(stage_titles).format(first=first)
        followup = FollowUp(
            organization_id=partner.pk,
            due_on=due_on,
            due_time=rng.choice((dt.time(10), dt.time(14))) if rng.random() < 0.15 else None,
            assignee_id=assignee,
            created_by_id=assignee,
            status=FollowUp.Status.OPEN,
        )
        already = any(f.touchpoint is touchpoint for f in self.followups[-3:])
        if touchpoint and touchpoint.occurred_on < due_on and not already:
            followup.touchpoint, followup.meeting = touchpoint, touchpoint.meeting
            followup.title = touchpoint.next_step.rstrip(".") or title
            created = self.stamps[id(touchpoint)][0] + dt.timedelta(minutes=2)
        else:
            followup.title = title
            day = min(self.yesterday, due_on - dt.timedelta(days=rng.randint(3, 20)))
            created = self.at(max(first_day, day), 9) + dt.timedelta(minutes=rng.randint(0, 480))
        self.stamp(followup, created)
        self.followups.append(followup)

    def meeting(
        self,
        partner: _Partner,
        *,
        title: str,
        starts_at: dt.datetime,
        status: str,
        staff: list[int],
        people: Sequence[_Person],
        agenda: str = "",
        minutes: str = "",
        video: bool = False,
    ) -> Meeting:
        rng = self.rng
        meeting = Meeting(
            organization_id=partner.pk,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=rng.choice((30, 45, 60, 60, 90))),
            location="" if video else rng.choice(ROOMS),
            video_link=f"https://meet.example.org/liaison-{rng.randrange(16**8):08x}"
            if video
            else "",
            agenda=agenda or rng.choice(AGENDAS),
            status=status,
            minutes=minutes,
            created_by_id=staff[0],
        )
        booked_on = starts_at.astimezone(self.tz).date() - dt.timedelta(days=rng.randint(2, 20))
        if booked_on >= self.today:  # a meeting coming up was booked in the past fortnight
            booked_on = self.today - dt.timedelta(days=rng.randint(1, 14))
        booked_at = self.office_time(17)
        created = self.at(booked_on, booked_at.hour, booked_at.minute)
        if partner.created_at:
            created = max(created, partner.created_at + dt.timedelta(hours=1))
        created = min(created, starts_at - dt.timedelta(hours=1))
        if status == Meeting.Status.HELD:
            updated = meeting.ends_at + dt.timedelta(hours=rng.randint(1, 30))
        elif status == Meeting.Status.CANCELLED:
            updated = created + dt.timedelta(days=rng.randint(1, 5))
        else:
            updated = created
        self.stamp(meeting, created, updated)
        self.meeting_staff[len(self.meetings)] = list(dict.fromkeys(staff))
        self.meetings.append(meeting)
        through = Meeting.contacts.through
        self.meeting_contacts += [
            through(meeting=meeting, contact_id=contact)
            for contact in dict.fromkeys(p.contact_id for p in people)
        ]
        return meeting

    def partner_meetings(
        self, partner: _Partner, logged: list[Touchpoint], first: dt.date, last: dt.date
    ) -> None:
        rng = self.rng
        topics = MEETING_TOPICS[partner.stage]
        sat_down = [t for t in logged if t.channel in (Channel.IN_PERSON, Channel.VIDEO)]
        # A held meeting is logged once, as the touchpoint that points at it: the last few
        # sit-downs of the year, so that every season of the impact pages has some.
        for touchpoint in sat_down[-MEETINGS_FROM_SIT_DOWNS:]:
            if rng.random() < 0.3:
                continue
            assert touchpoint.staff_id is not None  # every demo touchpoint has its staff member
            when = touchpoint.occurred_time or self.office_time()
            touchpoint.occurred_time = when
            touchpoint.meeting = self.meeting(
                partner,
                title=touchpoint.subject,
                starts_at=self.at(touchpoint.occurred_on, when.hour, when.minute),
                status=Meeting.Status.HELD,
                staff=[touchpoint.staff_id],
                people=self.touchpoint_people[id(touchpoint)],
                minutes=f"{touchpoint.notes} {touchpoint.outcome}".strip(),
                video=touchpoint.channel == Channel.VIDEO,
            )
        if partner.stage == Stage.ACTIVE and rng.random() < 0.3:
            # Met, kept minutes, never logged a touchpoint for it.
            day = self.weekday(self.day_between(first, last), first, last)
            self.topic_meeting(partner, rng.choice(topics), day, Meeting.Status.HELD)
        if self.upcoming_made < 2 or rng.random() < 0.45:
            self.upcoming_made += 1
            day = self.today + dt.timedelta(days=rng.randint(1, 21))
            day = self.weekday(day, self.today + dt.timedelta(days=1), day + dt.timedelta(days=3))
            self.topic_meeting(partner, rng.choice(topics), day, Meeting.Status.SCHEDULED)
        self.cancelled_turn += 1
        if self.cancelled_turn % 8 == 3:
            ahead = rng.random() < 0.5
            day = self.today + dt.timedelta(days=rng.randint(1, 14) * (1 if ahead else -1))
            day = self.weekday(day, day - dt.timedelta(days=3), day + dt.timedelta(days=3))
            self.topic_meeting(partner, rng.choice(topics), day, Meeting.Status.CANCELLED)

    def topic_meeting(
        self, partner: _Partner, topic: tuple[str, str, str], day: dt.date, status: str
    ) -> Meeting:
        title, agenda, minutes = topic
        people = self.people_for(partner, day, self.rng.randint(1, 2))
        words = {
            "org": partner.name,
            "first": people[0].first if people else "their coordinator",
            "offer": partner.offer,
            "initiative": partner.initiative,
        }
        owner = partner.owner_id or self.librarian_id
        staff = [owner] if self.rng.random() < 0.7 else [owner, self.rng.choice(self.staff_ids)]
        start = self.office_time()
        return self.meeting(
            partner,
            title=title.format(**words),
            starts_at=self.at(day, start.hour, start.minute // 30 * 30),
            status=status,
            staff=staff,
            people=people,
            agenda=agenda,
            minutes=minutes.format(**words) if status == Meeting.Status.HELD else "",
            video=self.rng.random() < 0.3,
        )

    def joint_meetings(self, unit: list[_Partner]) -> None:
        """Two multi-partner meetings a place: one held last season, one coming up."""
        around = [p for p in unit if p.stage in MEETING_STAGES]
        if len(around) < 3:
            return
        topics = self.rng.sample(JOINT_TOPICS, k=2)
        for (title, agenda, minutes), ahead in zip(topics, (False, True), strict=True):
            host, *others = self.rng.sample(around, k=3)
            offset = self.rng.randint(3, 20) if ahead else -self.rng.randint(20, 90)
            day = self.today + dt.timedelta(days=offset)
            day = self.weekday(day, day - dt.timedelta(days=3), day + dt.timedelta(days=3))
            seen = {p.pk: self.people_for(p, day, 1) for p in (host, *others)}
            people = [q for met in seen.values() for q in met]
            meeting = self.meeting(
                host,
                title=title,
                starts_at=self.at(day, self.rng.choice((9, 10, 13, 14))),
                status=Meeting.Status.SCHEDULED if ahead else Meeting.Status.HELD,
                staff=[self.librarian_id, *self.staff_ids],
                people=people,
                agenda=agenda,
                minutes="" if ahead else minutes,
            )
            through = Meeting.other_organizations.through
            self.meeting_partners += [
                through(meeting=meeting, organization_id=p.pk) for p in others
            ]
            # Logged for the partners at it, but those kept quiet for the dashboards.
            awake = [pk for pk in seen if pk not in self.kept_quiet]
            if not ahead and host.pk in awake:
                self.coalition_touchpoint(meeting, host, {pk: seen[pk] for pk in awake})

    def coalition_touchpoint(
        self, meeting: Meeting, host: _Partner, people: dict[int, list[_Person]]
    ) -> None:
        """The held multi-partner meeting, logged once for all its partners and their people."""
        start = meeting.starts_at.astimezone(self.tz)
        touchpoint = Touchpoint(meeting=meeting, organization_id=host.pk, notes=meeting.minutes)
        touchpoint.occurred_on, touchpoint.occurred_time = start.date(), start.time()
        touchpoint.channel, touchpoint.subject = Channel.IN_PERSON, meeting.title
        touchpoint.staff_id = self.librarian_id
        self.stamp(touchpoint, meeting.ends_at + dt.timedelta(hours=2))
        self.touchpoints.append(touchpoint)
        named, joint = Touchpoint.contacts.through, Touchpoint.other_organizations.through
        ids = dict.fromkeys(q.contact_id for met in people.values() for q in met)
        self.touchpoint_contacts += [named(touchpoint=touchpoint, contact_id=pk) for pk in ids]
        others = [pk for pk in people if pk != host.pk]
        self.touchpoint_partners += [
            joint(touchpoint=touchpoint, organization_id=o) for o in others
        ]

    def meetings_for_everyone(self) -> None:
        """Each demo user's dashboard shows at least two meetings coming up."""
        upcoming = [
            index
            for index, meeting in enumerate(self.meetings)
            if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > self.now
        ]
        for user in self.staff_ids:
            theirs = [i for i in upcoming if user in self.meeting_staff[i]]
            for index in [i for i in upcoming if i not in theirs][: max(0, 2 - len(theirs))]:
                self.meeting_staff[index].append(user)


@transaction.atomic
def demo_outreach_load(*, staff: Sequence[User], seed: int = DEFAULT_SEED) -> OutreachCounts:
    """Load touchpoints, meetings and follow-ups for every organization, in bulk inserts.

    `staff` are the demo users, the librarian first: unowned partners fall to them. Nothing is
    checked against existing rows: call it right after demo.partners.demo_partners_load.
    """
    builder = _Builder(staff=staff, seed=seed)
    partners = _partners()
    for partner in partners:
        builder.partner(partner)
    # demo.partners loads a place at a time: consecutive organizations share a county.
    for index in range(0, len(partners), ORGANIZATIONS_PER_UNIT):
        builder.joint_meetings(partners[index : index + ORGANIZATIONS_PER_UNIT])
    builder.meetings_for_everyone()

    # Meetings first: touchpoints and follow-ups point at them, and follow-ups at touchpoints.
    insert(Meeting, builder.meetings, builder.stamps)
    insert(
        Meeting.staff.through,
        [
            Meeting.staff.through(meeting=builder.meetings[index], user_id=user)
            for index, users in builder.meeting_staff.items()
            for user in users
        ],
    )
    insert(Meeting.contacts.through, builder.meeting_contacts)
    insert(Meeting.other_organizations.through, builder.meeting_partners)
    insert(Touchpoint, builder.touchpoints, builder.stamps)
    insert(Touchpoint.contacts.through, builder.touchpoint_contacts)
    insert(Touchpoint.other_organizations.through, builder.touchpoint_partners)
    # Bulk inserts bypass touchpoint_log: every organization's last touchpoint, in one UPDATE.
    organization_last_touchpoint_refresh(organization_ids=None)
    insert(FollowUp, builder.followups, builder.stamps)
    return OutreachCounts(
        touchpoints=len(builder.touchpoints),
        meetings=len(builder.meetings),
        followups=len(builder.followups),
    )
