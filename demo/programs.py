"""Demo joint programs: what the library runs with its partners, and what came of it.

It reads what demo.partners loaded and follows it: each place runs eight programs with its
active and in-discussion partners — a health-literacy workshop series, a reading event series, a
health and information fair, tech help for older adults, last year's awarded grant and this
year's application, a shared resource and an outreach campaign — some completed, some running,
some being planned, one proposed and one cancelled. Sessions fall within a program's dates, at
local times; only sessions already held have a head count. Each grant deliverable has its open
follow-up, made the way programs.services.grants makes it. Every table takes bulk inserts; the
same seed on the same day gives the same programs. demo.program_history adds the year behind
them, with the builder here.
"""

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from demo import program_texts as texts
from demo.bulk import insert
from demo.partners import (
    DEFAULT_SEED,
    FIRST_NAMES,
    MAX_SCALE,
    ORGANIZATIONS_PER_UNIT,
    TEMPLATES,
    place_for_unit,
)
from outreach.models import FollowUp
from partners.models import FocusArea, Organization, Stage
from programs.models import (
    Grant,
    GrantDeliverable,
    Outcome,
    Program,
    ProgramPartner,
    ProgramSession,
    Story,
    SupportLetter,
)
from programs.services.grants import deliverable_followup_title

if TYPE_CHECKING:
    # The link table Django makes for the many-to-many field (django-stubs gives it a type).
    from programs.models import Program_focus_areas

Status, GrantStatus, Role = Program.Status, Grant.Status, ProgramPartner.Role
# Who a place runs programs with: partners it works with now or is talking to.
WORKING_STAGES = (Stage.ACTIVE, Stage.IN_DISCUSSION)
# A grant application's status decides what its program is doing.
PROGRAM_STATUS_OF_GRANT = {
    GrantStatus.DRAFTING: Status.PLANNING,
    GrantStatus.SUBMITTED: Status.PLANNING,
    GrantStatus.RESEARCHING: Status.PROPOSED,
    GrantStatus.DECLINED: Status.CANCELLED,
}
# Days a shared resource or a campaign runs.
DURATIONS: dict[str, tuple[int, int]] = {
    Program.Kind.SHARED_RESOURCE: (120, 300),
    Program.Kind.CAMPAIGN: (28, 42),
}


@dataclass(frozen=True)
class ProgramCounts:
    programs: int
    sessions: int
    outcomes: int
    stories: int
    grants: int
    followups: int


@dataclass(frozen=True)
class PartnerOrg:
    pk: int
    name: str
    template: str  # the demo.partners template it was made from
    focus: frozenset[str]
    town: str
    county: str


@dataclass(frozen=True)
class Cast:
    """Who runs a program: its partners (the lead first), their roles, and the words naming
    them in the texts."""

    partners: list[PartnerOrg]
    roles: list[str]
    words: dict[str, str]


def partners_by_place(stages: Sequence[str] = WORKING_STAGES) -> list[list[PartnerOrg]]:
    """The partners of each demo place at these stages (by default those the library works
    with now), in the order demo.partners made them."""
    by_name = dict(Organization.objects.filter(stage__in=stages).values_list("name", "pk"))
    units = min(MAX_SCALE, math.ceil(Organization.objects.count() / ORGANIZATIONS_PER_UNIT))
    places = []
    for unit in range(units):
        county, towns = place_for_unit(unit)
        orgs = []
        for index, template in enumerate(TEMPLATES):
            town = towns[index % len(towns)]
            name = template.name.format(town=town, county=county)
            if name in by_name:
                focus = frozenset(template.focus_areas.split(", "))
                orgs.append(PartnerOrg(by_name[name], name, template.name, focus, town, county))
        places.append(orgs)
    return places


