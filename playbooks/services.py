"""Every write to playbooks and their runs goes through these functions.

A run's steps become follow-ups (outreach.services.followup_create) as they fall due: the ones
counted from the start when it is applied, each one counted from the previous step's completion
when that step's follow-up is done (the `followup_completed` signal, playbooks/receivers.py).
Due days are days, not moments: N days after a day is the same calendar day count whatever
daylight saving time does in between, so a step never drifts by an hour or a day.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.dates import LATEST
from core.profiles import user_localtime
from core.roles import ADMIN, MANAGER
from outreach.models import FollowUp
from outreach.services import followup_cancel, followup_create
from partners.models import Organization, Stage
from partners.services import stage_change
from playbooks.models import (
    MAX_OFFSET_DAYS,
    CountedFrom,
    DoneBy,
    Playbook,
    PlaybookRun,
    PlaybookStep,
    RunStep,
)


@dataclass(frozen=True)
class StepSpec:
    """A step as a manager writes it (the playbook form's rows)."""

    title: str
    offset_days: int
    details: str = ""
    counted_from: str = CountedFrom.START
    done_by: str = DoneBy.OWNER
    person: User | None = None
    moves_to_stage: str = ""


def _checked_steps(steps: Iterable[StepSpec]) -> list[StepSpec]:
    steps = list(steps)
    if not steps:
        raise ValidationError("A playbook needs at least one step.")
    for number, step in enumerate(steps, start=1):
        where = f"Step {number}"
        if not step.title.strip():
            raise ValidationError(f"{where} needs a title.")
        if not 0 <= step.offset_days <= MAX_OFFSET_DAYS:
            raise ValidationError(f"{where}: days after must be from 0 to {MAX_OFFSET_DAYS}.")
        if step.counted_from not in CountedFrom.values or step.done_by not in DoneBy.values:
            raise ValidationError(f"{where}: choose how it is counted and who does it.")
        if (step.done_by == DoneBy.PERSON) != (step.person is not None):
            raise ValidationError(f"{where}: name the person only when a named person does it.")
        if step.person is not None and not step.person.is_active:
            raise ValidationError(f"{where}: {step.person.username} can no longer sign in.")
        if step.moves_to_stage and step.moves_to_stage not in Stage.values:
            raise ValidationError(f"{where}: unknown stage {step.moves_to_stage!r}.")
    if steps[0].counted_from == CountedFrom.PREVIOUS:
        raise ValidationError("Step 1 has no step before it: count it from the start.")
    return steps


def _checked_playbook(playbook: Playbook) -> Playbook:
    playbook.name = playbook.name.strip()
    taken = Playbook.objects.filter(name__iexact=playbook.name).exclude(pk=playbook.pk)
    if taken.exists():
        raise ValidationError({"name": "A playbook has this name already."})
    playbook.full_clean()
    return playbook


def _steps_replace(playbook: Playbook, steps: list[StepSpec]) -> None:
    """The playbook's steps become these; runs keep their own copy, so nothing they show is
    lost."""
    playbook.steps.all().delete()
    PlaybookStep.objects.bulk_create(
        PlaybookStep(
            playbook=playbook,
            position=position,
            title=step.title.strip(),
            details=step.details,
            offset_days=step.offset_days,
            counted_from=step.counted_from,
            done_by=step.done_by,
            person=step.person,
            moves_to_stage=step.moves_to_stage,
        )
        for position, step in enumerate(steps, start=1)
    )


@transaction.atomic
def playbook_create(
    *,
    name: str,
    steps: Iterable[StepSpec],
    by: User | None,
    description: str = "",
    kind: str = "",
    auto_apply_stage: str = "",
) -> Playbook:
    checked = _checked_steps(steps)
    playbook = _checked_playbook(
        Playbook(
            name=name,
            description=description,
            kind=kind,
            auto_apply_stage=auto_apply_stage,
            created_by=by,
        )
    )
    playbook.save()
    _steps_replace(playbook, checked)
    return playbook


@transaction.atomic
def playbook_update(
    *,
    playbook: Playbook,
    name: str,
    steps: Iterable[StepSpec],
    description: str = "",
    kind: str = "",
    auto_apply_stage: str = "",
) -> Playbook:
    """Rename, describe, re-target and rewrite the steps: applies to runs started from now on."""
    checked = _checked_steps(steps)
    playbook.name, playbook.description = name, description
    playbook.kind, playbook.auto_apply_stage = kind, auto_apply_stage
    _checked_playbook(playbook).save()
    _steps_replace(playbook, checked)
    return playbook


def playbook_retire(*, playbook: Playbook, retired: bool = True) -> Playbook:
    """Retired: no longer offered nor applied by itself; its runs go on. Never deleted."""
    if playbook.is_retired != retired:
        playbook.is_retired = retired
        playbook.save(update_fields=["is_retired", "updated_at"])
    return playbook


def _first_manager() -> User | None:
    """Who "a manager" is: the longest-serving active manager (then admin), by account id."""
    for role in (MANAGER, ADMIN):
        found = User.objects.filter(is_active=True, groups__name=role).order_by("pk").first()
        if found is not None:
            return found
    return User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()


def _assignee(step: RunStep, run: PlaybookRun) -> User | None:
    """Who a step is for; when that person is missing or gone, the next in line: the owner,
    whoever applied it, a manager."""
    owner = run.organization.owner
    line = {
        DoneBy.PERSON: [step.person, owner, run.started_by],
        DoneBy.OWNER: [owner, run.started_by],
        DoneBy.APPLIER: [run.started_by, owner],
        DoneBy.MANAGER: [],
    }[DoneBy(step.done_by)]
    found = next((user for user in line if user is not None and user.is_active), None)
    return found or _first_manager()


def _schedule(step: RunStep, run: PlaybookRun, *, from_day: dt.date, by: User | None) -> None:
    assignee = _assignee(step, run)
    if assignee is None:
        raise ValidationError("Nobody can be given this playbook's steps: add a manager first.")
    due_on = from_day + dt.timedelta(days=step.offset_days)
    if due_on > LATEST:
        raise ValidationError(f"Step {step.position} would fall due after {LATEST.year}.")
    details = step.details + ("\n\n" if step.details else "") + f"Playbook: {run.playbook.name}."
    step.followup = followup_create(
        organization=run.organization,
        assignee=assignee,
        created_by=by,
        due_on=due_on,
        title=step.title,
        details=details,
    )
    step.save(update_fields=["followup"])


@transaction.atomic
def playbook_apply(
    *,
    playbook: Playbook,
    organization: Organization,
    by: User | None,
    start_on: dt.date | None = None,
) -> PlaybookRun:
    """Apply the playbook: the steps counted from the start become follow-ups due `offset`
    days after `start_on` (today by default); the others wait for the step before them."""
    if playbook.is_retired:
        raise ValidationError({"playbook": "This playbook is retired."})
    start_on = start_on or timezone.localdate()
    # Locked, so that two people applying it at once (or a stage change meanwhile) start it once.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    running = PlaybookRun.objects.filter(
        playbook=playbook, organization=organization, status=PlaybookRun.Status.RUNNING
    )
    if running.exists():
        raise ValidationError({"playbook": f"“{playbook}” is already running here."})
    run = PlaybookRun.objects.create(
        playbook=playbook, organization=organization, started_on=start_on, started_by=by
    )
    steps = RunStep.objects.bulk_create(
        RunStep(
            run=run,
            **{
                field: getattr(step, field)
                for field in ("position", "title", "details", "offset_days", "counted_from")
            },
            done_by=step.done_by,
            person=step.person,
            moves_to_stage=step.moves_to_stage,
        )
        for step in playbook.steps.select_related("person").order_by("position")
    )
    if not steps:
        raise ValidationError({"playbook": "This playbook has no steps."})
    run.organization = organization
    for step in steps:
        if step.counted_from == CountedFrom.START:
            _schedule(step, run, from_day=start_on, by=by)
    return run


