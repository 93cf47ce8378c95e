"""Partner pages. Views stay thin: permission, form, service, redirect or partial."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.aggregates import split_names
from core.conflicts import save_unless_changed
from core.forms import apply_service_errors
from core.history_entries import history_response
from core.http import COUNT_LIMIT, AuthenticatedHttpRequest, htmx_targets, paginate, query_without
from core.panels import panels_for
from core.people import possessive
from core.roles import is_manager, manager_required
from partners import history, merge, selectors, services
from partners.forms import (
    AffiliationEndForm,
    AffiliationForm,
    ContactCreateForm,
    ContactFilterForm,
    ContactForm,
    ExistingContactAffiliationForm,
    MergeForm,
    MergeTargetForm,
    OrganizationCreateForm,
    OrganizationFilterForm,
    OrganizationForm,
    ResubscribeForm,
    StageChangeForm,
)
from partners.models import Affiliation, Contact, Organization, search_words
from partners.tags import tags_from_joined


@require_GET
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.organization_page_list(filters), count_limit=COUNT_LIMIT)
    context = {
        "form": form,
        "page": page,
        "sort": filters.get("sort", "name"),
        "query": query_without(request, "page"),
        "query_without_sort": query_without(request, "page", "sort"),
        "sort_columns": [
            ("name", "Name"),
            ("kind", "Kind"),
            ("stage", "Stage"),
            ("owner", "Owner"),
            ("last_touchpoint", "Last touchpoint"),
            ("next_followup", "Next follow-up"),
        ],
        "filtered": any(name != "sort" for name in filters),
    }
    context["panels"] = panels_for("organization_list", request)
    if htmx_targets(request, "results"):
        return render(request, "partners/partials/organization_results.html", context)
    return render(request, "partners/organization_list.html", context)


def _merged_away(
    model: type[Organization] | type[Contact], pk: int, error: Exception
) -> HttpResponse:
    """An old link to a duplicate merged into another leads to the record kept; else 404."""
    survivor = merge.survivor_of(model, pk)
    if survivor is None:
        raise Http404(f"No such {model._meta.verbose_name}.") from error
    return redirect(survivor)


@require_GET
def organization_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        organization = selectors.organization_detail(pk)
    except Organization.DoesNotExist as error:
        return _merged_away(Organization, pk, error)
    # Loaded in name order; the primary contact first.
    affiliations = sorted(organization.all_affiliations, key=lambda a: not a.is_primary)
    current = [a for a in affiliations if a.is_current]
    past = [a for a in affiliations if not a.is_current]
    return render(
        request,
        "partners/organization_detail.html",
        {
            "organization": organization,
            "current_affiliations": current,
            "past_affiliations": past,
            "focus_areas": split_names(organization.focus_area_names),
            "tags": tags_from_joined(organization.tag_labels),
            "stage_form": StageChangeForm(organization=organization),
            "panels": panels_for("organization", request, organization),
        },
    )


def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    duplicates: list[Organization] = []
    if request.method == "POST":
        form = OrganizationCreateForm(request.POST)
        if form.is_valid():
            duplicates = selectors.possible_duplicates(form.cleaned_data["name"])
            if duplicates and not form.cleaned_data["confirm_duplicate"]:
                form.add_error(
                    "name",
                    "An organization with this name is already in Liaison. Open it above, "
                    "or tick “create it anyway” if this is a different organization.",
                )
            else:
                try:
                    organization = services.organization_create(
                        by=request.user,
                        stage=form.cleaned_data["stage"],
                        focus_areas=form.cleaned_data["focus_areas"],
                        **form.service_fields(),
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, f"{organization} was added.")
                    return redirect(organization)
    else:
        form = OrganizationCreateForm(initial={"owner": request.user.pk})
    return render(
        request,
        "partners/organization_form.html",
        {"form": form, "duplicates": duplicates, "organization": None},
    )


@require_GET
def organization_name_check(request: HttpRequest) -> HttpResponse:
    """htmx: warn about existing organizations with the same name while the name is typed."""
    name = request.GET.get("name", "")[:200]
    exclude = request.GET.get("exclude")
    exclude_pk = int(exclude) if exclude and exclude.isdigit() else None
    duplicates = selectors.possible_duplicates(name, exclude_pk=exclude_pk) if name else []
    return render(request, "partners/partials/duplicate_warning.html", {"duplicates": duplicates})


def organization_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    duplicates: list[Organization] = []
    if request.method == "POST":
        form = OrganizationForm(
            request.POST, instance=organization, can_reassign=is_manager(request.user)
        )
        if form.is_valid():
            try:
                saved = save_unless_changed(
                    form,
                    lambda current: services.organization_update(
                        organization=current,
                        by=request.user,
                        focus_areas=form.cleaned_data["focus_areas"],
                        **form.service_fields(),
                    ),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if saved is not None:  # else someone saved it meanwhile: form.conflict says
                    messages.success(request, f"{saved} was saved.")
                    return redirect(saved)
        organization.refresh_from_db()
    else:
        form = OrganizationForm(instance=organization, can_reassign=is_manager(request.user))
        duplicates = selectors.possible_duplicates(organization.name, exclude_pk=pk)
    return render(
        request,
        "partners/organization_form.html",
        {"form": form, "duplicates": duplicates, "organization": organization},
    )


def organization_stage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    if request.method == "POST":
        form = StageChangeForm(request.POST, organization=organization)
        if form.is_valid():
            services.stage_change(
                organization=organization,
                to_stage=form.cleaned_data["to_stage"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(
                request, f"{organization} is now “{organization.get_stage_display()}”."
            )
            return redirect(organization)
    else:
        form = StageChangeForm(organization=organization)
    return render(
        request, "partners/organization_stage.html", {"form": form, "organization": organization}
    )


@require_http_methods(["GET", "POST"])
@manager_required
def organization_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first, saying what archiving does; archives on the confirming POST."""
    organization = get_object_or_404(Organization, pk=pk)
    if organization.is_archived:
        messages.info(request, f"{organization} is already archived.")
        return redirect(organization)
    if request.method == "POST":
        services.organization_archive(organization=organization)
        messages.success(
            request,
            f"{organization} was archived. It no longer shows in lists; nothing was deleted.",
        )
        return redirect(organization)
    return render(request, "partners/organization_archive.html", {"organization": organization})


