"""Panels: how a page owned by a lower layer shows parts owned by higher layers.

The dashboard (core), an organization's and a contact's page (partners) and a program's page
(programs) show follow-ups, timelines, programs, progress updates and email health, which live
in apps above them. Those
apps never get imported by the page's app: each registers its panels here, from its
`AppConfig.ready()`, with the `panel` decorator:

    @panel(page="organization", slot="side", order=30, template="programs/partials/…html")
    def programs_together(request, organization):
        return {"program_roles": …}     # the panel's context; None hides the panel

The page's view asks `panels_for(page, request, obj)` for its panels grouped by slot, and its
template renders each with `{% render_panels panels.side %}` (core/templatetags/liaison.py).
A panel reads through its own app's selectors, so each keeps a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.http import AuthenticatedHttpRequest

# What a panel computes for one request (pages with panels need a login): its template's
# context, or None to stay hidden.
PanelContext = Callable[[AuthenticatedHttpRequest, Any], Mapping[str, Any] | None]

# The pages that have panels, and the slots each one lays out.
PAGES = {
    "dashboard": ("top", "main", "side"),
    "organization": ("actions", "main", "side"),
    "contact": ("main",),
    "program": ("side",),
    # The lists: `actions` beside the count (the export links).
    "organization_list": ("actions",),
    "contact_list": ("actions",),
    "touchpoint_list": ("actions",),
    "program_list": ("actions",),
}


@dataclass(frozen=True)
class Panel:
    page: str
    slot: str
    order: int
    template: str
    context: PanelContext


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: Mapping[str, Any]


_registry: list[Panel] = []


def panel(*, page: str, slot: str, order: int, template: str) -> Callable[[PanelContext], Any]:
    """Register the decorated function as the context of a panel on `page`, in `slot`."""
    if slot not in PAGES.get(page, ()):
        raise ValueError(f"The page {page!r} has no slot {slot!r}.")

    def register(context: PanelContext) -> PanelContext:
        key = (page, context.__module__, context.__qualname__)
        # ready() may run twice (tests, autoreload): registering the same function is a no-op.
        if all((p.page, p.context.__module__, p.context.__qualname__) != key for p in _registry):
            _registry.append(Panel(page, slot, order, template, context))
        return context

    return register


def panels_for(
    page: str, request: AuthenticatedHttpRequest, obj: Any = None
) -> dict[str, list[ShownPanel]]:
    """The panels of `page` for this request, by slot, in their order; hidden ones left out."""
    shown: dict[str, list[ShownPanel]] = defaultdict(list)
    for slot in PAGES[page]:
        shown[slot] = []
    for registered in sorted(_registry, key=lambda p: (p.order, p.template)):
        if registered.page != page:
            continue
        context = registered.context(request, obj)
        if context is not None:
            shown[registered.slot].append(ShownPanel(registered.template, context))
    return dict(shown)