def playbook_step_done(
    *, followup: FollowUp, by: User | None, cancelled: bool = False
) -> RunStep | None:
    """The follow-up of a running playbook's step was done (or `cancelled` by hand: the
    playbook goes on without it): move the partner if the step says so (not for one
    cancelled), schedule the step that waits for it, and finish the run after its last step.
    None when the follow-up is no running playbook's step."""
    step = (
        RunStep.objects.select_related("run__playbook", "run__organization__owner")
        .filter(followup=followup, run__status=PlaybookRun.Status.RUNNING)
        .first()
    )
    if step is None:
        return None
    # The run locked, and still running: a stop that got there first leaves nothing to schedule.
    locked = PlaybookRun.objects.select_for_update().filter(
        pk=step.run_id, status=PlaybookRun.Status.RUNNING
    )
    if not list(locked.values_list("pk", flat=True)):
        return None
    run = step.run
    if step.moves_to_stage and not cancelled:
        note = f"Playbook “{run.playbook}”: {step.title}."
        stage_change(organization=run.organization, to_stage=step.moves_to_stage, by=by, note=note)
    following = (
        run.steps.select_related("person")
        .filter(position=step.position + 1, counted_from=CountedFrom.PREVIOUS, followup=None)
        .first()
    )
    if following is not None:
        assignee = _assignee(following, run)
        # The day it was done where the next step's person is: their "in 7 days" is a week from
        # their today, whatever the library's time zone says.
        done_at = (None if cancelled else followup.completed_at) or timezone.now()
        done_on = user_localtime(assignee, done_at).date()
        _schedule(following, run, from_day=done_on, by=by)
    _finish_if_done(run)
    return step


