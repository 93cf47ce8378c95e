from django.contrib import admin
from django.urls import include, path

from core.views import home, panel
from mail.password_reset import PasswordResetView

urlpatterns = [
    path("", home, name="home"),
    path("panels/<slug:page>/<slug:name>/", panel, name="panel"),
    # Throttled, and the email goes through the outbox from a worker (mail.password_reset).
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("core.urls")),
    path("email/", include("mail.urls")),
    path("", include("partners.urls")),
    path("", include("outreach.urls")),
    path("", include("saved_views.urls")),
    path("", include("programs.urls")),
    path("", include("updates.urls")),
    path("", include("documents.urls")),
    path("", include("agreements.urls")),
    path("", include("inbox.urls")),
    path("", include("compose.urls")),
    path("", include("reviews.urls")),
    path("reports/", include("reports.urls")),
    path("", include("transfer.urls")),
    path("", include("search.urls")),
    path("", include("health.urls")),
    path("", include("bulk.urls")),
    path("", include("playbooks.urls")),
]
