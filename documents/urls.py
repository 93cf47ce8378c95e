from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/upload/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/versions/new/", views.version_add, name="version_add"),
    path("documents/<int:pk>/archive/", views.document_archive, name="document_archive"),
    path("documents/<int:pk>/purge/", views.document_purge, name="document_purge"),
    path("document-files/<int:pk>/", views.version_download, name="version_download"),
]