def _finish_if_done(run: PlaybookRun) -> None:
    open_or_waiting = run.steps.exclude(followup__status__in=["done", "cancelled"])
    if not open_or_waiting.exists():
        run.status, run.finished_at = PlaybookRun.Status.FINISHED, timezone.now()
        run.save(update_fields=["status", "finished_at", "updated_at"])


@transaction.atomic
def playbook_stop(*, run: PlaybookRun, by: User, reason: str = "") -> PlaybookRun:
    """Stop a running playbook: its open follow-ups are cancelled (kept, marked cancelled), the
    steps still waiting are never scheduled, and the run records who stopped it, when and why."""
    # Its open follow-ups locked before the run, in the order a step being done takes them
    # (the follow-up, then the run): one being done meanwhile is waited for, not deadlocked.
    steps_open = FollowUp.objects.filter(playbook_step__run=run, status=FollowUp.Status.OPEN)
    list(steps_open.select_for_update().order_by("pk").values_list("pk", flat=True))
    run = PlaybookRun.objects.select_for_update().get(pk=run.pk)
    if run.status != PlaybookRun.Status.RUNNING:
        raise ValidationError(f"This playbook is {run.get_status_display().lower()} already.")
    run.status = PlaybookRun.Status.STOPPED
    run.stopped_by, run.stopped_at, run.stop_reason = by, timezone.now(), reason.strip()
    run.save(update_fields=["status", "stopped_by", "stopped_at", "stop_reason", "updated_at"])
    # Stopped first, so that cancelling its steps schedules nothing more; read again: the
    # step a follow-up done meanwhile scheduled is cancelled too.
    for followup in steps_open.all():
        followup_cancel(followup=followup)
    return run


def playbooks_apply_on_stage(*, organization: Organization, stage: str, by: User | None) -> int:
    """Apply the playbooks set to start when an organization of their kind (any kind when
    none) enters `stage`, unless one is running there already; returns how many started."""
    found = Playbook.objects.filter(is_retired=False, auto_apply_stage=stage).filter(
        kind__in=["", organization.kind]
    )
    started = 0
    for playbook in found.order_by("name"):
        running = playbook.runs.filter(organization=organization, status=PlaybookRun.Status.RUNNING)
        if running.exists():
            continue
        playbook_apply(playbook=playbook, organization=organization, by=by)
        started += 1
    return started
