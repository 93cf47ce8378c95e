from django.urls import path

from imports import export
from outreach.views import (
    calendar_feed,
    followups,
    grants,
    impact,
    meetings,
    programs,
    progress,
    quick_log,
    surveys,
    timeline,
    touchpoints,
    unsubscribe,
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
    path("touchpoints/export/", export.touchpoint_export, name="touchpoint_export"),
    path("touchpoints/<int:pk>/", touchpoints.touchpoint_detail, name="touchpoint_detail"),
    path("touchpoints/<int:pk>/edit/", touchpoints.touchpoint_edit, name="touchpoint_edit"),
    path("organizations/<int:org_pk>/timeline/", timeline.organization_timeline, name="timeline"),
    # Meetings
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/calendar/", meetings.meeting_calendar, name="meeting_calendar"),
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
    path(
        "organizations/<int:org_pk>/followups/new/",
        followups.followup_create,
        name="followup_create",
    ),
    path("followups/<int:pk>/done/", followups.followup_done, name="followup_done"),
    path("followups/<int:pk>/snooze/", followups.followup_snooze, name="followup_snooze"),
    path("followups/<int:pk>/reassign/", followups.followup_reassign, name="followup_reassign"),
    path("followups/<int:pk>/cancel/", followups.followup_cancel, name="followup_cancel"),
    # Programs
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_create, name="program_create"),
    path("programs/export/", export.program_export, name="program_export"),
    path("programs/<int:pk>/", programs.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<int:pk>/outcomes/new/", programs.outcome_create, name="outcome_create"),
    path("programs/<int:pk>/stories/new/", programs.story_create, name="story_create"),
    # Grants
    path("grants/", grants.grant_list, name="grant_list"),
    path("programs/<int:pk>/grant/", grants.grant_edit, name="grant_edit"),
    # Surveys
    path("programs/<int:pk>/surveys/new/", surveys.survey_upload, name="survey_upload"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/outcome/", surveys.survey_outcome, name="survey_outcome"),
    # Impact
    path("impact/", impact.impact_summary, name="impact_summary"),
    # Partner progress updates
    path("progress/", progress.progress_update_list, name="progress_update_list"),
    path("progress/<int:pk>/", progress.progress_update_review, name="progress_update_review"),
    path(
        "progress/<int:pk>/preview/",
        progress.progress_update_preview,
        name="progress_update_preview",
    ),
    path("progress/<int:pk>/skip/", progress.progress_update_skip, name="progress_update_skip"),
    path(
        "organizations/<int:org_pk>/progress-updates/new/",
        progress.progress_subscription_create_for_organization,
        name="progress_subscription_create_for_organization",
    ),
    path(
        "programs/<int:pk>/progress-updates/new/",
        progress.progress_subscription_create_for_program,
        name="progress_subscription_create_for_program",
    ),
    path(
        "subscriptions/<int:pk>/edit/",
        progress.progress_subscription_edit,
        name="progress_subscription_edit",
    ),
    # The link in every partner email: no login, the signed token is the credential.
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]
