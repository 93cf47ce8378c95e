"""The program and grant lists' rows, written in Python (core/rows.py says why)."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.aggregates import split_names
from core.people import display_name
from core.rows import escape, month_year, muted, names, short_date, shortened
from programs.models import Grant, Program, ProgramPartner
from programs.selectors.grants import DeadlineNote
from programs.templatetags.grants import grant_status_badge, money

register = template.Library()

# Choice labels by value: get_FOO_display() builds a dict of the choices at every call.
KINDS = dict(Program.Kind.choices)
STATUSES = dict(Program.Status.choices)
GRANT_STATUSES = dict(Grant.Status.choices)
ROLES = dict(ProgramPartner.Role.choices)
# As programs/partials/program_status.html colours them.
STATUS_BADGES = {
    "active": "text-bg-success",
    "planning": "text-bg-info",
    "completed": "text-bg-primary",
    "cancelled": "text-bg-secondary",
}


def _dates(program: Program) -> str:
    """As programs/partials/program_dates.html says them."""
    start, end = program.start_date, program.end_date
    if start:
        start_text = f'<time datetime="{start.isoformat()}">{short_date(start)}</time>'
    if end:
        end_text = f'<time datetime="{end.isoformat()}">{short_date(end)}</time>'
    if start and end:
        return f"{start_text} – {end_text}"
    if start:
        return f"From {start_text}"
    if end:
        return f"Until {end_text}"
    return muted("Dates not set")


def _program_row(program: Program) -> str:
    """One row; the program comes from selectors.programs.program_list."""
    status = escape(STATUSES.get(program.status, program.status))
    badge = STATUS_BADGES.get(program.status, "text-bg-light border")
    lead = escape(display_name(program.lead)) if program.lead else muted("Nobody yet")
    partners = names(split_names(program.partner_names), "None yet")  # type: ignore[attr-defined]
    attendance = program.total_attendance  # type: ignore[attr-defined]
    counted = muted("Not counted") if attendance is None else f"{attendance:,}"
    return (
        "<tr>"
        f'<td data-label="Program"><a href="{program.get_absolute_url()}" class="fw-semibold">'
        f"{escape(program.title)}</a></td>"
        f'<td data-label="Kind">{escape(KINDS.get(program.kind, program.kind))}</td>'
        f'<td data-label="Status"><span class="badge {badge}">{status}</span></td>'
        f'<td data-label="Dates" class="small">{_dates(program)}</td>'
        f'<td data-label="Lead">{lead}</td>'
        f'<td data-label="Partners" class="small">{partners}</td>'
        f'<td data-label="Attendance" class="text-end">{counted}</td>'
        "</tr>\n"
    )


@register.simple_tag
def program_rows(programs: Iterable[Program]) -> SafeString:
    """The <tr>s of the program list (programs/partials/program_results.html)."""
    html = "".join(_program_row(program) for program in programs)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


def _grant_row(grant: Grant, note: DeadlineNote | None) -> str:
    """One row; the grant comes from selectors.grants.grant_list, with its deadline's note."""
    program = grant.program
    status = escape(GRANT_STATUSES.get(grant.status, grant.status))
    deadline = grant.submission_deadline
    due = short_date(deadline) if deadline else muted("None set")
    if note:
        level = "text-bg-danger" if note.level == "passed" else "text-bg-warning"
        due += f'<br><span class="badge {level}">{escape(note.text)}</span>'
    decision = grant.decision_expected
    start = "<tr>"
    if note:
        start = f'<tr class="{"table-danger" if note.level == "passed" else "table-warning"}">'
    return (
        f"{start}"
        f'<td data-label="Program"><a href="{program.get_absolute_url()}" class="fw-semibold">'
        f"{escape(program.title)}</a></td>"
        f'<td data-label="Funder">{escape(grant.funder)}</td>'
        f'<td data-label="Status"><span class="badge {grant_status_badge(grant.status)}">'
        f"{status}</span></td>"
        f'<td data-label="Requested" class="text-end text-nowrap">'
        f"{money(grant.amount_requested) or '—'}</td>"
        f'<td data-label="Awarded" class="text-end text-nowrap">'
        f"{money(grant.amount_awarded) or '—'}</td>"
        f'<td data-label="Submission deadline" class="text-nowrap">{due}</td>'
        f'<td data-label="Decision expected" class="text-nowrap">'
        f"{short_date(decision) if decision else muted('—')}</td>"
        "</tr>\n"
    )


@register.simple_tag
def grant_rows(rows: Iterable[tuple[Grant, DeadlineNote | None]]) -> SafeString:
    """The <tr>s of the grant list (programs/grant_list.html): (grant, deadline note) pairs."""
    html = "".join(_grant_row(grant, note) for grant, note in rows)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


def _role_row(role: ProgramPartner) -> str:
    """One program an organization is in, with its role (selectors.programs: the roles come
    with their programs)."""
    program = role.program
    facts = f"{escape(KINDS.get(program.kind, program.kind))} · "
    facts += escape(STATUSES.get(program.status, program.status))
    if program.start_date:
        facts += f" · {month_year(program.start_date)}"
        if program.end_date:
            facts += f" to {month_year(program.end_date)}"
    contribution = ""
    if role.contribution:
        contribution = f'<div class="small prewrap">{shortened(role.contribution, 200)}</div>'
    return (
        '<li class="list-group-item">'
        f'<a href="{program.get_absolute_url()}" class="fw-semibold">{escape(program.title)}</a>'
        f' <span class="badge text-bg-light border">{escape(ROLES.get(role.role, role.role))}'
        f'</span><div class="small text-body-secondary">{facts}</div>{contribution}</li>\n'
    )


@register.simple_tag
def program_role_rows(roles: Iterable[ProgramPartner]) -> SafeString:
    """The <li>s of an organization's programs (programs/panels/organization_programs.html)."""
    html = "".join(_role_row(role) for role in roles)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
