from django.urls import path

from bulk import views

app_name = "bulk"

urlpatterns = [
    path("bulk/", views.bulk_choose, name="bulk_choose"),
    path("bulk/run/", views.bulk_run, name="bulk_run"),
    path("bulk-actions/", views.bulk_action_list, name="bulk_action_list"),
    path("bulk-actions/<int:pk>/", views.bulk_action_detail, name="bulk_action_detail"),
]
