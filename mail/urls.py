from django.urls import path

from mail import views

app_name = "mail"

# Mounted at /email/ by config/urls.py.
urlpatterns = [
    path("", views.delivery_log_view, name="delivery_log"),
    path("<int:pk>/", views.email_detail, name="email_detail"),
    path("<int:pk>/retry/", views.email_retry, name="email_retry"),
    # The HTML body alone, for the sandboxed frame on the email's page (mail.preview).
    path("<int:pk>/html/", views.email_html, name="email_html"),
]