@require_POST
@manager_required
def organization_restore(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    services.organization_restore(organization=organization)
    messages.success(request, f"{organization} is back in the lists.")
    return redirect(organization)


@require_GET
def contact_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ContactFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.contact_list(filters), count_limit=COUNT_LIMIT)
    context = {
        "form": form,
        "page": page,
        "query": query_without(request, "page"),
        "headers": selectors.CONTACT_SORTING.headers(request, filters.get("sort")),
        "panels": panels_for("contact_list", request),
    }
    if htmx_targets(request, "results"):
        return render(request, "partners/partials/contact_results.html", context)
    return render(request, "partners/contact_list.html", context)


@require_GET
def contact_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        contact = selectors.contact_detail(pk)
    except Contact.DoesNotExist as error:
        return _merged_away(Contact, pk, error)
    return render(
        request,
        "partners/contact_detail.html",
        {
            "contact": contact,
            "tags": tags_from_joined(contact.tag_labels),
            "resubscribe_form": ResubscribeForm() if contact.opted_out_of_updates else None,
            "panels": panels_for("contact", request, contact),
        },
    )


def contact_added(
    request: AuthenticatedHttpRequest, form: ContactCreateForm, organization: Organization | None
) -> Contact | None:
    """The contact a valid form describes, added to `organization` (None: to none) and said
    so; None, with the service's objections on the form, when it could not be."""
    try:
        contact = services.contact_create(
            organization=organization,
            title=form.cleaned_data["title"],
            is_primary=form.cleaned_data["is_primary"],
            start_date=form.cleaned_data["start_date"],
            by=request.user,
            **form.service_fields(),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    if organization is None:
        messages.success(request, f"{contact} was added, at no organization for now.")
    else:
        messages.success(request, f"{contact} was added to {organization}.")
    return contact


def contact_create(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    if request.method == "POST":
        form = ContactCreateForm(request.POST)
        if form.is_valid() and contact_added(request, form, organization):
            return redirect(organization)
    else:
        form = ContactCreateForm()
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "organization": organization, "contact": None},
    )


