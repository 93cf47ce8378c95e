"""The health page's rows, written in Python (core/rows.py says why): 25 partnerships, each
with its reasons, in a fraction of what the template language takes."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.people import display_name
from core.rows import escape, muted
from partners.models import Organization
from partners.templatetags.partner_lists import health_badge_html, stage_badge_html

register = template.Library()


def _reasons(organization: Organization) -> tuple[str, str]:
    """The reasons as a list (each with its weight), and the heaviest one's next step."""
    reasons = organization.health_reasons
    if not reasons:
        return muted("Nothing needs care"), "—"
    items = "".join(
        f'<li>{escape(str(reason["text"]))} <span class="text-body-secondary">'
        f"(weight {int(reason['weight'])})</span></li>"
        for reason in reasons
    )
    return f'<ul class="list-unstyled mb-0">{items}</ul>', escape(
        str(reasons[0].get("next_step") or "—")
    )


def _row(organization: Organization) -> str:
    why, next_step = _reasons(organization)
    owner = escape(display_name(organization.owner)) if organization.owner else muted("Nobody")
    return (
        "<tr>"
        f'<td data-label="Partner"><a class="fw-semibold" href="'
        f'{organization.get_absolute_url()}">{escape(organization.name)}</a> '
        f"{stage_badge_html(organization.stage)}</td>"
        f'<td data-label="Health">{health_badge_html(organization.health)}</td>'
        f'<td data-label="Why" class="small">{why}</td>'
        f'<td data-label="Next step" class="small">{next_step}</td>'
        f'<td data-label="Owner">{owner}</td>'
        "</tr>\n"
    )


@register.simple_tag
def health_rows(organizations: Iterable[Organization]) -> SafeString:
    """The <tr>s of the health page (health/overview.html)."""
    html = "".join(_row(organization) for organization in organizations)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
