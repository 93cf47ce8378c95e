"""The list pages as CSV or Excel files: the rows the list shows with the same filters, every
page of them. Managers and admins only.

One row definition per list feeds two writers. CSV is streamed a line at a time. An .xlsx file
is a zip that cannot be sent before it is finished, so it is written to a temporary file first
(openpyxl's write-only mode keeps one row in memory, not the sheet) and that file is streamed.
Either way the rows come from the list's own query (its selector: same filters, same order) in
chunks of CHUNK_SIZE, read as plain values, and each chunk's related rows (focus areas, roles,
contacts, partners) in one query per table: the number of queries grows with the chunks, never
with the rows.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.forms import FilterForm
from core.people import display_name_of_row
from core.roles import manager_required
from core.spreadsheets import Row, csv_response, xlsx_response
from outreach.forms.touchpoint_filters import TouchpointFilterForm
from outreach.models import Touchpoint
from outreach.selectors.touchpoints import touchpoint_list
from partners.forms import ContactFilterForm, OrganizationFilterForm
from partners.models import Affiliation, Contact, Organization, Stage
from partners.selectors import contact_list, organization_list
from partners.tags import Tag
from programs.forms.programs import ProgramFilterForm
from programs.models import Program, ProgramPartner, ProgramSession
from programs.selectors.programs import ROLE_ORDER, program_list

# Rows read per round trip, and whose related rows are read together (one query per table).
CHUNK_SIZE = 2000
# --- What each list exports ----------------------------------------------------------------

# One row of the list's query, read with values(): making a model instance for each row (and
# for its organization, staff member and contacts) took two thirds of a 100,000-row export.
Record = dict[str, Any]
# The rows of one related table for a chunk of records, by the record's pk.
Related = dict[int, list[tuple]]


@dataclass(frozen=True)
class Export:
    name: str  # the file name's start and the sheet's title
    header: tuple[str, ...]
    filter_form: type[FilterForm]
    # The list's rows from the filter form's filters: its selector, so the same rows in the
    # same order, plus what the file adds.
    queryset: Callable[[dict], QuerySet]
    fields: tuple[str, ...]  # what rows() reads from each record
    # A chunk's related rows, one query per table: {name: {record pk: [row, …]}}.
    related: Callable[[list[int]], dict[str, Related]]
    # One record's rows in the file: one each, except a contact has one per role.
    rows: Callable[[Record, dict[str, Related]], Iterable[Row]]


def _grouped(pairs: Iterable[tuple]) -> Related:
    """(pk, value, …) rows by pk, in the order the query gave them."""
    groups: Related = defaultdict(list)
    for pk, *values in pairs:
        groups[pk].append(tuple(values))
    return groups


def _joined(rows: list[tuple]) -> str:
    return "; ".join(row[0] for row in rows)


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _staff_fields(relation: str) -> tuple[str, ...]:
    return tuple(f"{relation}__{name}" for name in ("first_name", "last_name", "username"))


# Choice labels by value (get_FOO_display() needs a model instance, and rebuilds the choices).
ORGANIZATION_KINDS = dict(Organization.Kind.choices)
GOVERNMENT_LEVELS = dict(Organization.GovernmentLevel.choices)
STAGES = dict(Stage.choices)
CHANNELS = dict(Touchpoint.Channel.choices)
PREFERRED_CHANNELS = dict(Contact.Channel.choices)
PROGRAM_KINDS = dict(Program.Kind.choices)
PROGRAM_STATUSES = dict(Program.Status.choices)
PARTNER_ROLES = dict(ProgramPartner.Role.choices)


def _label(labels: dict[str, str], value: str) -> str:
    return labels.get(value, value)


def _organization_related(ids: list[int]) -> dict[str, Related]:
    areas = Organization.focus_areas.through.objects.filter(organization_id__in=ids)
    tags = Tag.organizations.through.objects.filter(organization_id__in=ids)
    return {
        "focus_areas": _grouped(
            areas.order_by("focusarea__name").values_list("organization_id", "focusarea__name")
        ),
        "tags": _grouped(tags.order_by("tag__name").values_list("organization_id", "tag__name")),
    }


def _organization_rows(o: Record, related: dict[str, Related]) -> Iterator[Row]:
    yield [
        o["name"],
        _label(ORGANIZATION_KINDS, o["kind"]),
        _label(GOVERNMENT_LEVELS, o["government_level"]),
        _label(STAGES, o["stage"]),
        _local_day(o["stage_changed_at"]),
        display_name_of_row(o, "owner"),
        _joined(related["focus_areas"].get(o["pk"], [])),
        _joined(related["tags"].get(o["pk"], [])),
        o["website"],
        o["email"],
        o["phone"],
        o["address"],
        o["last_touchpoint_on"],
        o["next_followup_on"],
        o["is_archived"],
        o["mission"],
        o["initiatives"],
        o["services"],
        o["populations_served"],
        o["common_ground"],
    ]


ORGANIZATIONS = Export(
    name="organizations",
    header=(
        "Name",
        "Kind",
        "Government level",
        "Stage",
        "Stage since",
        "Owner",
        "Focus areas",
        "Tags",
        "Website",
        "Email",
        "Phone",
        "Address",
        "Last touchpoint",
        "Next follow-up",
        "Archived",
        "Mission and priorities",
        "Current initiatives",
        "Services",
        "Populations served",
        "Common ground",
    ),
    filter_form=OrganizationFilterForm,
    # The list's query: the stored last touchpoint, the annotated next follow-up.
    queryset=organization_list,
    fields=(
        "name",
        "kind",
        "government_level",
        "stage",
        "stage_changed_at",
        *_staff_fields("owner"),
        "website",
        "email",
        "phone",
        "address",
        "last_touchpoint_on",
        "next_followup_on",
        "is_archived",
        "mission",
        "initiatives",
        "services",
        "populations_served",
        "common_ground",
    ),
    related=_organization_related,
    rows=_organization_rows,
)


def _contact_related(ids: list[int]) -> dict[str, Related]:
    """Every role each contact has had: current ones first, then the most recently ended."""
    roles = Affiliation.objects.filter(contact_id__in=ids).order_by(
        F("end_date").desc(nulls_first=True), "organization__name", "pk"
    )
    tags = Tag.contacts.through.objects.filter(contact_id__in=ids)
    return {
        "roles": _grouped(
            roles.values_list(
                "contact_id", "organization__name", "title", "is_primary", "start_date", "end_date"
            )
        ),
        "tags": _grouped(tags.order_by("tag__name").values_list("contact_id", "tag__name")),
    }


def _contact_rows(c: Record, related: dict[str, Related]) -> Iterator[Row]:
    person = [
        c["name"],
        c["email"],
        c["phone"],
        _label(PREFERRED_CHANNELS, c["preferred_channel"]),
        c["do_not_contact"],
        c["opted_out_of_updates"],
    ]
    # Someone with no role at any organization still has a row.
    for role in related["roles"].get(c["pk"]) or [(None,) * 5]:
        yield [*person, *role, c["notes"], _joined(related["tags"].get(c["pk"], []))]


CONTACTS = Export(
    name="contacts",
    header=(
        "Name",
        "Email",
        "Phone",
        "Preferred channel",
        "Do not contact",
        "Opted out of updates",
        "Organization",
        "Title or role",
        "Primary contact",
        "From",
        "To",
        "Notes",
        "Tags",
    ),
    filter_form=ContactFilterForm,
    queryset=contact_list,
    fields=(
        "name",
        "email",
        "phone",
        "preferred_channel",
        "do_not_contact",
        "opted_out_of_updates",
        "notes",
    ),
    related=_contact_related,
    rows=_contact_rows,
)


def _touchpoint_related(ids: list[int]) -> dict[str, Related]:
    links = Touchpoint.contacts.through.objects.filter(touchpoint_id__in=ids)
    partners = Touchpoint.other_organizations.through.objects.filter(touchpoint_id__in=ids)
    return {
        "contacts": _grouped(
            links.order_by("contact__name", "contact_id").values_list(
                "touchpoint_id", "contact__name"
            )
        ),
        "partners": _grouped(
            partners.order_by("organization__name", "organization_id").values_list(
                "touchpoint_id", "organization__name"
            )
        ),
    }


def _touchpoint_rows(t: Record, related: dict[str, Related]) -> Iterator[Row]:
    yield [
        t["occurred_on"],
        t["occurred_time"],
        t["organization__name"],
        _label(ORGANIZATION_KINDS, t["organization__kind"]),
        _label(CHANNELS, t["channel"]),
        t["subject"],
        display_name_of_row(t, "staff"),
        _joined(related["contacts"].get(t["pk"], [])),
        t["notes"],
        t["outcome"],
        t["next_step"],
        _joined(related["partners"].get(t["pk"], [])),
    ]


TOUCHPOINTS = Export(
    name="touchpoints",
    header=(
        "Date",
        "Time",
        "Organization",
        "Organization kind",
        "Channel",
        "Subject",
        "Staff",
        "Contacts",
        "Notes",
        "Outcome",
        "Next step",
        "Other partners",
    ),
    filter_form=TouchpointFilterForm,
    queryset=touchpoint_list,
    fields=(
        "occurred_on",
        "occurred_time",
        "organization__name",
        "organization__kind",
        "channel",
        "subject",
        *_staff_fields("staff"),
        "notes",
        "outcome",
        "next_step",
    ),
    related=_touchpoint_related,
    rows=_touchpoint_rows,
)


def _program_queryset(filters: dict) -> QuerySet[Program]:
    """The list's programs (with their total attendance), and how many sessions each has."""
    sessions = (
        ProgramSession.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return program_list(filters).annotate(session_count=Coalesce(Subquery(sessions), 0))


def _program_related(ids: list[int]) -> dict[str, Related]:
    tags = Program.focus_areas.through.objects.filter(program_id__in=ids)
    # Partners in the order of their roles' importance, as on the program's page.
    partners = (
        ProgramPartner.objects.filter(program_id__in=ids)
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "organization__name", "pk")
    )
    return {
        "focus_areas": _grouped(
            tags.order_by("focusarea__name").values_list("program_id", "focusarea__name")
        ),
        "partners": _grouped(partners.values_list("program_id", "organization__name", "role")),
        "tags": _grouped(
            Program.tags.through.objects.filter(program_id__in=ids)
            .order_by("tag__name")
            .values_list("program_id", "tag__name")
        ),
    }