def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    if request.method == "POST":
        form = ContactForm(request.POST, instance=contact)
        if form.is_valid():
            try:
                saved = save_unless_changed(
                    form,
                    lambda current: services.contact_update(
                        contact=current, by=request.user, **form.service_fields()
                    ),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if saved is not None:  # else someone saved it meanwhile: form.conflict says
                    messages.success(request, f"{saved} was saved.")
                    return redirect(saved)
        contact.refresh_from_db()
    else:
        form = ContactForm(instance=contact)
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "organization": None, "contact": contact},
    )


def contact_resubscribe(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start progress updates again for a contact who opted out, with the reason why."""
    contact = get_object_or_404(Contact, pk=pk)
    if not contact.opted_out_of_updates:
        messages.info(request, f"{contact} already receives progress updates.")
        return redirect(contact)
    form = ResubscribeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.contact_resubscribe(
                contact=contact, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{contact} will receive progress updates again.")
            return redirect(contact)
    return render(request, "partners/contact_resubscribe.html", {"form": form, "contact": contact})


def affiliation_add_existing(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Find someone already in Liaison and add them to this organization."""
    organization = get_object_or_404(Organization, pk=org_pk)
    search = request.GET.get("q", "").strip()[:200]
    candidates = selectors.contacts_to_add(organization, search)
    if request.method == "POST":
        form = ExistingContactAffiliationForm(
            request.POST, organization=organization, candidates=candidates
        )
        if form.is_valid():
            try:
                affiliation = services.affiliation_create(
                    organization=organization,
                    contact=form.cleaned_data["contact"],
                    title=form.cleaned_data["title"],
                    is_primary=form.cleaned_data["is_primary"],
                    start_date=form.cleaned_data["start_date"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{affiliation.contact} was added to {organization}.")
                return redirect(organization)
    else:
        form = ExistingContactAffiliationForm(organization=organization, candidates=candidates)
    context = {
        "form": form,
        "organization": organization,
        "search": search,
        "candidates": candidates,
    }
    if htmx_targets(request, "candidates"):
        return render(request, "partners/partials/contact_candidates.html", context)
    return render(request, "partners/affiliation_add_existing.html", context)


def affiliation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("contact", "organization"), pk=pk
    )
    form = AffiliationForm(request.POST if request.method == "POST" else None, record=affiliation)
    if form.is_bound and form.is_valid():
        try:
            saved = save_unless_changed(
                form,
                lambda current: services.affiliation_update(
                    affiliation=current, **form.cleaned_data
                ),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:  # else someone saved it meanwhile: form.conflict says
                messages.success(request, f"{possessive(str(affiliation.contact))} role was saved.")
                return redirect(affiliation.organization)
    return render(
        request, "partners/affiliation_form.html", {"form": form, "affiliation": affiliation}
    )


def affiliation_end(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("contact", "organization"), pk=pk
    )
    if not affiliation.is_current:
        messages.info(
            request, f"{affiliation.contact} has already left {affiliation.organization}."
        )
        return redirect(affiliation.organization)
    if request.method == "POST":
        form = AffiliationEndForm(request.POST, affiliation=affiliation)
        if form.is_valid():
            services.affiliation_end(
                affiliation=affiliation, end_date=form.cleaned_data["end_date"]
            )
            messages.success(
                request,
                f"{affiliation.contact} is now listed as a past contact of "
                f"{affiliation.organization}.",
            )
            return redirect(affiliation.organization)
    else:
        form = AffiliationEndForm(affiliation=affiliation)
    return render(
        request, "partners/affiliation_end.html", {"form": form, "affiliation": affiliation}
    )


def _merge_pick(
    request: HttpRequest,
    record: Organization | Contact,
    target: MergeTargetForm,
    *,
    candidates: Callable[[str], list],
    suggestions: Callable[[], list],
) -> HttpResponse:
    """Step one: find the duplicate, by a search or among the suggestions."""
    search = request.GET.get("q", "").strip()[:200]
    context = {
        "record": record,
        "kind": record._meta.model_name,
        "search": search,
        "candidates": candidates(search) if search_words(search) else [],
        "suggestions": suggestions(),
        "errors": target.errors.get("other", []),
    }
    return render(request, "partners/merge_pick.html", context)


def _merge_compare(
    request: HttpRequest,
    record: Organization | Contact,
    comparison: merge.Comparison,
    merge_into: Callable[..., Any],
) -> HttpResponse:
    """Step two: the two side by side, a choice where they differ, and the merge on POST."""
    form = MergeForm(
        request.POST if request.method == "POST" else None,
        survivor_pk=record.pk,
        rows=comparison.fields,
        initial={"other": comparison.other.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            merge_into(
                survivor=comparison.survivor,
                other=comparison.other,
                fields=form.choices(),
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{comparison.other} was merged into {comparison.survivor}: "
                f"{comparison.rows_to_move} linked records moved.",
            )
            return redirect(comparison.survivor)
    context: dict[str, Any] = {"record": record, "kind": record._meta.model_name}
    context["comparison"] = comparison
    context["form"] = form
    context["rows"] = [(row, form[row.name] if row.differs else None) for row in comparison.fields]
    return render(request, "partners/merge_compare.html", context)


def _merge_page(
    request: HttpRequest,
    record: Organization | Contact,
    *,
    compare: Callable[..., merge.Comparison],
    merge_into: Callable[..., Any],
    candidates: Callable[[str], list],
    suggestions: Callable[[], list],
) -> HttpResponse:
    """Pick the duplicate (a search, no JavaScript needed), compare the two, confirm the merge."""
    data = request.POST if request.method == "POST" else request.GET
    target = MergeTargetForm(data if "other" in data else None, survivor_pk=record.pk)
    comparison = None
    if target.is_valid():
        try:
            comparison = compare(survivor_pk=record.pk, other_pk=target.cleaned_data["other"])
        except record.DoesNotExist:
            kind = record._meta.model_name
            target.add_error("other", f"That {kind} is no longer in Liaison: choose again.")
    if comparison is None:
        return _merge_pick(request, record, target, candidates=candidates, suggestions=suggestions)
    return _merge_compare(request, record, comparison, merge_into)


@manager_required
def organization_merge(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    return _merge_page(
        request,
        organization,
        compare=merge.organization_comparison,
        merge_into=merge.organization_merge,
        candidates=lambda search: list(
            Organization.objects.search(search)
            .exclude(pk=pk)
            .select_related("owner")
            .order_by("name", "pk")[:20]
        ),
        suggestions=lambda: selectors.possible_duplicates(organization.name, exclude_pk=pk),
    )


@manager_required
def contact_merge(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    return _merge_page(
        request,
        contact,
        compare=merge.contact_comparison,
        merge_into=merge.contact_merge,
        candidates=lambda search: list(selectors.contact_list({"q": search}).exclude(pk=pk)[:20]),
        suggestions=lambda: list(
            selectors.contact_list({}).filter(name__iexact=contact.name).exclude(pk=pk)[:10]
        ),
    )


@require_GET
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every recorded change of an organization and of its contacts' roles there."""
    organization = get_object_or_404(Organization, pk=pk)
    return history_response(
        request,
        organization,
        history.organization_history(organization),
        list_url=reverse("partners:organization_list"),
        list_label="Organizations",
    )


@require_GET
def contact_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every recorded change of a contact and of their roles at organizations."""
    contact = get_object_or_404(Contact, pk=pk)
    return history_response(
        request,
        contact,
        history.contact_history(contact),
        list_url=reverse("partners:contact_list"),
        list_label="Contacts",
    )
