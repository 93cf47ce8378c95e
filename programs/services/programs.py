"""Writes to joint programs: the program with its partners and sessions, outcomes and stories.

Grants and survey results have their own modules.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from core.history import history_context, record_rows
from partners.models import FocusArea, Organization
from programs.models import (
    MAX_ATTENDANCE,
    Grant,
    Outcome,
    Program,
    ProgramPartner,
    ProgramSession,
    Story,
)

ANONYMOUS = "Anonymous participant"


class PartnerEntry(NamedTuple):
    """An organization in a program, its role, and what it contributes."""

    organization: Organization
    role: str = ProgramPartner.Role.CO_HOST
    contribution: str = ""


def _prefixed(error: ValidationError, prefix: str) -> list[str]:
    return [f"{prefix}: {message}" for message in error.messages]


def _check_partners(partners: list[PartnerEntry]) -> list[ProgramPartner]:
    """Each partner listed once and valid; returns unsaved rows (the program set on saving)."""
    seen: set[int] = set()
    rows, errors = [], []
    for entry in partners:
        organization = entry.organization
        if organization.pk in seen:
            errors.append(f"{organization.name} is listed twice: list each partner once.")
            continue
        seen.add(organization.pk)
        row = ProgramPartner(
            organization=organization, role=entry.role, contribution=entry.contribution
        )
        try:
            row.full_clean(exclude=["program"])
        except ValidationError as error:
            errors.extend(_prefixed(error, organization.name))
        rows.append(row)
    if errors:
        raise ValidationError({"partners": errors})
    return rows


def _check_sessions(program: Program, sessions: list[ProgramSession]) -> None:
    errors = []
    for session in sessions:
        if session.pk is not None and session.program_id != program.pk:
            # A tampered form naming another program's session.
            errors.append("A session of another program cannot be changed here.")
            continue
        try:
            session.full_clean(exclude=["program"])
        except ValidationError as error:
            when = timezone.localtime(session.starts_at) if session.starts_at else None
            errors.extend(_prefixed(error, f"Session on {when:%b %d, %Y}" if when else "Session"))
    if errors:
        raise ValidationError({"sessions": errors})


@transaction.atomic
def program_save(
    *,
    program: Program,
    focus_areas: Iterable[FocusArea] = (),
    partners: Iterable[PartnerEntry | tuple[Organization, str, str]] = (),
    removed_partners: Iterable[Organization] = (),
    sessions: Iterable[ProgramSession] = (),
    removed_sessions: Iterable[ProgramSession] = (),
) -> Program:
    """Create or update a program with its partners and sessions, all or nothing.

    `partners` are added, or updated when the organization is a partner already (an
    organization is in a program once). `removed_partners` are taken out unless also listed in
    `partners`: moving organizations between a form's rows removes nothing. `sessions` are
    saved (new ones have no pk); `removed_sessions` are deleted. Everything is validated before
    anything is written, and errors name the program's field, or "partners" or "sessions".
    """
    entries = [PartnerEntry(*entry) for entry in partners]
    sessions, focus_areas = list(sessions), list(focus_areas)
    program.title = program.title.strip()
    program.full_clean()
    if (
        program.pk is not None
        and program.kind != Program.Kind.GRANT
        and Grant.objects.filter(program=program).exists()
    ):
        raise ValidationError(
            {"kind": "This program has a grant application, so it stays a joint grant application."}
        )
    partner_rows = _check_partners(entries)
    _check_sessions(program, sessions)

    program.save()
    program.focus_areas.set(focus_areas)

    listed = {row.organization.pk for row in partner_rows}
    removed = {o.pk for o in removed_partners} - listed
    if removed:
        program.program_partners.filter(organization__in=removed).delete()
    current = {p.organization_id: p for p in program.program_partners.all()}
    for row in partner_rows:
        existing = current.get(row.organization.pk)
        if existing is None:
            row.program = program
            row.save()
        elif (existing.role, existing.contribution) != (row.role, row.contribution):
            existing.role, existing.contribution = row.role, row.contribution
            existing.save(update_fields=["role", "contribution"])

    removed_ids = [s.pk for s in removed_sessions if s.pk is not None]
    if removed_ids:
        # Scoped to this program: a tampered id cannot delete another program's session.
        program.sessions.filter(pk__in=removed_ids).delete()
    for session in sessions:
        if session.pk in removed_ids:
            continue
        session.program = program
        session.save()
    return program


def _not_in_future(day: dt.date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future: pick today or earlier."})


def outcome_add(
    *,
    program: Program,
    metric: str,
    value: Decimal,
    measured_on: dt.date,
    method: str = Outcome.Method.SURVEY,
    unit: str = "",
    note: str = "",
) -> Outcome:
    """Record a measured result of the program."""
    _not_in_future(measured_on, "measured_on", "The measurement date")
    outcome = Outcome(
        program=program,
        metric=metric.strip(),
        value=value,
        unit=unit.strip(),
        measured_on=measured_on,
        method=method,
        note=note,
    )
    outcome.full_clean()
    outcome.save()
    return outcome


def story_add(
    *,
    program: Program,
    text: str,
    told_on: dt.date,
    who: str = "",
    consent_to_share: bool = False,
) -> Story:
    """Keep a participant's story; without consent it is marked and never shared."""
    _not_in_future(told_on, "told_on", "The date of the story")
    story = Story(
        program=program,
        text=text.strip(),
        who=" ".join(who.split()) or ANONYMOUS,
        told_on=told_on,
        consent_to_share=consent_to_share,
    )
    story.full_clean()
    story.save()
    return story


