"""Reads for follow-ups: what is due for whom, grouped the way a librarian plans a week."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from core.forms import staff_users
from core.http import record_number
from core.prepared import Prepared, PreparedList, PreparedLists
from core.roles import is_manager
from outreach.models import FollowUp
from partners.models import Organization

# What a follow-up's row (outreach/partials/followup_row.html) shows of it; on the lists that
# name whose it is, with its assignee's name.
ROW_FIELDS = (
    "title",
    "details",
    "due_on",
    "due_time",
    "status",
    "assignee_id",
    "organization__name",
)
ROW_FIELDS_WITH_ASSIGNEE = (
    *ROW_FIELDS,
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


def open_followups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(status=FollowUp.Status.OPEN).select_related(
        "organization", "assignee"
    )


# An organization's page shows its first ten (compiled once per process: core.prepared).
ORGANIZATION_FOLLOWUPS = 10
_OF_ORGANIZATION = Prepared(
    lambda organization_id: (
        open_followups()
        .filter(organization_id=organization_id)
        .only(*ROW_FIELDS_WITH_ASSIGNEE)
        .order_by("due_on", "pk")[:ORGANIZATION_FOLLOWUPS]
    )
)


def open_followups_of_organization(organization: Organization) -> list[FollowUp]:
    """The organization's open follow-ups, soonest first: the first ten."""
    return _OF_ORGANIZATION.objects(organization_id=organization.pk)


def followup_detail(pk: int) -> FollowUp:
    """A follow-up's page: it, with who, for whom, and what it came from."""
    return _FOLLOWUP_PAGE.one(pk=pk)


# Compiled once per process (core.prepared): planning its six joins took longer than running it.
_FOLLOWUP_PAGE = Prepared(
    lambda pk: FollowUp.objects.select_related(
        "organization", "assignee", "touchpoint", "meeting", "completed_by", "created_by"
    ).filter(pk=pk)
)


def _open_of(
    *, assignee_id: int | None = None, organization_id: int | None = None
) -> QuerySet[FollowUp]:
    qs = open_followups().only(*ROW_FIELDS_WITH_ASSIGNEE)
    if assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return qs.order_by("due_on", "due_time", "pk")


# The list page's rows and their ids for its count, for each set of filters in use: compiled
# once per process (core.prepared), and planned for each visit's page and person: one plan for
# every visit, made not knowing the LIMIT, joined and sorted all of a person's open follow-ups
# to show 25 (2,611 of the demo librarian's, 5 ms at 10,000 organizations), where the page
# reads them in order from an index and stops; and which index serves depends on whose they are.
_OPEN = PreparedLists(_open_of, on_server=False)


def followup_page_list(
    assignee: User | None, organization: Organization | None = None
) -> PreparedList:
    """What the follow-up list pages through: the open follow-ups of one person (or everyone's),
    of one organization if given, soonest first."""
    values = {}
    if assignee is not None:
        values["assignee_id"] = assignee.pk
    if organization is not None:
        values["organization_id"] = organization.pk
    return _OPEN.of(**values)


def week_end(today: dt.date) -> dt.date:
    """The last day of "this week": a rolling seven days, so next Tuesday's promise made on
    Tuesday is on this week's list, whatever day the week starts on."""
    return today + dt.timedelta(days=7)


@dataclass
class FollowUpGroups:
    overdue: list[FollowUp] = field(default_factory=list)
    today: list[FollowUp] = field(default_factory=list)
    this_week: list[FollowUp] = field(default_factory=list)
    later: list[FollowUp] = field(default_factory=list)

    def sections(self) -> list[tuple[str, str, list[FollowUp]]]:
        return [
            ("overdue", "Overdue", self.overdue),
            ("today", "Today", self.today),
            ("this-week", "This week", self.this_week),
            ("later", "Later", self.later),
        ]


def group_by_due(followups: list[FollowUp], today: dt.date | None = None) -> FollowUpGroups:
    today = today or timezone.localdate()
    groups = FollowUpGroups()
    for followup in followups:
        if followup.due_on < today:
            groups.overdue.append(followup)
        elif followup.due_on == today:
            groups.today.append(followup)
        elif followup.due_on <= week_end(today):
            groups.this_week.append(followup)
        else:
            groups.later.append(followup)
    return groups


def followups_asked(params: QueryDict, user: User) -> tuple[User | None, Organization | None]:
    """Whose follow-ups and which partner's the follow-up list's address asks for: one's own,
    everyone's (?assignee=all) or someone's (managers only), of one partner (?organization=) or
    of all. One home for the list page and the saved views that count it."""
    manager = is_manager(user)
    choice = params.get("assignee", "")
    assignee: User | None = user
    if manager and choice == "all":
        assignee = None
    elif manager and record_number(choice):
        assignee = staff_users().filter(pk=record_number(choice)).first() or user
    number = record_number(params.get("organization"))
    organization = Organization.objects.filter(pk=number).first() if number else None
    return assignee, organization