def is_holiday(day: dt.date) -> bool:
    """Days no series meets: the winter holidays, Thanksgiving and Independence Day."""
    month_day = (day.month, day.day)
    thanksgiving = day.month == 11 and day.weekday() == 3 and 22 <= day.day <= 28
    return month_day >= (12, 23) or month_day in ((1, 1), (7, 4)) or thanksgiving


class ProgramBuilder:
    """Every program row in memory, so that each table takes one bulk insert."""

    def __init__(self, *, staff: Sequence[User], seed: int, stream: str = "programs") -> None:
        self.staff_ids = [user.pk for user in staff]
        self.rng = random.Random(f"{stream}-{seed}")
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate(timezone=self.tz)
        self.focus_ids = dict(FocusArea.objects.values_list("name", "pk"))
        self.programs: list[Program] = []
        self.focus_links: list[Program_focus_areas] = []
        self.partners: list[ProgramPartner] = []
        self.sessions: list[ProgramSession] = []
        self.outcomes: list[Outcome] = []
        self.stories: list[Story] = []
        self.grants: list[Grant] = []
        self.letters: list[SupportLetter] = []
        self.followups: list[FollowUp] = []
        self.deliverables: list[GrantDeliverable] = []
        self.stamps: dict[int, tuple[dt.datetime, dt.datetime]] = {}
        self.usage: Counter[int] = Counter()
        self.consent_refused = False
        self.first_place = True

    # Days and times ---------------------------------------------------------------------------

    def day(self, low: int, high: int, anchor: dt.date | None = None) -> dt.date:
        """A day `low` to `high` days after the anchor (today unless given)."""
        return (anchor or self.today) + dt.timedelta(days=self.rng.randint(low, high))

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def stamp(self, row: models.Model, created_on: dt.date, updated_on: dt.date | None) -> None:
        """Rows were made in office hours on the day given, never after now."""
        created = min(
            self.at(created_on, dt.time(9)) + dt.timedelta(minutes=self.rng.randint(0, 480)),
            self.now,
        )
        updated = self.at(updated_on, dt.time(17)) if updated_on else created
        self.stamps[id(row)] = (created, min(max(updated, created), self.now))

    def window(self, status: str, days: tuple[int, int]) -> tuple[dt.date | None, dt.date | None]:
        """Start and end of a program without sessions, as its status has them."""
        length = dt.timedelta(days=self.rng.randint(*days))
        if status == Status.COMPLETED:
            end = self.day(-200, -20)
            return end - length, end
        if status == Status.ACTIVE:
            start = self.day(-(length.days - 10), -10)
            return start, start + length
        if status == Status.PROPOSED and self.rng.random() < 0.5:
            return None, None  # only an idea so far
        starts: dict[str, tuple[int, int]] = {Status.PLANNING: (10, 75), Status.PROPOSED: (45, 120)}
        offsets = starts.get(status, (-45, 40))
        first = self.day(*offsets)
        return first, first + length

    def session_days(self, plan: texts.Sessions, status: str, summer: bool) -> list[dt.date]:
        """Days of a series on one weekday: held ones before today, coming ones after it."""
        rng, today = self.rng, self.today
        count, every = rng.randint(*plan.count), dt.timedelta(days=plan.every)
        # Never today's weekday, so that no session falls between "held" and "coming up".
        weekday = rng.choice([d for d in plan.weekdays if d != today.weekday()])
        if status == Status.ACTIVE:
            last_held = today - dt.timedelta(days=(today.weekday() - weekday) % 7)
            days = [last_held - every * (rng.randint(1, count - 1) - 1)]
        elif status == Status.COMPLETED:
            if summer:  # last summer's reading challenge, ending in early August
                over = dt.date(today.year, 8, 12) <= today - dt.timedelta(days=20)
                last = dt.date(today.year if over else today.year - 1, 8, rng.randint(5, 12))
            else:
                last = self.day(-240, -20)
            last -= dt.timedelta(days=(last.weekday() - weekday) % 7)
            days, every = [last], -every  # counted back from the last, so all stay past
        else:
            first = self.day(10, 75)
            days = [first + dt.timedelta(days=(weekday - first.weekday()) % 7)]
        while len(days) < count:
            day = days[-1] + every
            while is_holiday(day):  # a whole number of weeks on: still never today
                day += every
            days.append(day)
        return sorted(days)

    # Programs ---------------------------------------------------------------------------------

    def place(self, orgs: list[PartnerOrg]) -> None:
        """One place's eight programs, with a proposed and a cancelled one among them."""
        if len(orgs) < 2:
            return
        rng = self.rng
        self.first_place = not self.programs
        self.usage.clear()
        self.consent_refused = False
        health, series, fair, shared, campaign = rng.sample(
            [Status.COMPLETED, Status.ACTIVE, Status.PLANNING, Status.PROPOSED, Status.CANCELLED],
            k=5,
        )
        # Last summer's reading challenge is over; the family nights run the year round.
        reading = texts.SUMMER_READING if series == Status.COMPLETED else texts.FAMILY_NIGHTS
        awarded = Status.COMPLETED if self.first_place or rng.random() < 0.7 else Status.ACTIVE
        # The first place always has an application due soon, for the grants list to show.
        application = GrantStatus.DRAFTING
        if not self.first_place:
            application = rng.choices(
                [GrantStatus.DRAFTING, GrantStatus.SUBMITTED, GrantStatus.RESEARCHING,
                 GrantStatus.DECLINED], weights=[45, 30, 10, 15]
            )[0]  # fmt: skip
        for ideas, status in (
            (texts.HEALTH_WORKSHOPS, health),
            (reading, series),
            (texts.FAIRS, fair),
            (texts.DIGITAL, Status.ACTIVE),
            (texts.AWARDED_GRANTS, awarded),
            (texts.NEW_GRANTS, PROGRAM_STATUS_OF_GRANT[application]),
            (texts.SHARED, shared),
            (texts.CAMPAIGNS, campaign),
        ):
            idea = rng.choice(ideas)
            grant_status = GrantStatus.AWARDED if ideas is texts.AWARDED_GRANTS else application
            self.program(idea, status, orgs, grant_status, summer=ideas is texts.SUMMER_READING)

    def pick_partners(self, idea: texts.Idea, orgs: list[PartnerOrg]) -> list[PartnerOrg]:
        """The best fitting working partners first; past them, those least busy already."""
        by_template = {o.template: o for o in orgs}
        fits = [by_template[t] for t in idea.partners if t in by_template]
        fits[1:] = self.rng.sample(fits[1:], k=len(fits[1:]))
        focus = set(idea.focus)
        others = sorted(
            (o for o in orgs if o not in fits),
            key=lambda o: (not o.focus & focus, self.usage[o.pk], o.pk),
        )
        chosen = [*fits, *others][: self.rng.choice((2, 3, 3))]
        self.usage.update(o.pk for o in chosen)
        return chosen

    def cast(self, idea: texts.Idea, chosen: list[PartnerOrg]) -> Cast:
        """The chosen partners in their roles, the first as the lead."""
        lead = chosen[0]
        words = {
            "town": lead.town,
            "county": lead.county,
            "lead": lead.name,
            "partners": ", ".join(o.name for o in chosen[:-1]) + f" and {chosen[-1].name}",
            "others": " and ".join(o.name for o in chosen[1:]),
        }
        roles = [Role.LEAD, *self.rng.sample(idea.roles, k=len(chosen) - 1)]
        venues = [o.name for o, role in zip(chosen, roles, strict=True) if role == Role.VENUE]
        words["venue"] = venues[0] if venues else texts.BRANCH.format(**words)
        return Cast(chosen, roles, words)

    def program(
        self,
        idea: texts.Idea,
        status: str,
        orgs: list[PartnerOrg],
        grant_status: str,
        *,
        summer: bool,
    ) -> None:
        cast = self.cast(idea, self.pick_partners(idea, orgs))
        days: list[dt.date] = []
        grant = None
        if idea.kind == Program.Kind.GRANT:
            grant, start, end = self.grant_plan(idea, grant_status, status, cast.words)
        elif idea.sessions and status in (Status.COMPLETED, Status.ACTIVE, Status.PLANNING):
            days = self.session_days(idea.sessions, status, summer)
            start, end = days[0], days[-1]
        else:
            start, end = self.window(status, DURATIONS.get(idea.kind, (28, 60)))
        self.add_program(idea, status, cast, (start, end), days, grant)

    def add_program(
        self,
        idea: texts.Idea,
        status: str,
        cast: Cast,
        dates: tuple[dt.date | None, dt.date | None],
        days: list[dt.date],
        grant: Grant | None = None,
        title: str = "",
    ) -> Program:
        """The program with its partners in their roles, its sessions on `days` and, once it
        has run, its outcomes and stories. `title` replaces the idea's."""
        rng, words = self.rng, cast.words
        start, end = dates
        description = idea.description.format(**words)
        if status == Status.CANCELLED:
            description += " " + rng.choice(texts.CANCELLED_BECAUSE)
        budget = None
        if grant is not None:
            budget = grant.amount_requested
        elif rng.random() < 0.6:
            budget = Decimal(rng.randrange(idea.budget[0], idea.budget[1] + 1, 50))
        program = Program(
            title=title or idea.title.format(**words),
            kind=idea.kind,
            description=description,
            goals=idea.goals.format(**words),
            status=status,
            start_date=start,
            end_date=end,
            lead_id=rng.choice([*self.staff_ids, self.staff_ids[0]]),
            audience=idea.audience.format(**words),
            budget=budget,
            library_resources=idea.resources.format(**words),
        )
        self.programs.append(program)
        created_on = (
            grant.submission_deadline - dt.timedelta(days=rng.randint(60, 90))
            if grant and grant.submission_deadline
            else (start or self.today) - dt.timedelta(days=rng.randint(21, 60))
        )
        updated_on: dict[str, dt.date | None] = {
            Status.COMPLETED: end,
            Status.CANCELLED: self.day(-30, -1),
        }
        self.stamp(program, min(created_on, self.today), updated_on.get(status))
        through = Program.focus_areas.through
        self.focus_links += [
            through(program=program, focusarea_id=self.focus_ids[name])
            for name in idea.focus
            if name in self.focus_ids
        ]
        self.partners += [
            ProgramPartner(
                program=program,
                organization_id=org.pk,
                role=role,
                contribution=rng.choice(texts.CONTRIBUTIONS[role]),
            )
            for org, role in zip(cast.partners, cast.roles, strict=True)
        ]
        if days and idea.sessions:
            self.add_sessions(program, idea.sessions, days, words)
        if status in (Status.COMPLETED, Status.ACTIVE):
            self.add_outcomes(program, idea)
            self.add_stories(program, idea, days)
        if grant is not None:
            grant.program = program
            self.add_grant(grant, program, cast.partners[0], cast.partners[1:])
        return program

    def add_sessions(
        self, program: Program, plan: texts.Sessions, days: list[dt.date], words: dict[str, str]
    ) -> None:
        rng = self.rng
        time = dt.time.fromisoformat(rng.choice(plan.times))
        here = rng.choice(plan.places)
        for index, day in enumerate(days):
            place = plan.places[index % len(plan.places)] if len(days) <= 3 else here
            held = day < self.today
            self.sessions.append(
                ProgramSession(
                    program=program,
                    starts_at=self.at(day, time),
                    location=place.format(**words),
                    attendance=rng.randint(*plan.attendance) if held else None,
                    notes=rng.choice(texts.SESSION_NOTES) if held and rng.random() < 0.2 else "",
                )
            )

    def ran_between(self, program: Program) -> tuple[dt.date, dt.date]:
        """The days a running or finished program has had so far."""
        yesterday = self.today - dt.timedelta(days=1)
        start = min(program.start_date or yesterday, yesterday)
        return start, min(program.end_date or yesterday, yesterday)

    def add_outcomes(self, program: Program, idea: texts.Idea) -> None:
        if not idea.outcomes:
            return
        rng = self.rng
        first, last = self.ran_between(program)
        if program.status == Status.COMPLETED:
            measured_on = min(self.today, last + dt.timedelta(days=rng.randint(3, 21)))
        else:
            measured_on = self.day(0, (last - first).days, first)
        count = rng.randint(2, min(3, len(idea.outcomes)))
        for metric, low, high, decimals, unit, method in idea.outcomes[:count]:
            self.outcomes.append(
                Outcome(
                    program=program,
                    metric=metric,
                    value=Decimal(f"{rng.uniform(low, high):.{decimals}f}"),
                    unit=unit,
                    measured_on=measured_on,
                    method=method,
                    note=texts.METHOD_NOTES.get(method, ""),
                )
            )

    def add_stories(self, program: Program, idea: texts.Idea, days: list[dt.date]) -> None:
        """Stories told at sessions already held; one a place was told without consent."""
        rng = self.rng
        first, last = self.ran_between(program)
        held = [day for day in days if day < self.today]
        chosen = rng.sample(idea.stories, k=rng.randint(1, min(3, len(idea.stories))))
        for who, text in chosen:
            consent = self.consent_refused and rng.random() < 0.88
            self.consent_refused = True
            self.stories.append(
                Story(
                    program=program,
                    text=text,
                    who=who.format(first=rng.choice(FIRST_NAMES)),
                    told_on=rng.choice(held) if held else self.day(0, (last - first).days, first),
                    consent_to_share=consent,
                )
            )

    def save(self) -> ProgramCounts:
        """Insert every row built, a table at a time, each after the rows it points at."""
        insert(Program, self.programs, self.stamps)
        insert(Program.focus_areas.through, self.focus_links)
        insert(ProgramPartner, self.partners)
        insert(ProgramSession, self.sessions)
        insert(Outcome, self.outcomes)
        insert(Story, self.stories)
        insert(Grant, self.grants, self.stamps)
        insert(SupportLetter, self.letters)
        insert(FollowUp, self.followups, self.stamps)
        insert(GrantDeliverable, self.deliverables)
        return ProgramCounts(
            programs=len(self.programs),
            sessions=len(self.sessions),
            outcomes=len(self.outcomes),
            stories=len(self.stories),
            grants=len(self.grants),
            followups=len(self.followups),
        )

    # Grants -----------------------------------------------------------------------------------

    def grant_plan(
        self, idea: texts.Idea, grant_status: str, status: str, words: dict[str, str]
    ) -> tuple[Grant, dt.date | None, dt.date | None]:
        """The application and the program dates that go with its status."""
        rng, day = self.rng, self.day
        requested: Decimal | None  # None: not known yet (a grant still being researched)
        requested = Decimal(rng.randrange(15, 81) * 1000)
        awarded = None
        start = end = None
        if grant_status == GrantStatus.AWARDED:
            if status == Status.COMPLETED:
                end = day(-150, -45)
                start = end - dt.timedelta(days=rng.randint(240, 330))
            else:
                start, end = day(-240, -90), day(30, 150)
            deadline = start - dt.timedelta(days=rng.randint(75, 120))
            decision = deadline + dt.timedelta(days=rng.randint(45, 70))
            awarded = requested if rng.random() < 0.5 else Decimal(int(requested) * 4 // 5)
        elif grant_status == GrantStatus.DRAFTING:
            # The first place's is due within 30 days, so the grants list highlights it.
            deadline = day(5, 28 if self.first_place else 60)
            decision = day(60, 100, deadline)
            start = day(14, 45, decision)
        elif grant_status == GrantStatus.SUBMITTED:
            deadline, decision = day(-60, -10), day(10, 60)
            start = day(14, 45, decision)
        elif grant_status == GrantStatus.RESEARCHING:
            deadline = day(45, 120)
            decision = day(90, 90, deadline)
            requested = None if rng.random() < 0.5 else requested
        else:  # declined: the program it would have paid for was cancelled
            deadline = day(-150, -90)
            decision = day(45, 70, deadline)
            start = day(30, 30, decision)
        grant = Grant(
            funder=rng.choice(idea.funders).format(**words),
            amount_requested=requested,
            amount_awarded=awarded,
            submission_deadline=deadline,
            decision_expected=decision,
            status=grant_status,
        )
        return grant, start, end

    def add_grant(
        self, grant: Grant, program: Program, lead: PartnerOrg, others: list[PartnerOrg]
    ) -> None:
        rng, day = self.rng, self.day
        deadline, decision = grant.submission_deadline, grant.decision_expected
        if deadline is None or decision is None:
            raise ValueError("A demo grant has a deadline and an expected decision.")
        created_on = min(self.today, deadline - dt.timedelta(days=rng.randint(30, 55)))
        decided = grant.status in (GrantStatus.AWARDED, GrantStatus.DECLINED)
        self.stamp(grant, created_on, decision if decided else None)
        self.grants.append(grant)

        # Nobody has been asked for a letter while the library is still researching the funder.
        writers = [] if grant.status == GrantStatus.RESEARCHING else others[: rng.randint(1, 2)]
        for org in writers:
            drafting = grant.status == GrantStatus.DRAFTING
            received_on = day(-25, -1) if drafting else day(-25, -3, deadline)
            self.letters.append(
                SupportLetter(grant=grant, organization_id=org.pk, received_on=received_on)
            )

        titles = texts.DELIVERABLES[grant.status]
        titles = titles[: rng.randint(2, len(titles))]
        if grant.status == GrantStatus.AWARDED:
            anchor, offsets = max(self.today, program.end_date or self.today), (-7, 60)
        elif grant.status == GrantStatus.DRAFTING:
            anchor, offsets = deadline, (-14, -1)
        elif grant.status == GrantStatus.SUBMITTED:
            anchor, offsets = self.today, (2, 40)
        else:
            anchor, offsets = self.today, (-5, 30)
        dues = sorted(day(*offsets, anchor) for _ in titles)
        # Reminders began when the work did: the award letter, or the start of the draft.
        made_on = decision if grant.status == GrantStatus.AWARDED else created_on
        assert program.lead_id is not None  # every demo program has a lead
        owners = [program.lead_id, *(s for s in self.staff_ids if s != program.lead_id)]
        for index, (title, due_on) in enumerate(zip(titles, dues, strict=True)):
            owner = owners[index % len(owners)]
            followup = FollowUp(
                organization_id=lead.pk,
                assignee_id=owner,
                created_by_id=program.lead_id,
                due_on=due_on,
                title=deliverable_followup_title(title, grant.funder),
                details=f"A deliverable of the {grant.funder} grant application for "
                f"“{program.title}”.",
                status=FollowUp.Status.OPEN,
            )
            self.stamp(followup, min(made_on, self.today), None)
            self.followups.append(followup)
            self.deliverables.append(
                GrantDeliverable(
                    grant=grant, title=title, due_on=due_on, owner_id=owner, followup=followup
                )
            )


@transaction.atomic
def demo_programs_load(*, staff: Sequence[User], seed: int = DEFAULT_SEED) -> ProgramCounts:
    """Load joint programs for every demo place, in bulk inserts.

    `staff` are the demo users, the librarian first. Nothing is checked against existing rows:
    call it right after demo.partners.demo_partners_load.
    """
    builder = ProgramBuilder(staff=staff, seed=seed)
    for orgs in partners_by_place():
        builder.place(orgs)
    return builder.save()
