from django.urls import path

from programs.views import attendance, grants, impact, programs, surveys

app_name = "programs"

urlpatterns = [
    # Programs
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_create, name="program_create"),
    path("programs/<int:pk>/", programs.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<int:pk>/history/", programs.program_history, name="program_history"),
    path("programs/<int:pk>/tags/", programs.program_tags, name="program_tags"),
    path("programs/<int:pk>/outcomes/new/", programs.outcome_create, name="outcome_create"),
    path("programs/<int:pk>/stories/new/", programs.story_create, name="story_create"),
    # A session's head count, recorded from the program's page.
    path("sessions/<int:pk>/attendance/", attendance.session_attendance, name="session_attendance"),
    # Grants
    path("grants/", grants.grant_list, name="grant_list"),
    path("programs/<int:pk>/grant/", grants.grant_edit, name="grant_edit"),
    # Surveys
    path("programs/<int:pk>/surveys/new/", surveys.survey_upload, name="survey_upload"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/outcome/", surveys.survey_outcome, name="survey_outcome"),
    # Impact
    path("impact/", impact.impact_summary, name="impact_summary"),
]
