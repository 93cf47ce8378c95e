from django.urls import path

from saved_views import views

app_name = "saved_views"

urlpatterns = [
    path("saved-views/", views.saved_view_list, name="saved_view_list"),
    path("saved-views/new/", views.saved_view_create, name="saved_view_create"),
    path("saved-views/<int:pk>/edit/", views.saved_view_edit, name="saved_view_edit"),
    path("saved-views/<int:pk>/remove/", views.saved_view_remove, name="saved_view_remove"),
]
