"""The pipeline board: one column per stage; cards move by drag and drop or by keyboard.

Both ways of moving send the card's own "Move to…" form to board_move, which calls the same
services.stage_change() as the stage form and the admin, so a move is recorded once. Without
JavaScript that form posts as it is and comes back to the board with the filters kept.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.http import AuthenticatedHttpRequest
from partners import selectors, services
from partners.forms import BoardFilterForm, BoardMoveForm
from partners.models import Organization, Stage
from partners.selectors import BOARD_PAGE_SIZE

# "Show more" without JavaScript reloads the board with one column longer; past this many pages
# (5,000 cards) the list page, with its search and sort, serves better.
MAX_PAGE = 100


def _requested_column(request: HttpRequest) -> tuple[str | None, int]:
    """The column whose "show more" was followed (?stage=&page=), and the page asked for."""
    stage = request.GET.get("stage")
    if stage not in Stage.values:
        return None, 1
    page = request.GET.get("page", "")
    number = int(page) if page.isdigit() and len(page) <= 4 else 1
    return stage, min(max(number, 1), MAX_PAGE)


def _with_query(url_name: str, query: str) -> str:
    return reverse(url_name) + (f"?{query}" if query else "")


def _column(
    filters: dict[str, Any], stage: str, label: str, *, first_page: int, last_page: int
) -> dict[str, Any]:
    cards, has_more = selectors.board_cards(
        filters,
        stage,
        start=(first_page - 1) * BOARD_PAGE_SIZE,
        stop=last_page * BOARD_PAGE_SIZE,
    )
    return {
        "stage": stage,
        "label": label,
        "cards": cards,
        "has_more": has_more,
        "next_page": last_page + 1,
    }


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET)
    filters = form.filters()
    expanded, page = _requested_column(request)
    query = form.query()
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "move_action": _with_query("partners:board_move", query),
    }
    if expanded and request.headers.get("HX-Request"):
        # htmx "Show more": only that page of the column, appended below the cards shown.
        context["column"] = _column(
            filters, expanded, Stage(expanded).label, first_page=page, last_page=page
        )
        return render(request, "partners/partials/board_more.html", context)
    counts = selectors.board_counts(filters)
    columns = []
    for stage, label in Stage.choices:
        last_page = page if stage == expanded else 1
        column = _column(filters, stage, label, first_page=1, last_page=last_page)
        column["count"] = counts[stage]
        columns.append(column)
    context["columns"] = columns
    context["filtered"] = bool(filters)
    return render(request, "partners/board.html", context)


def _moved_json(
    request: HttpRequest, filter_form: BoardFilterForm, organization: Organization, *, moved: bool
) -> dict[str, Any]:
    """What the board's JavaScript redraws after a move: the card and every column's count."""
    query = filter_form.query()
    card = render_to_string(
        "partners/partials/board_card.html",
        {
            "organization": selectors.board_card(organization.pk),
            "query": query,
            "move_action": _with_query("partners:board_move", query),
        },
        request=request,
    )
    return {
        "ok": True,
        "moved": moved,
        "stage": organization.stage,
        "card": card,
        "counts": selectors.board_counts(filter_form.filters()),
    }


@require_POST
def board_move(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Move one card: JSON (the new card, the counts) for JavaScript, else back to the board."""
    filter_form = BoardFilterForm(request.GET)
    board_url = _with_query("partners:board", filter_form.query())
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = BoardMoveForm(request.POST)
    if not form.is_valid():
        text = f"Not moved: {form.error_text()}"
        if wants_json:
            return JsonResponse({"ok": False, "message": text}, status=400)
        messages.error(request, text)
        return redirect(board_url)
    organization = form.cleaned_data["organization"]
    change = services.stage_change(
        organization=organization,
        to_stage=form.cleaned_data["to_stage"],
        by=request.user,
        note=form.cleaned_data["note"],
    )
    stage_label = organization.get_stage_display()
    if change is None:
        text = f"{organization} is already at “{stage_label}”: nothing changed."
    else:
        text = f"{organization} moved to “{stage_label}”."
    if not wants_json:
        messages.success(request, text)
        return redirect(f"{board_url}#card-{organization.pk}")
    moved = _moved_json(request, filter_form, organization, moved=change is not None)
    return JsonResponse(moved | {"message": text})
