"""What a librarian (and a manager) sees first thing in the morning."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, F, Q
from django.utils import timezone

from outreach.models import Meeting, Touchpoint
from outreach.selectors.followups import followups_for, group_by_due, overdue_by_person, week_end
from partners.models import Organization, Stage
from partners.selectors import organizations_owned_by, stage_counts

LIST_LIMIT = 10


# Relationships that exist and can go quiet: not prospects still being researched, and not
# partnerships already dormant or declined.
TALKING_STAGES = (Stage.CONTACTED, Stage.IN_DISCUSSION, Stage.ACTIVE)


def quiet_partners_of(user: User, today: dt.date) -> Any:
    """Partners the user is talking to with no touchpoint in LIAISON_QUIET_DAYS (or none ever)."""
    since = today - dt.timedelta(days=settings.LIAISON_QUIET_DAYS)
    return (
        Organization.objects.active()
        .filter(owner=user, stage__in=TALKING_STAGES)
        .with_last_touchpoint()
        .filter(Q(last_touchpoint_on__isnull=True) | Q(last_touchpoint_on__lt=since))
        .order_by(F("last_touchpoint_on").asc(nulls_first=True), "name")
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
        "stage_counts": stage_counts(),
        "my_organization_count": mine.count(),
    }
    if manager:
        month_start = today.replace(day=1)
        data["team_overdue"] = overdue_by_person(today)
        data["team_touchpoints"] = list(
            Touchpoint.objects.filter(occurred_on__gte=month_start, occurred_on__lte=today)
            .values("staff", "staff__first_name", "staff__last_name", "staff__username")
            .annotate(touchpoints=Count("pk"))
            .order_by("-touchpoints", "staff__first_name")
        )
        data["month_start"] = month_start
    return data
