from django.urls import path

from core import delivery, views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/calendar-token/", views.calendar_token_rotate, name="calendar_token_rotate"),
]

# Mounted at /email/ by config/urls.py.
email_urlpatterns = [
    path("", delivery.delivery_log_view, name="delivery_log"),
    path("<int:pk>/", delivery.email_detail, name="email_detail"),
    path("<int:pk>/retry/", delivery.email_retry, name="email_retry"),
]
