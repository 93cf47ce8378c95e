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

A panel can also be fetched on its own, at `/panels/<page>/<panel>/?of=<pk>` (core.views.panel),
which keeps a page true after an in-place action:

    @panel(page="organization", slot="side", order=10, template="…", refresh_on=("followups",))

renders the panel inside an element that fetches it again whenever a response announces that
follow-ups changed (`core.http.changed(response, "followups")`, an htmx event). `deferred=True`
(with a `title`) leaves a panel that is slow to compute and not the page's first concern out of
the page's own response: the page shows its heading and fetches it as soon as it has loaded.
`shown_to` (a test of the user, such as core.roles.is_manager) leaves a panel off the page for
everyone else, without computing it: a deferred panel's heading too.
The page that owns an object says how to load it for a lone panel with `panel_object`.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from core.http import AuthenticatedHttpRequest

# What a panel computes for one request (pages with panels need a login): its template's
# context, or None to stay hidden.
PanelContext = Callable[[AuthenticatedHttpRequest, Any], Mapping[str, Any] | None]

# The pages that have panels, and the slots each one lays out.
PAGES = {
    "dashboard": ("top", "main", "side"),
    # `badges`: under the organization's name (a data-sharing agreement in force).
    "organization": ("actions", "badges", "main", "side"),
    "contact": ("actions", "main"),
    "touchpoint": ("main",),
    "program": ("side",),
    # The lists: `actions` beside the count (the export links); `selection`, the form that
    # takes the rows ticked (bulk actions): a list has checkboxes when it has a panel there.
    "organization_list": ("actions", "selection"),
    "contact_list": ("actions", "selection"),
    "touchpoint_list": ("actions",),
    "followup_list": ("actions", "selection"),
    "board": ("actions",),
    "program_list": ("actions",),
}


@dataclass(frozen=True)
class Panel:
    page: str
    slot: str
    order: int
    template: str
    context: PanelContext
    refresh_on: tuple[str, ...] = ()
    deferred: bool = False
    title: str = ""
    shown_to: Callable[[Any], bool] | None = None

    @property
    def name(self) -> str:
        return self.context.__name__.replace("_", "-")


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: Mapping[str, Any]
    name: str = ""
    # Where the panel is fetched again, and on which events (htmx trigger syntax); "" if never.
    url: str = ""
    trigger: str = ""
    deferred: bool = False
    title: str = ""


# How a lone panel finds its page's object from the `of` parameter: (loader, context name).
ObjectLoader = Callable[[int], Any]

_registry: list[Panel] = []
_loaders: dict[str, tuple[ObjectLoader, str]] = {}


def panel(
    *,
    page: str,
    slot: str,
    order: int,
    template: str,
    refresh_on: tuple[str, ...] = (),
    deferred: bool = False,
    title: str = "",
    shown_to: Callable[[Any], bool] | None = None,
) -> Callable[[PanelContext], Any]:
    """Register the decorated function as the context of a panel on `page`, in `slot`: fetched
    again when one of the `refresh_on` changes is announced, and after the page when
    `deferred` (its `title` shows meanwhile); only for users `shown_to` accepts, if given."""
    if slot not in PAGES.get(page, ()):
        raise ValueError(f"The page {page!r} has no slot {slot!r}.")
    if deferred and not title:
        raise ValueError("A deferred panel needs the title shown while it loads.")

    def register(context: PanelContext) -> PanelContext:
        key = (page, context.__module__, context.__qualname__)
        # ready() may run twice (tests, autoreload): registering the same function is a no-op.
        if all((p.page, p.context.__module__, p.context.__qualname__) != key for p in _registry):
            _registry.append(
                Panel(page, slot, order, template, context, refresh_on, deferred, title, shown_to)
            )
        return context

    return register


def panel_object(*, page: str, name: str) -> Callable[[ObjectLoader], ObjectLoader]:
    """Register how `page`'s object is loaded by its primary key for a lone panel (raising
    ObjectDoesNotExist when there is none), and the name its templates know it by."""

    def register(loader: ObjectLoader) -> ObjectLoader:
        _loaders[page] = (loader, name)
        return loader

    return register


def find_panel(page: str, name: str) -> Panel | None:
    return next((p for p in _registry if p.page == page and p.name == name), None)


def load_object(page: str, pk: int | None) -> tuple[str, Any]:
    """The context name and object of `page` for a lone panel; ("", None) for pages without."""
    if page not in _loaders:
        return "", None
    if pk is None:
        raise LookupError(f"A panel of the {page} page needs the object it shows.")
    loader, name = _loaders[page]
    return name, loader(pk)


def _trigger(registered: Panel) -> str:
    events = [f"{event}-changed from:body" for event in registered.refresh_on]
    if registered.deferred:
        events.insert(0, "load")
    return ", ".join(events)


@cache
def _panel_url(page: str, name: str, script_prefix: str) -> str:
    return reverse("panel", args=[page, name])


@cache
def _on_page(page: str, registered: int) -> list[Panel]:
    """The panels of `page` in their order (`registered`: how many there are in all, so that
    one registered later is not missed)."""
    return sorted((p for p in _registry if p.page == page), key=lambda p: (p.order, p.template))


def slot_filled(page: str, slot: str, request: HttpRequest) -> bool:
    """Whether a panel fills `slot` of `page` for this request's user, without computing it
    (a row drawn again in place asks whether its list has the slot's checkboxes)."""
    return any(
        p.slot == slot and (p.shown_to is None or p.shown_to(request.user))
        for p in _on_page(page, len(_registry))
    )


def _shown(registered: Panel, context: Mapping[str, Any], obj: Any) -> ShownPanel:
    trigger = _trigger(registered)
    url = ""
    if trigger:
        url = _panel_url(registered.page, registered.name, get_script_prefix())
        if obj is not None:
            url += f"?of={obj.pk}"
    return ShownPanel(
        registered.template,
        context,
        registered.name,
        url,
        trigger,
        registered.deferred,
        registered.title,
    )


def panels_for(
    page: str, request: AuthenticatedHttpRequest, obj: Any = None
) -> dict[str, list[ShownPanel]]:
    """The panels of `page` for this request, by slot, in their order; hidden ones left out."""
    shown: dict[str, list[ShownPanel]] = defaultdict(list)
    for slot in PAGES[page]:
        shown[slot] = []
    for registered in _on_page(page, len(_registry)):
        if registered.shown_to is not None and not registered.shown_to(request.user):
            continue
        if registered.deferred:
            shown[registered.slot].append(_shown(registered, {}, obj))
            continue
        context = registered.context(request, obj)
        if context is not None:
            shown[registered.slot].append(_shown(registered, context, obj))
    return dict(shown)
