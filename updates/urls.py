from django.urls import path

from updates.views import progress, unsubscribe

app_name = "updates"

urlpatterns = [
    # Partner progress updates
    path("progress/", progress.progress_update_list, name="progress_update_list"),
    path("progress/<int:pk>/", progress.progress_update_review, name="progress_update_review"),
    path(
        "progress/<int:pk>/preview/",
        progress.progress_update_preview,
        name="progress_update_preview",
    ),
    path(
        "progress/<int:pk>/email.html",
        progress.progress_update_email_html,
        name="progress_update_email_html",
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
