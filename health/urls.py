from django.urls import path

from health import views

app_name = "health"

urlpatterns = [
    path("health/", views.health_overview, name="overview"),
    path("health/cadences/", views.stage_cadences, name="cadences"),
]