def _program_rows(p: Record, related: dict[str, Related]) -> Iterator[Row]:
    partners = related["partners"].get(p["pk"], [])
    yield [
        p["title"],
        _label(PROGRAM_KINDS, p["kind"]),
        _label(PROGRAM_STATUSES, p["status"]),
        p["start_date"],
        p["end_date"],
        display_name_of_row(p, "lead"),
        _joined(related["focus_areas"].get(p["pk"], [])),
        _joined(related["tags"].get(p["pk"], [])),
        "; ".join(f"{name} ({_label(PARTNER_ROLES, role)})" for name, role in partners),
        p["session_count"],
        p["total_attendance"],
        p["budget"],
        p["audience"],
        p["description"],
        p["goals"],
        p["library_resources"],
    ]


PROGRAMS = Export(
    name="programs",
    header=(
        "Title",
        "Kind",
        "Status",
        "Start date",
        "End date",
        "Lead",
        "Focus areas",
        "Tags",
        "Partners",
        "Sessions",
        "Attendance",
        "Budget",
        "Audience",
        "Description",
        "Goals",
        "Library resources",
    ),
    filter_form=ProgramFilterForm,
    queryset=_program_queryset,
    fields=(
        "title",
        "kind",
        "status",
        "start_date",
        "end_date",
        *_staff_fields("lead"),
        "session_count",
        "total_attendance",
        "budget",
        "audience",
        "description",
        "goals",
        "library_resources",
    ),
    related=_program_related,
    rows=_program_rows,
)


