"""Program pages: the list, the program form with partners and sessions inline, the detail
page, and adding outcomes and stories.

Any staff user may create and edit programs; a later issue adds a role table.
"""

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, BaseModelFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.aggregates import split_names
from core.conflicts import save_unless_changed
from core.forms import apply_service_errors, formset_changes
from core.history_entries import history_response
from core.http import (
    COUNT_LIMIT,
    AuthenticatedHttpRequest,
    htmx_targets,
    paginate,
    query_without,
    record_number,
)
from core.panels import panels_for
from outreach.models import Meeting
from partners.models import Organization
from partners.organization_picker import organization_label
from partners.tag_views import record_tags_page
from partners.tags import tags_from_joined
from programs.forms.programs import (
    MAX_PARTNERS,
    MAX_SESSIONS,
    OutcomeForm,
    PartnerFormSet,
    ProgramFilterForm,
    ProgramForm,
    ProgramPartnerForm,
    ProgramSessionForm,
    SessionFormSet,
    StoryForm,
    focus_last_row,
    show_without_errors,
    with_new_row,
)
from programs.models import Program, ProgramSession
from programs.selectors import programs as selectors
from programs.selectors.related import related_outreach
from programs.services import programs as services

# The partner box asking for matches: ?find=partners-3&partners-3-organization=…
PARTNER_ROW_RE = re.compile(r"partners-\d{1,3}")


@require_GET
def program_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProgramFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.program_page_list(filters), count_limit=COUNT_LIMIT)
    context = {
        "form": form,
        "page": page,
        "query": query_without(request, "page"),
        "headers": selectors.PROGRAM_SORTING.headers(request, filters.get("sort")),
        "filtered": any(name != "sort" for name in filters),
    }
    context["panels"] = panels_for("program_list", request)
    if htmx_targets(request, "results"):
        return render(request, "programs/partials/program_results.html", context)
    return render(request, "programs/program_list.html", context)


def _organization_in_query(request: HttpRequest) -> Organization | None:
    """The organization in ?organization=<pk>, the page the program is started from."""
    number = record_number(request.GET.get("organization"))
    return Organization.objects.filter(pk=number).first() if number else None


def _kind_in_query(request: HttpRequest) -> dict[str, str]:
    """The kind in ?kind= (the grants list's "Add": a joint grant application), if it is one."""
    kind = request.GET.get("kind", "")
    return {"kind": kind} if kind in Program.Kind.values else {}


def _partner_matches(request: HttpRequest) -> HttpResponse | None:
    """The partner box's request for organizations matching what was typed (htmx only)."""
    if request.method != "GET" or not request.headers.get("HX-Request"):
        return None
    row = request.GET.get("find", "")
    if not PARTNER_ROW_RE.fullmatch(row):
        return None
    text = " ".join(request.GET.get(f"{row}-organization", "").split())[:200]
    matches = selectors.organization_matches(text)
    return render(
        request,
        "programs/partials/program_partner_matches.html",
        {
            "matches": [(o, organization_label(o)) for o in matches],
            "text": text,
            "input_id": f"id_{row}-organization",
        },
    )


def _partner_entry(form: ProgramPartnerForm, removed: bool) -> services.PartnerEntry | None:
    if removed or not form.has_changed():
        return None
    data = form.cleaned_data
    return services.PartnerEntry(data["organization"], data["role"], data["contribution"])


def _partner_taken_out(form: ProgramPartnerForm, removed: bool) -> Organization | None:
    """The saved organization of a row removed, or of a row now naming another organization."""
    original = form.initial.get("organization") if form.instance.pk else None
    if original is None or removed:
        return original
    if form.has_changed() and original.pk != form.cleaned_data["organization"].pk:
        return original
    return None


def _session_saved(form: ProgramSessionForm, removed: bool) -> ProgramSession | None:
    return None if removed or not form.has_changed() else form.session()


def _session_deleted(form: ProgramSessionForm, removed: bool) -> ProgramSession | None:
    return form.instance if removed else None


def _changes(partners: BaseModelFormSet, sessions: BaseModelFormSet) -> dict[str, list]:
    """The partner and session rows as the service takes them."""
    return {
        "partners": formset_changes(partners, _partner_entry),
        "removed_partners": formset_changes(partners, _partner_taken_out),
        "sessions": formset_changes(sessions, _session_saved),
        "removed_sessions": formset_changes(sessions, _session_deleted),
    }


def _partner_ids(partners: BaseFormSet, prefill: Organization | None) -> list[int]:
    """Organizations whose meetings a session may link to: saved, prefilled and typed ones."""
    ids = {form.instance.organization_id for form in partners.initial_forms}
    if prefill is not None:
        ids.add(prefill.pk)
    if partners.is_bound:
        for form in partners.forms:
            organization = getattr(form, "cleaned_data", {}).get("organization")
            if organization is not None:
                ids.add(organization.pk)
    return sorted(ids)


def _partner_formset(
    request: HttpRequest, instance: Program, prefill: Organization | None, data: Any
) -> BaseModelFormSet:
    return PartnerFormSet(
        data,
        instance=instance,
        prefix="partners",
        queryset=selectors.partners_for_form(instance),
        initial=[{"organization": prefill}] if prefill else None,
        extra=1 if prefill else 0,
        form_kwargs={"helper_url": request.path},
    )


