from django.urls import path

from outreach.views import (
    calendar_feed,
    followups,
    meetings,
    quick_log,
    timeline,
    touchpoints,
)

app_name = "outreach"

urlpatterns = [
    # Touchpoints
    path(
        "organizations/<int:org_pk>/touchpoints/new/",
        quick_log.touchpoint_create,
        name="touchpoint_create",
    ),
    path("touchpoints/", touchpoints.touchpoint_list, name="touchpoint_list"),
    path("touchpoints/new/", touchpoints.touchpoint_new, name="touchpoint_new"),
    path("touchpoints/<int:pk>/", touchpoints.touchpoint_detail, name="touchpoint_detail"),
    path("touchpoints/<int:pk>/edit/", touchpoints.touchpoint_edit, name="touchpoint_edit"),
    path("organizations/<int:org_pk>/timeline/", timeline.organization_timeline, name="timeline"),
    # Meetings
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/calendar/", meetings.meeting_calendar, name="meeting_calendar"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path(
        "organizations/<int:org_pk>/meetings/new/", meetings.meeting_create, name="meeting_create"
    ),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/held/", meetings.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/meeting.ics", meetings.meeting_ics, name="meeting_ics"),
    path("calendar/<str:token>.ics", calendar_feed.calendar_feed, name="calendar_feed"),
    # Follow-ups
    path("followups/", followups.followup_list, name="followup_list"),
    path("followups/new/", followups.followup_new, name="followup_new"),
    path(
        "organizations/<int:org_pk>/followups/new/",
        followups.followup_create,
        name="followup_create",
    ),
    path("followups/<int:pk>/", followups.followup_detail, name="followup_detail"),
    path("followups/<int:pk>/edit/", followups.followup_edit, name="followup_edit"),
    path("followups/<int:pk>/done/", followups.followup_done, name="followup_done"),
    path("followups/<int:pk>/snooze/", followups.followup_snooze, name="followup_snooze"),
    path("followups/<int:pk>/reassign/", followups.followup_reassign, name="followup_reassign"),
    path("followups/<int:pk>/cancel/", followups.followup_cancel, name="followup_cancel"),
]
