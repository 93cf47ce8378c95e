import datetime as dt  # noqa: F401 (annotations)
from functools import cache

from django import template
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.forms import BoundField
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.bootstrap_fields import field_html, form_html
from core.http import pk_url
from core.panels import ShownPanel  # noqa: F401 (annotations)
from core.people import display_name, possessive
from core.rows import clock as clock_text

register = template.Library()


@cache
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% url name %}` for a URL without arguments, reversed once per process: the navigation
    on every page has a dozen, and reversing took a third of an empty page's time."""
    return _reversed(name, get_script_prefix())


@register.simple_tag
def record_url(name: str, pk: int) -> str:
    """`{% url name pk %}` for the page of one record (`<int:pk>/`), through core.http.pk_url at
    a tenth of the cost: a record's page links to its edit, archive and merge pages."""
    return pk_url(name, pk)


@register.simple_tag(takes_context=True)
def nav_link(context: dict, name: str, label: str, exact: bool = False) -> str:
    """A navigation entry, marked current when the page is that section (or that page)."""
    url = fixed_url(name)
    path = context["request"].path
    if path == url if exact else path.startswith(url):
        return format_html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" href="{}">{}</a>'
            "</li>",
            url,
            label,
        )
    return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', url, label)


@register.simple_tag(takes_context=True)
def nav_menu(context: dict, label: str, *entries: str) -> str:
    """A navigation menu of sections (`entries`: view name, label, view name, label…), marked
    current when the page is in one of them: the top bar keeps one line on a laptop."""
    path = context["request"].path
    items = []
    current = False
    for name, entry_label in zip(entries[::2], entries[1::2], strict=True):
        url = fixed_url(name)
        here = path.startswith(url)
        current = current or here
        items.append(
            format_html(
                '<li><a class="dropdown-item{}" href="{}"{}>{}</a></li>',
                " active" if here else "",
                url,
                mark_safe(' aria-current="page"') if here else "",  # noqa: S308 — our own markup
                entry_label,
            )
        )
    return format_html(
        '<li class="nav-item dropdown"><a class="nav-link dropdown-toggle{}" href="#" role="button"'
        ' data-bs-toggle="dropdown" aria-expanded="false">{}</a><ul class="dropdown-menu">{}</ul>'
        "</li>",
        " active" if current else "",
        label,
        mark_safe("".join(items)),  # noqa: S308 — each escaped by format_html
    )


@register.filter
def days_ago(day: "dt.date | None") -> str:
    """“today”, “yesterday”, “12 days ago” for a past date."""
    if day is None:
        return ""
    days = (timezone.localdate() - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@register.filter
def quiet_class(day: "dt.date | None") -> str:
    """Amber past 30 days without a touchpoint, red past LIAISON_QUIET_DAYS (or never)."""
    if day is None:
        return "quiet-red"
    days = (timezone.localdate() - day).days
    if days > settings.LIAISON_QUIET_DAYS:
        return "quiet-red"
    if days > 30:
        return "quiet-amber"
    return ""


@register.filter(expects_localtime=True)
def clock(moment: "dt.time | dt.datetime | None") -> str:
    """A time of day as Liaison writes it everywhere: “2:30 PM” (core.rows.clock), a datetime
    in the current time zone; "" for none. Every page and email shows times through this."""
    return clock_text(moment) if moment is not None else ""


@register.filter(name="possessive")
def possessive_filter(name: object) -> str:
    """“Maria’s”, “Pediatric Associates’”: a name with its possessive ending."""
    return possessive(str(name))


@register.filter
def person(user: AbstractBaseUser | None) -> str:
    """A staff member's name as shown everywhere: full name, else username; "" for nobody."""
    return display_name(user)


@register.simple_tag(takes_context=True)
def render_panels(context: template.Context, panels: "list[ShownPanel]") -> str:
    """Render a page's panels in order, each with the page's context plus its own."""
    rendered = []
    for shown in panels:
        if shown.deferred:
            inner = _panel_loading(shown)
        else:
            panel_template = context.template.engine.get_template(shown.template)  # type: ignore[union-attr]
            with context.push(**shown.context):
                inner = panel_template.render(context)
        if shown.trigger:
            # Fetched again (core.panels): the wrapper stays, its content is swapped.
            inner = format_html(
                '<div class="liaison-panel" id="panel-{}" hx-get="{}" hx-trigger="{}"'
                ' hx-swap="innerHTML">{}</div>',
                shown.name,
                shown.url,
                shown.trigger,
                mark_safe(inner),  # noqa: S308 — a rendered, escaped template
            )
        rendered.append(inner)
    return mark_safe("".join(rendered))  # noqa: S308 — each part is a rendered, escaped template


def _panel_loading(shown: "ShownPanel") -> str:
    """What a deferred panel shows until it has loaded: its heading, and without JavaScript a
    link to the panel on a page of its own."""
    return format_html(
        '<section class="mb-4" aria-busy="true"><h2 class="h5">{}</h2>'
        '<p class="small text-body-secondary">Loading…</p>'
        '<noscript><p><a href="{}">Show {}</a></p></noscript></section>',
        shown.title,
        shown.url,
        shown.title.lower(),
    )


# What crispy's |as_crispy_field gives its field template (no form in Liaison has a helper).
AS_FIELD = {
    "form_show_errors": True,
    "form_show_labels": True,
    "label_class": "",
    "field_class": "",
}


@register.filter
def as_field(field: BoundField) -> str:
    """crispy's |as_crispy_field, drawn straight in Python: a third of its cost, which went on
    finding and rendering the pack's field template around the same drawing."""
    return field_html(field, AS_FIELD)


@register.simple_tag(takes_context=True)
def bootstrap_field(context: template.Context) -> str:
    """crispy-bootstrap5's field template, drawn in Python (templates/bootstrap5/field.html)."""
    return field_html(context["field"], context)


@register.simple_tag(takes_context=True)
def bootstrap_form(context: template.Context) -> str:
    """crispy-bootstrap5's form template, drawn in Python (templates/bootstrap5/uni_form.html)."""
    return form_html(context["form"], context)
