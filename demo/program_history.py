"""A year of demo programs gone by: what last quarter's impact pages and reports are made of.

demo.programs loads what each place runs now; its series began in the last weeks or months. This
adds the year behind them, in every place: a monthly program that has run all year and still
does (health talks, or a benefits help hour) and a seasonal series in each of the last three
calendar quarters, each with its head counts, outcomes and stories. So every month of
the past year had sessions, and every quarter's report and partner update has figures.

The partners are those who have worked with the library (active now, or gone quiet since), and
those it already worked with when the program ran come first: the stage history says who. Every
table takes bulk inserts; the same seed on the same day gives the same programs.
"""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.periods import quarter_of
from demo import program_texts as texts
from demo.partners import DEFAULT_SEED
from demo.programs import (
    PartnerOrg,
    ProgramBuilder,
    ProgramCounts,
    is_holiday,
    partners_by_place,
)
from partners.models import Stage, StageChange
from programs.models import Program

Status = Program.Status
# Who a place has worked with: its partners now, and those that went quiet since.
PAST_PARTNER_STAGES = (Stage.ACTIVE, Stage.DORMANT)
# A seasonal series in each of the last three calendar quarters, ending in its last weeks, so
# that with the monthly program every quarter of the year has several sessions to report.
SEASONS_PAST = 3
ENDS_BEFORE_QUARTER_END = (3, 30)  # days
# Series a past season may have run; no family nights at school in the summer holidays.
SEASONAL = (texts.HEALTH_WORKSHOPS, texts.DIGITAL, texts.FAIRS, texts.FAMILY_NIGHTS)
# The monthly program began about a year ago (days).
YEAR_ROUND_BEGAN = (335, 365)
SEASONS = ("winter", "winter", "spring", "spring", "spring", "summer", "summer", "summer",
           "fall", "fall", "fall", "winter")  # fmt: skip


@dataclass(frozen=True)
class _Span:
    """When the library worked with a partner, in local days."""

    known: dt.date  # its first record in the pipeline
    since: dt.date | None  # talks, then the partnership, began
    until: dt.date | None  # the partnership went quiet (dormant now)


def _spans() -> dict[int, _Span]:
    """The span of every organization at a past-partner stage, from its stage history."""
    tz = timezone.get_default_timezone()
    changes = (
        StageChange.objects.filter(organization__stage__in=PAST_PARTNER_STAGES)
        .order_by("organization", "changed_at", "pk")
        .values_list("organization", "changed_at", "to_stage")
    )
    history: dict[int, list[tuple[dt.date, str]]] = {}
    for organization, changed_at, to_stage in changes:
        history.setdefault(organization, []).append((changed_at.astimezone(tz).date(), to_stage))
    spans = {}
    for organization, steps in history.items():
        working = (day for day, stage in steps if stage in (Stage.IN_DISCUSSION, Stage.ACTIVE))
        last_day, last_stage = steps[-1]
        until = last_day if last_stage == Stage.DORMANT else None
        spans[organization] = _Span(steps[0][0], next(working, None), until)
    return spans


def season_of(first: dt.date, last: dt.date) -> str:
    """“spring 2026”, “winter 2025–26”: what a librarian calls the months a series ran."""
    middle = first + (last - first) / 2
    name = SEASONS[middle.month - 1]
    if name != "winter":
        return f"{name} {middle.year}"
    year = middle.year if middle.month == 12 else middle.year - 1
    return f"winter {year}–{(year + 1) % 100:02d}"


