"""Joint programs' panel on an organization's page, and the History panel of a program's page."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from core.history_entries import history_panel
from core.panels import panel, panel_object
from core.prepared import Prepared
from partners.models import Organization
from programs.models import Program, ProgramPartner
from programs.selectors.programs import program_history


@panel_object(page="program", name="program")
def _program(pk: int) -> Program:
    """A program for a lone panel of its page: its History needs nothing more."""
    return Program.objects.get(pk=pk)


# The ten most recent; the program list has them all (compiled once per process: core.prepared).
_ROLES = Prepared(
    lambda organization_id: (
        ProgramPartner.objects.filter(organization_id=organization_id)
        .select_related("program")
        # What a row shows (programs.templatetags.program_lists: program_role_rows).
        .only(
            "role",
            "contribution",
            "program__title",
            "program__kind",
            "program__status",
            "program__start_date",
            "program__end_date",
        )
        .order_by("-program__start_date", "program__title")[:10]
    )
)


@panel(
    page="organization",
    slot="side",
    order=30,
    template="programs/panels/organization_programs.html",
)
def programs_together(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {"program_roles": _ROLES.objects(organization_id=organization.pk)}


@panel(
    page="program",
    slot="side",
    order=90,
    template="core/partials/history_panel.html",
    deferred=True,
    title="History",
    refresh_on=("attendance",),  # recorded on the page (programs/views/attendance.py)
)
def program_changes(request: HttpRequest, program: Program) -> dict[str, Any]:
    return history_panel(
        program_history(program), url=reverse("programs:program_history", args=[program.pk])
    )
