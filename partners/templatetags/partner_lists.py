"""The organization and contact lists' rows, written in Python (core/rows.py says why)."""

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.aggregates import split_names
from core.http import pk_url
from core.people import display_name
from core.rows import escape, month_day, month_year, muted, names, select_box, short_date
from core.templatetags.liaison import days_ago, quiet_class
from partners import tags as tags_module
from partners.models import TALKING_STAGES, Affiliation, Contact, Health, Organization, Stage
from partners.tags import Tag

register = template.Library()

# Choice labels by value: get_FOO_display() builds a dict of the choices at every call.
KINDS = dict(Organization.Kind.choices)
GOVERNMENT_LEVELS = dict(Organization.GovernmentLevel.choices)
STAGES = dict(Stage.choices)
HEALTH = dict(Health.choices)


def stage_badge_html(stage: str) -> str:
    """A stage as a coloured pill (static/css/liaison.css: .stage-<stage>): the one home of its
    markup, on the board's columns, an organization's page and its stage form."""
    return (
        f'<span class="badge rounded-pill stage-badge stage-{escape(stage)}">'
        f"{escape(STAGES.get(stage, stage))}</span>"
    )


def health_badge_html(level: str) -> str:
    """A partnership's health as a badge (static/css/liaison.css: .health-<level>), "" when it
    is not assessed: the one home of its markup (lists, the board, a partner's page)."""
    if level not in HEALTH:
        return ""
    return f'<span class="badge health-badge health-{level}">{HEALTH[level]}</span>'


@register.simple_tag
def health_badge(level: str) -> SafeString:
    return mark_safe(health_badge_html(level))  # noqa: S308 — our own words


@register.filter
def tag_badges(tags: Iterable[Tag]) -> SafeString:
    """A record's tags as coloured badges (partners.tags)."""
    return tags_module.tag_badges(tags)


@register.simple_tag
def stage_badge(stage: str) -> SafeString:
    return mark_safe(stage_badge_html(stage))  # noqa: S308 — escaped above


def last_touchpoint_cell(day: dt.date | None, stage: str) -> str:
    """ "12 days ago" (the list's column and the board's cards), amber and red as it gets quiet
    only where a quiet partner needs action: one the library is talking to (TALKING_STAGES). A
    prospect not yet contacted, or a partnership dormant or declined, is expected to be quiet."""
    if stage in TALKING_STAGES:
        if day is None:  # contacted, yet nothing logged: quiet, as the dashboard counts it
            return '<span class="quiet-red">Never</span>'
        return f'<span class="{quiet_class(day)}" title="{short_date(day)}">{days_ago(day)}</span>'
    if day is None:
        return muted("Never")
    return f'<span title="{short_date(day)}">{days_ago(day)}</span>'


def _next_followup(day: dt.date | None, today: dt.date) -> str:
    if day is None:
        return muted("None")
    if day < today:
        return f'<span class="overdue">{month_day(day)} (overdue)</span>'
    return f"<span>{month_day(day)}</span>"


def _select_cell(pk: int, name: str, selectable: bool) -> str:
    """The row's checkbox cell when the list takes a selection (bulk actions), else nothing."""
    return f'<td class="row-select">{select_box(pk, name)}</td>' if selectable else ""


def _organization_row(organization: Organization, today: dt.date, selectable: bool) -> str:
    """One row; the organization comes from selectors.organization_list (its columns loaded)."""
    archived = ' <span class="badge text-bg-secondary">Archived</span>'
    kind = KINDS.get(organization.kind, organization.kind)
    if organization.government_level:
        level = organization.government_level
        kind = f"{kind} · {GOVERNMENT_LEVELS.get(level, level)}"
    stage = STAGES.get(organization.stage, organization.stage)
    owner = escape(display_name(organization.owner)) if organization.owner else muted("Nobody")
    areas = names(split_names(organization.focus_area_names))  # type: ignore[attr-defined]
    name = escape(organization.name)
    return (
        f"<tr>{_select_cell(organization.pk, name, selectable)}"
        f'<td data-label="Name"><a href="{organization.get_absolute_url()}" class="fw-semibold">'
        f"{name}</a>{archived if organization.is_archived else ''}</td>"
        f'<td data-label="Kind">{escape(kind)}</td>'
        f'<td data-label="Stage"><span class="badge rounded-pill stage-badge'
        f' stage-{escape(organization.stage)}">{escape(stage)}</span>'
        f" {health_badge_html(organization.health)}</td>"
        f'<td data-label="Owner">{owner}</td>'
        f'<td data-label="Last touchpoint">'
        f"{last_touchpoint_cell(organization.last_touchpoint_on, organization.stage)}</td>"
        f'<td data-label="Next follow-up">'
        f"{_next_followup(organization.next_followup_on, today)}</td>"  # type: ignore[attr-defined]
        f'<td data-label="Focus areas" class="small d-none d-xl-table-cell">{areas}</td>'
        "</tr>\n"
    )


