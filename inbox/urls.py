from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("unfiled-email/", views.unfiled_list, name="unfiled_list"),
    path("unfiled-email/<int:pk>/", views.unfiled_detail, name="unfiled_detail"),
    path("unfiled-email/<int:pk>/discard/", views.unfiled_discard, name="unfiled_discard"),
    path("unfiled-email/set-aside/<int:pk>/seen/", views.set_aside_seen, name="set_aside_seen"),
    path(
        "captured-email/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