# Attendance recorded on the program's page, one session at a time

# The code of the error that asks to confirm a head count for a session after today.
FUTURE_SESSION = "future_session"


def session_day(session: ProgramSession, *, weekday: bool = False) -> str:
    """The session's day as a librarian says it: "Dec 8" ("Tue Dec 8" with `weekday`), with
    the year when it is not this year's."""
    day = timezone.localtime(session.starts_at).date()
    text = formats.date_format(day, "D M j" if weekday else "M j")
    return text if day.year == timezone.localdate().year else f"{text}, {day.year}"


def future_session_warning(session: ProgramSession) -> str:
    # Most often the right number typed on the wrong row.
    return f"This session is on {session_day(session)}, after today: is that the right session?"


def _check_attendance(
    session: ProgramSession, attendance: int | None, *, future_confirmed: bool
) -> None:
    if attendance is None:
        return  # cleared: "not counted", whenever the session is
    if attendance < 0:
        raise ValidationError({"attendance": "Attendance cannot be below 0."})
    if attendance > MAX_ATTENDANCE:
        raise ValidationError(
            {"attendance": f"Enter a head count up to {MAX_ATTENDANCE:,}: check for a typo."}
        )
    if timezone.localtime(session.starts_at).date() > timezone.localdate() and not (
        future_confirmed
    ):
        message = future_session_warning(session)
        raise ValidationError({"attendance": ValidationError(message, code=FUTURE_SESSION)})


@transaction.atomic
def session_attendance_record(
    *,
    session: ProgramSession,
    attendance: int | None,
    future_confirmed: bool = False,
    by: AbstractBaseUser | None = None,
) -> ProgramSession:
    """Record a session's head count (None: not counted), and say so in the program's history.

    A session after today takes one only with `future_confirmed`: an error with the code
    FUTURE_SESSION asks for it. The session's row is locked, so two people recording at once
    each see the other's count as the one they replaced. Returns the session as saved.
    """
    current = ProgramSession.objects.select_for_update().get(pk=session.pk)
    _check_attendance(current, attendance, future_confirmed=future_confirmed)
    before = current.attendance
    if before == attendance:
        return current
    current.attendance = attendance
    current.save(update_fields=["attendance"])
    # Sessions keep no history of their own: the program's says who recorded what, and when.
    day = formats.date_format(timezone.localtime(current.starts_at).date(), "M j, Y")
    now = "not counted" if attendance is None else f"{attendance:,}"
    was = "not counted" if before is None else f"{before:,}"
    reason = f"Attendance at the session on {day}: {now} (was {was})"
    with history_context(by=by, reason=reason):
        record_rows(Program, [current.program_id])
    return current
