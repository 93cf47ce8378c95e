"""The quick log's fields, drawn once for each organization's people and day.

An organization's page offers an empty quick log. Its ten fields were a fifth of the page's
time to draw, and they come out the same on every visit but for two things: the people of the
organization ("who was there") and today's date (the date it proposes). An empty form's fields
are therefore kept, in each process, for the last QUICK_LOGS pairs of those; a form with what
was posted (and its errors), or one whose people are not given as a list (they would be read
twice), is drawn afresh. The markup's one home stays outreach/partials/quick_log_fields.html,
and the forms' code and templates are only read when a process starts, so what is kept cannot
outlive them.
"""

import threading
from collections import OrderedDict
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from outreach.forms.touchpoints import TouchpointForm

register = template.Library()

QUICK_LOGS = 256
TEMPLATE = "outreach/partials/quick_log_fields.html"

_kept: "OrderedDict[tuple[Any, ...], SafeString]" = OrderedDict()
_lock = threading.Lock()


def _drawn(form: TouchpointForm) -> SafeString:
    return render_to_string(TEMPLATE, {"form": form})


@register.simple_tag(takes_context=True)
def quick_log_fields(context: template.Context, form: TouchpointForm | None) -> SafeString:
    """The fields of the quick log (outreach/partials/quick_log.html): of `form`, or with none,
    of an empty form for the context's `organization` and its `people` (as the organization's
    page loaded them: partners.selectors.people_ever_at), made only if not kept already."""
    if form is None:
        people = context["people"]
        choices: Any = [(person.pk, person.name) for person in people]  # as the form labels them
        names: tuple[str | None, str | bool] = (None, "id_%s")  # a form's prefix and auto_id
    else:
        choices = getattr(form.fields["contacts"], "choices", None)
        if form.is_bound or not isinstance(choices, list):
            return _drawn(form)
        names = (form.prefix, form.auto_id)
    key = (*names, str(timezone.localdate()), tuple(choices))
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    if form is None:
        form = TouchpointForm(organization=context["organization"], people=people)
    html = _drawn(form)
    with _lock:
        _kept[key] = html
        while len(_kept) > QUICK_LOGS:
            _kept.popitem(last=False)
    return html
