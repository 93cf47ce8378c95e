from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.views import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("core.urls")),
    path("email/", include("mail.urls")),
    path("", include("partners.urls")),
    path("", include("outreach.urls")),
    path("", include("programs.urls")),
    path("", include("updates.urls")),
    path("reports/", include("reports.urls")),
    path("", include("transfer.urls")),
]
