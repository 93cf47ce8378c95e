from django.urls import path

from core import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/calendar-token/", views.calendar_token_rotate, name="calendar_token_rotate"),
]