# --- Views ---------------------------------------------------------------------------------


def _chunks(records: Iterator[Record]) -> Iterator[list[Record]]:
    while chunk := list(islice(records, CHUNK_SIZE)):
        yield chunk


def _export_rows(export: Export, queryset: QuerySet) -> Iterator[Row]:
    """The file's rows: the list's query read a chunk at a time (a server-side cursor on
    PostgreSQL), then one query per related table for the whole chunk."""
    records = (
        queryset.prefetch_related(None)  # the list's prefetches: export.related does that part
        .values("pk", *export.fields)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for chunk in _chunks(records):
        related = export.related([record["pk"] for record in chunk])
        for record in chunk:
            yield from export.rows(record, related)


def export_response(request: HttpRequest, export: Export) -> HttpResponseBase:
    """The list's rows under the request's filters: ?format=xlsx for Excel, otherwise CSV.

    Invalid filters are dropped, as on the list page, so the file holds what the list shows.
    """
    filters = export.filter_form(request.GET).filters()
    xlsx = request.GET.get("format") == "xlsx"
    return _file_response(export, export.queryset(filters), export.name, xlsx=xlsx)


def _file_response(
    export: Export, queryset: QuerySet, name: str, *, xlsx: bool
) -> HttpResponseBase:
    rows = _export_rows(export, queryset)
    stem = f"{name}-{timezone.localdate():%Y-%m-%d}"
    if xlsx:
        title = export.name.capitalize()
        return xlsx_response(export.header, rows, title=title, filename=f"{stem}.xlsx")
    return csv_response(export.header, rows, filename=f"{stem}.csv")


def selection_response(export: Export, ids: list[int], *, xlsx: bool) -> HttpResponseBase:
    """The file of these records only, in the list's order (a bulk action's "export the
    selection"): the same rows and writers as the list's export. Archived organizations
    ticked on a list that shows them are in it too."""
    queryset = export.queryset({"archived": "all"}).filter(pk__in=ids)
    return _file_response(export, queryset, f"{export.name}-selected", xlsx=xlsx)


@require_GET
@manager_required
def organization_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, ORGANIZATIONS)


@require_GET
@manager_required
def contact_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, CONTACTS)


@require_GET
@manager_required
def touchpoint_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, TOUCHPOINTS)


@require_GET
@manager_required
def program_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, PROGRAMS)
