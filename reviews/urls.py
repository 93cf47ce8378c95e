from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("organizations/<int:org_pk>/reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/history/", views.review_history, name="review_history"),
]
