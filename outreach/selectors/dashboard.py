"""What a librarian (and a manager) sees first thing in the morning."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, F, Q
from django.utils import timezone

from outreach.models import Meeting, ProgressUpdate, Touchpoint
from outreach.selectors.followups import followups_for, group_by_due, overdue_by_person, week_end
from partners.models import Organization, Stage
from partners.selectors import organizations_owned_by, stage_counts

LIST_LIMIT = 10


# Relationships that exist and can go quiet: not prospects still being researched, and not
# partnerships already dormant or declined.
TALKING_STAGES = (Stage.CONTACTED, Stage.IN_DISCUSSION, Stage.ACTIVE)


def quiet_partners(today: dt.date) -> Any:
    """Partners the library is talking to with no touchpoint in LIAISON_QUIET_DAYS (or none
    ever), longest quiet first."""
    since = today - dt.timedelta(days=settings.LIAISON_QUIET_DAYS)
    return (
        Organization.objects.active()
        .filter(stage__in=TALKING_STAGES)
        .with_last_touchpoint()
        .filter(Q(last_touchpoint_on__isnull=True) | Q(last_touchpoint_on__lt=since))
        .order_by(F("last_touchpoint_on").asc(nulls_first=True), "name", "pk")
    )


def quiet_partners_of(user: User, today: dt.date) -> Any:
    """The user's own quiet partners (see quiet_partners)."""
    return quiet_partners(today).filter(owner=user)


def touchpoints_by_person(first_day: dt.date, last_day: dt.date) -> Any:
    """How many touchpoints each staff member logged from first_day to last_day, most first."""
    return (
        Touchpoint.objects.filter(occurred_on__gte=first_day, occurred_on__lte=last_day)
        .values("staff", "staff__first_name", "staff__last_name", "staff__username")
        .annotate(touchpoints=Count("pk"))
        .order_by("-touchpoints", "staff__first_name", "staff__username")
    )


def dashboard(user: User, *, manager: bool) -> dict[str, Any]:
    today = timezone.localdate()
    due = list(followups_for(user).filter(due_on__lte=week_end(today))[:50])
    quiet = quiet_partners_of(user, today)
    mine = organizations_owned_by(user)
    data: dict[str, Any] = {
        "followups": group_by_due(due, today),
        "followups_shown": len(due),
        "followup_total": followups_for(user).count(),
        "meetings": list(
            Meeting.objects.filter(
                Q(staff=user) | Q(created_by=user),
                starts_at__gte=timezone.now(),
                status=Meeting.Status.SCHEDULED,
            )
            .distinct()
            .select_related("organization")
            .order_by("starts_at")[:5]
        ),
        "quiet_partners": list(quiet[:LIST_LIMIT]),
        "quiet_count": quiet.count(),
        "quiet_days": settings.LIAISON_QUIET_DAYS,
        "recent_touchpoints": list(
            Touchpoint.objects.filter(staff=user)
            .select_related("organization")
            .order_by("-occurred_on", "-created_at")[:5]
        ),
        # Partner progress updates drafted for this person to review (review mode).
        "drafts_to_review": list(
            ProgressUpdate.objects.filter(
                status=ProgressUpdate.Status.DRAFT,
                subscription__owner=user,
                subscription__is_active=True,
            )
            .select_related("subscription__organization", "subscription__program")
            .order_by("period_end", "pk")[:LIST_LIMIT]
        ),
        "stage_counts": stage_counts(),
        "my_organization_count": mine.count(),
    }
    if manager:
        month_start = today.replace(day=1)
        data["team_overdue"] = overdue_by_person(today)
        data["team_touchpoints"] = list(touchpoints_by_person(month_start, today))
        data["month_start"] = month_start
    return data