def _session_formset(
    instance: Program, partners: BaseModelFormSet, prefill: Organization | None, data: Any
) -> tuple[BaseModelFormSet, list[Meeting]]:
    """The session rows, each offering the meetings of the partners (validated before)."""
    linked = (
        list(instance.sessions.exclude(meeting=None).values_list("meeting_id", flat=True))
        if instance.pk
        else []
    )
    meetings = selectors.session_meeting_choices(
        organization_ids=_partner_ids(partners, prefill), linked_ids=linked
    )
    sessions = SessionFormSet(
        data,
        instance=instance,
        prefix="sessions",
        queryset=selectors.sessions_for_form(instance),
        form_kwargs={"meetings": meetings},
    )
    return sessions, meetings


def _program_save(
    form: ProgramForm, partners: BaseModelFormSet, sessions: BaseModelFormSet
) -> Program | None:
    """The program saved with its rows, or None with the service's errors on the form (or
    `form.conflict`: someone saved the program since the form was opened)."""
    try:
        return save_unless_changed(
            form,
            lambda current: services.program_save(
                program=form.instance,
                focus_areas=form.cleaned_data["focus_areas"],
                **_changes(partners, sessions),
            ),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


# The form's "Add a partner" / "Add a session" buttons without JavaScript: which
# rows to add one to, and the field of the new row that takes the keyboard.
NEW_ROW_FIELDS = {"partners": "organization", "sessions": "date"}


def _posted(request: HttpRequest) -> tuple[Any, str]:
    """The form's data (None when it is only opened), and the rows a button asks to add one to
    ("" when the form is being saved)."""
    if request.method != "POST":
        return None, ""
    adding = request.POST.get("add_row", "")
    if adding not in NEW_ROW_FIELDS:
        return request.POST, ""
    limit = MAX_PARTNERS if adding == "partners" else MAX_SESSIONS
    return with_new_row(request.POST, adding, limit), adding


def _saved_or_none(
    request: HttpRequest,
    program: Program | None,
    forms: tuple[ProgramForm, BaseModelFormSet, BaseModelFormSet],
    partners_valid: bool,
) -> HttpResponse | None:
    """Save when every part is valid (each validated, so that every error shows at once)."""
    form, partners, sessions = forms
    if all([form.is_valid(), partners_valid, sessions.is_valid()]):
        saved = _program_save(form, partners, sessions)
        if saved is not None:
            verb = "saved" if program else "created"
            messages.success(request, f"“{saved.title}” was {verb}.")
            return redirect(saved)
    if program is not None:
        # The form wrote the typed values onto the program; the page shows the saved ones.
        program.refresh_from_db()
    return None


def _program_form_page(request: AuthenticatedHttpRequest, program: Program | None) -> HttpResponse:
    """Create and edit: the program, its partners and its sessions, saved all together."""
    helper = _partner_matches(request)
    if helper is not None:
        return helper
    instance = program or Program(**_kind_in_query(request))
    prefill = _organization_in_query(request) if program is None else None
    data, adding = _posted(request)
    form = ProgramForm(data, instance=instance, user=request.user)
    partners = _partner_formset(request, instance, prefill, data)
    partners_valid = data is not None and not adding and partners.is_valid()
    sessions, meetings = _session_formset(instance, partners, prefill, data)
    if adding:
        show_without_errors(form, partners, sessions)
        focus_last_row(partners if adding == "partners" else sessions, NEW_ROW_FIELDS[adding])
    elif data is not None:
        saved = _saved_or_none(request, program, (form, partners, sessions), partners_valid)
        if saved is not None:
            return saved
    context = {
        "form": form,
        "partners": partners,
        "sessions": sessions,
        "program": program,
        "prefill": prefill,
        "has_meetings": bool(meetings),
        "time_zone": timezone.get_current_timezone_name(),
    }
    return render(request, "programs/program_form.html", context)


def program_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _program_form_page(request, None)


def program_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    return _program_form_page(request, program)


@require_GET
def program_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        program = selectors.program_detail(pk)
    except Program.DoesNotExist as error:
        raise Http404("No such program.") from error
    related = related_outreach(program)
    results = selectors.program_results(program)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "focus_areas": split_names(program.focus_area_names),
            "tags": tags_from_joined(program.tag_labels),
            "partners": program.program_partners.all(),
            "sessions": program.sessions.all(),
            "outcomes": results.outcomes,
            "stories": results.stories,
            "surveys": results.surveys,
            "reach": selectors.total_reach(program),
            "chart_points": selectors.attendance_points(program),
            "touchpoints": related["touchpoints"],
            "meetings": related["meetings"],
            "time_zone": timezone.get_current_timezone_name(),
            "panels": panels_for("program", request, program),
        },
    )


def _add_to_program(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type,
    add: Any,
    template: str,
    message: str,
) -> HttpResponse:
    """Outcome and story pages: a small form, a service, a message, back to the program."""
    program = get_object_or_404(Program, pk=pk)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                add(program=program, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(program)
    else:
        form = form_class()
    return render(request, template, {"form": form, "program": program})


def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_to_program(
        request,
        pk,
        form_class=OutcomeForm,
        add=services.outcome_add,
        template="programs/outcome_form.html",
        message="The outcome was added.",
    )


def story_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_to_program(
        request,
        pk,
        form_class=StoryForm,
        add=services.story_add,
        template="programs/story_form.html",
        message="The story was added.",
    )


@require_GET
def program_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every recorded change of a program."""
    program = get_object_or_404(Program, pk=pk)
    return history_response(
        request,
        program,
        selectors.program_history(program),
        list_url=reverse("programs:program_list"),
        list_label="Programs",
    )


def program_tags(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the program its tags (partners.tags), as on an organization's page."""
    program = get_object_or_404(Program, pk=pk)
    return record_tags_page(request, program, program.get_absolute_url())