class _PastYear:
    """One place at a time: its monthly program and its three past seasons."""

    def __init__(self, builder: ProgramBuilder, spans: dict[int, _Span]) -> None:
        self.builder = builder
        self.rng = builder.rng
        self.today = builder.today
        self.spans = spans
        self.usage: Counter[int] = Counter()

    def place(self, orgs: list[PartnerOrg]) -> None:
        if len(orgs) < 2:
            return
        self.usage.clear()
        self.builder.consent_refused = False
        self.year_round(self.rng.choice(texts.YEAR_ROUND), orgs)
        ideas = list(SEASONAL)
        quarter_ends = quarter_of(self.today)
        for _ in range(SEASONS_PAST):
            quarter_ends -= dt.timedelta(days=1)
            summer = quarter_ends.month == 9
            fitting = [i for i in ideas if not (summer and i is texts.FAMILY_NIGHTS)]
            ideas.remove(chosen := self.rng.choice(fitting))
            last = quarter_ends - dt.timedelta(days=self.rng.randint(*ENDS_BEFORE_QUARTER_END))
            self.season(self.rng.choice(chosen), orgs, last)
            quarter_ends = quarter_of(quarter_ends)

    def working(self, org: PartnerOrg, first: dt.date, last: dt.date) -> int:
        """0 if the library worked with it all through the program, 1 if it knew it when the
        program began, 2 if not yet (or no longer)."""
        span = self.spans.get(org.pk)
        if span is None or (span.until is not None and span.until < last):
            return 2
        if span.since is not None and span.since <= first:
            return 0
        return 1 if span.known <= first else 2

    def pick(
        self, idea: texts.Idea, orgs: list[PartnerOrg], first: dt.date, last: dt.date
    ) -> list[PartnerOrg]:
        """Partners the library worked with at the time first, then the best fitting, then
        those least busy this year."""
        fit = {template: rank for rank, template in enumerate(idea.partners)}
        focus = set(idea.focus)
        ranked = sorted(
            orgs,
            key=lambda o: (
                self.working(o, first, last),
                o.template not in fit and not o.focus & focus,
                self.usage[o.pk],
                fit.get(o.template, len(fit)),
                o.pk,
            ),
        )
        chosen = ranked[: self.rng.choice((2, 3, 3))]
        self.usage.update(o.pk for o in chosen)
        return chosen

    def weekday(self, plan: texts.Sessions) -> int:
        """A weekday of the plan, never today's: no session falls between held and coming."""
        return self.rng.choice([d for d in plan.weekdays if d != self.today.weekday()])

    def year_round(self, idea: texts.Idea, orgs: list[PartnerOrg]) -> None:
        """Every four weeks since about a year ago, the next one or two still to come."""
        plan = idea.sessions
        assert plan is not None  # a year-round idea has its sessions
        weekday, every = self.weekday(plan), dt.timedelta(days=plan.every)
        first = self.today - dt.timedelta(days=self.rng.randint(*YEAR_ROUND_BEGAN))
        first += dt.timedelta(days=(weekday - first.weekday()) % 7)
        held = (self.today - first).days // plan.every + 1
        coming = self.rng.randint(1, 2)
        days = sorted(self.clear(first + every * n) for n in range(held + coming))
        builder = self.builder
        cast = builder.cast(idea, self.pick(idea, orgs, days[0], days[held - 1]))
        builder.add_program(idea, Status.ACTIVE, cast, (days[0], days[-1]), days)

    def clear(self, day: dt.date) -> dt.date:
        """The day, or the nearest same weekday of its month that is not a holiday, on the
        same side of today: every month keeps its session."""
        for weeks in (0, -1, 1, -2, 2):
            moved = day + dt.timedelta(weeks=weeks)
            same_side = (moved < self.today) == (day < self.today)
            if moved.month == day.month and same_side and not is_holiday(moved):
                return moved
        return day

    def season(self, idea: texts.Idea, orgs: list[PartnerOrg], last: dt.date) -> None:
        """A series that ended on `last` (or the weekday before it), counted back from there."""
        plan = idea.sessions
        assert plan is not None  # every seasonal idea has its sessions
        weekday, every = self.weekday(plan), dt.timedelta(days=plan.every)
        days = [last - dt.timedelta(days=(last.weekday() - weekday) % 7)]
        count = self.rng.randint(*plan.count)
        while len(days) < count:
            day = days[-1] - every
            while is_holiday(day):
                day -= every
            days.append(day)
        days.sort()
        builder = self.builder
        cast = builder.cast(idea, self.pick(idea, orgs, days[0], days[-1]))
        title = f"{idea.title.format(**cast.words)} ({season_of(days[0], days[-1])})"
        builder.add_program(idea, Status.COMPLETED, cast, (days[0], days[-1]), days, title=title)


@transaction.atomic
def demo_program_history_load(*, staff: Sequence[User], seed: int = DEFAULT_SEED) -> ProgramCounts:
    """Load every demo place's past year of programs, in bulk inserts.

    `staff` are the demo users, the librarian first. Call it after demo.programs has loaded
    what the places run now.
    """
    builder = ProgramBuilder(staff=staff, seed=seed, stream="program-history")
    past = _PastYear(builder, _spans())
    for orgs in partners_by_place(PAST_PARTNER_STAGES):
        past.place(orgs)
    return builder.save()
