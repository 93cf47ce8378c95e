"""The pipeline board's cards, written in Python (core/rows.py says why): a page shows up to
seven columns of BOARD_PAGE_SIZE. The markup is the card's one home: the board, "Show more"
and a moved card (board_move's JSON) all come through `board_cards`; a column's frame (its
title, count and "Show more") is `board_column`'s.
"""

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.http import pk_url
from core.people import display_name_of_row
from core.rows import escape, month_day, muted, short_date
from core.templatetags.liaison import fixed_url
from partners.models import Stage
from partners.selectors import BoardCard
from partners.templatetags.partner_lists import (
    GOVERNMENT_LEVELS,
    KINDS,
    health_badge_html,
    last_touchpoint_cell,
    stage_badge_html,
)

register = template.Library()


def _followup(day: dt.date | None, today: dt.date) -> str:
    """The next follow-up, if any ("Dec 4", with the year when it is not this one); one past due
    is red at every stage: someone said they would act."""
    if day is None:
        return ""
    when = month_day(day) if day.year == today.year else short_date(day)
    if day < today:
        when = f'<span class="overdue">{when} (overdue)</span>'
    return f"<dt>Follow-up</dt><dd>{when}</dd>"


def _health(level: str) -> str:
    badge = health_badge_html(level)
    return f"<dt>Health</dt><dd>{badge}</dd>" if badge else ""


def _card(card: BoardCard, today: dt.date) -> str:
    """One card; every text from the database is escaped here. The name shows on two lines at
    most (static/css/liaison.css), in full in its title and while it has the keyboard's focus."""
    name = escape(card.name)
    kind = KINDS.get(card.kind, card.kind)
    if card.government_level:
        kind = f"{kind} · {GOVERNMENT_LEVELS.get(card.government_level, card.government_level)}"
    owner = escape(display_name_of_row(card._asdict(), "owner")) or muted("Nobody")
    url = pk_url("partners:organization_detail", card.pk)
    return (
        f'<li class="board-card" id="card-{card.pk}" data-stage="{escape(card.stage)}"'
        ' draggable="true">'
        f'<a class="board-card-name" href="{url}" draggable="false" title="{name}">{name}</a>'
        f'<div class="board-card-kind">{escape(kind)}</div>'
        '<dl class="board-card-facts">'
        f"<dt>Owner</dt><dd>{owner}</dd>"
        f"<dt>Last touch</dt><dd>{last_touchpoint_cell(card.last_touchpoint_on, card.stage)}</dd>"
        f"{_followup(card.next_followup_on, today)}"
        f"{_health(card.health)}</dl>"
        # Without JavaScript "Move to…" opens a link to the organization's stage form;
        # board.js puts the board's own move form (from its <template>) in its place.
        '<details class="board-move"><summary>Move to…'
        f'<span class="visually-hidden"> {name}</span></summary>'
        f'<a href="{pk_url("partners:organization_stage", card.pk)}">'
        "Choose the new stage</a></details></li>"
    )


@register.simple_tag
def board_cards(cards: Iterable[BoardCard]) -> SafeString:
    """The cards (<li>s), in the order given."""
    today = timezone.localdate()
    html = "".join(_card(card, today) for card in cards)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


@cache
def _options() -> SafeString:
    options = (
        f'<option value="{value}">{escape(label)}</option>' for value, label in Stage.choices
    )
    return mark_safe("".join(options))  # noqa: S308 — our own stages, their labels escaped


@register.simple_tag
def move_options() -> SafeString:
    """The <option>s of the board's "Move to…" form: every stage (board.js drops the card's)."""
    return _options()


def _show_more(column: dict[str, Any], query: str, *, oob: bool) -> str:
    """A column's foot: "Show more" while it has cards not shown (htmx appends the next page)."""
    stage = escape(column["stage"])
    swap = ' hx-swap-oob="true"' if oob else ""
    link = ""
    if column["has_more"]:
        url = f"{fixed_url('partners:board')}?{f'{query}&amp;' if query else ''}"
        url += f"stage={stage}&amp;page={column['next_page']}"
        link = (
            f'<a class="btn btn-sm btn-outline-secondary w-100" href="{url}#column-{stage}" '
            f'hx-get="{url}" hx-target="#cards-{stage}" hx-swap="beforeend">Show more'
            f'<span class="visually-hidden"> in {escape(column["label"])}</span></a>'
        )
    return f'<div class="board-more" id="more-{stage}"{swap}>{link}</div>'


@register.simple_tag
def board_show_more(column: dict[str, Any], query: str, oob: bool = False) -> SafeString:
    """The column's "Show more" (partners/partials/board_more.html swaps it out of band)."""
    return mark_safe(_show_more(column, query, oob=oob))  # noqa: S308 — escaped above


@register.simple_tag
def board_column(column: dict[str, Any], current_stage: str, query: str) -> SafeString:
    """One column: its title with the count, its cards and its "Show more"."""
    stage, label = escape(column["stage"]), escape(column["label"])
    current = " is-current" if column["stage"] == current_stage else ""
    empty = " hidden" if column["cards"] else ""
    none = "No organization at this stage."
    html = (
        f'<section class="board-column{current}" id="column-{stage}" data-stage="{stage}" '
        f'data-label="{label}" aria-labelledby="column-{stage}-title">'
        f'<h2 class="h6 board-column-title" id="column-{stage}-title" tabindex="-1">'
        f"{stage_badge_html(column['stage'])} "
        f'<span class="board-count" id="count-{stage}">{intcomma(column["count"])}</span>'
        '<span class="visually-hidden"> organizations</span></h2>'
        f'<p class="board-empty small text-body-secondary"{empty}>{none}</p>'
        f'<ol class="board-cards" id="cards-{stage}">{board_cards(column["cards"])}</ol>'
        f"{_show_more(column, query, oob=False)}</section>"
    )
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
