"""The pipeline board: one column per stage; cards move by drag and drop or by keyboard.

Both ways of moving send the card's own "Move to…" form to board_move, which calls the same
services.stage_change() as the stage form and the admin, so a move is recorded once. Without
JavaScript that form posts as it is and comes back to the board with the filters kept.

?stage= names a column: the one whose "Show more" was followed (with &page=), and the one a
phone shows (the stage links above the board, which are skip links on a wider screen).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.http import AuthenticatedHttpRequest
from core.panels import panels_for
from partners import selectors, services
from partners.forms import BoardFilterForm, BoardMoveForm
from partners.models import Organization, Stage
from partners.selectors import BOARD_PAGE_SIZE
from partners.templatetags.board import board_cards

# "Show more" without JavaScript reloads the board with one column longer; past this many pages
# (1,000 cards) the list page, with its search and sort, serves better.
MAX_PAGE = 50


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


def _columns(filters: dict[str, Any], longer: str | None, page: int) -> list[dict[str, Any]]:
    """Every column: its count, its first cards (`page` pages of the longer one), "show more"."""
    counts = selectors.board_counts(filters)
    cards = selectors.board_columns(filters, longer=longer, pages=page)
    return [
        {
            "stage": stage,
            "label": label,
            "cards": cards[stage],
            "count": counts[stage],
            "has_more": len(cards[stage]) < counts[stage],
            "next_page": len(cards[stage]) // BOARD_PAGE_SIZE + 1,
        }
        for stage, label in Stage.choices
    ]


def _next_page(filters: dict[str, Any], stage: str, page: int) -> dict[str, Any]:
    """One page of one column, for htmx's "Show more"."""
    start = (page - 1) * BOARD_PAGE_SIZE
    cards, has_more = selectors.board_cards(
        filters, stage, start=start, stop=start + BOARD_PAGE_SIZE
    )
    label = Stage(stage).label
    return {
        "stage": stage,
        "label": label,
        "cards": cards,
        "has_more": has_more,
        "next_page": page + 1,
    }


@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET)
    filters = form.filters()
    longer, page = _requested_column(request)
    query = form.query()
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "move_action": _with_query("partners:board_move", query),
        "page_size": BOARD_PAGE_SIZE,
        "panels": panels_for("board", request),
    }
    if longer and request.headers.get("HX-Request"):
        # htmx "Show more": only that page of the column, appended below the cards shown.
        context["column"] = _next_page(filters, longer, page)
        return render(request, "partners/partials/board_more.html", context)
    context["columns"] = _columns(filters, longer, page)
    context["filtered"] = bool(filters)
    # On a phone the board shows one stage at a time: the one asked for, else the first.
    context["current_stage"] = longer or Stage.values[0]
    return render(request, "partners/board.html", context)


def _moved_json(filter_form: BoardFilterForm, organization: Organization, *, moved: bool) -> dict:
    """What the board's JavaScript redraws after a move: the card and every column's count."""
    return {
        "ok": True,
        "moved": moved,
        "stage": organization.stage,
        "card": board_cards([selectors.board_card(organization.pk)]),
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
    moved = _moved_json(filter_form, organization, moved=change is not None)
    return JsonResponse(moved | {"message": text})