@register.simple_tag
def organization_rows(
    organizations: Iterable[Organization], selectable: object = False
) -> SafeString:
    """The <tr>s of the organization list (partners/partials/organization_results.html); with
    a checkbox first when `selectable`."""
    today, selectable = timezone.localdate(), bool(selectable)
    html = "".join(
        _organization_row(organization, today, selectable) for organization in organizations
    )
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


def _contact_row(contact: Contact, selectable: bool) -> str:
    """One row; the contact comes from selectors.contact_list (with its current roles)."""
    badge = ' <span class="badge text-bg-danger">Do not contact</span>'
    roles = "<br>".join(
        f'<a href="{role.organization.get_absolute_url()}">{escape(role.organization.name)}</a>'
        + (f" ({escape(role.title)})" if role.title else "")
        for role in contact.current_affiliations  # type: ignore[attr-defined]
    )
    email = escape(contact.email)
    mail_link = f'<a href="mailto:{email}">{email}</a>' if email else ""
    name = escape(contact.name)
    return (
        f"<tr>{_select_cell(contact.pk, name, selectable)}"
        f'<td data-label="Name"><a class="fw-semibold" href="{contact.get_absolute_url()}">'
        f"{name}</a>{badge if contact.do_not_contact else ''}</td>"
        f'<td data-label="Organizations" class="small">{roles or muted("None current")}</td>'
        f'<td data-label="Email">{mail_link}</td>'
        f'<td data-label="Phone" class="phone">{escape(contact.phone)}</td>'
        "</tr>\n"
    )


@register.simple_tag
def contact_rows(contacts: Iterable[Contact], selectable: object = False) -> SafeString:
    """The <tr>s of the contact list (partners/partials/contact_results.html); with a checkbox
    first when `selectable`."""
    html = "".join(_contact_row(contact, bool(selectable)) for contact in contacts)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


def _affiliation_item(affiliation: Affiliation) -> str:
    """One current contact on an organization's page: name, badges, role, email and phone, and
    the buttons to edit the role or record that they have left."""
    contact = affiliation.contact
    name = escape(contact.name)
    badges = ""
    if affiliation.is_primary:
        badges += ' <span class="badge text-bg-primary">Primary contact</span>'
    if contact.do_not_contact:
        badges += ' <span class="badge text-bg-danger">Do not contact</span>'
    role = escape(affiliation.title) if affiliation.title else "No role recorded"
    if affiliation.start_date:
        role += f" · since {month_year(affiliation.start_date)}"
    reach = []
    if contact.email:
        email = escape(contact.email)
        reach.append(f'<a href="mailto:{email}">{email}</a>')
    if contact.phone:
        phone = escape(contact.phone)
        reach.append(f'<a href="tel:{phone}">{phone}</a>')
    edit = pk_url("partners:affiliation_edit", affiliation.pk)
    end = pk_url("partners:affiliation_end", affiliation.pk)
    return (
        '<li class="list-group-item"><div class="d-flex flex-wrap justify-content-between gap-2">'
        f'<div><a href="{contact.get_absolute_url()}" class="fw-semibold">{name}</a>{badges}'
        f'<div class="small text-body-secondary">{role}</div>'
        f'<div class="small">{" · ".join(reach)}</div></div>'
        '<div class="d-flex gap-2 align-items-start">'
        f'<a class="btn btn-sm btn-outline-secondary" href="{edit}">Edit role'
        f'<span class="visually-hidden"> of {name}</span></a>'
        f'<a class="btn btn-sm btn-outline-secondary" href="{end}">Has left'
        f'<span class="visually-hidden">: {name}</span></a>'
        "</div></div></li>\n"
    )


@register.simple_tag
def affiliation_items(affiliations: Iterable[Affiliation]) -> SafeString:
    """The <li>s of an organization's current contacts (partners/organization_detail.html)."""
    html = "".join(_affiliation_item(affiliation) for affiliation in affiliations)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
