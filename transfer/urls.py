from django.urls import path

from transfer import export, views

app_name = "transfer"

urlpatterns = [
    # Each list's export, next to the list it exports.
    path("organizations/export/", export.organization_export, name="organization_export"),
    path("contacts/export/", export.contact_export, name="contact_export"),
    path("touchpoints/export/", export.touchpoint_export, name="touchpoint_export"),
    path("programs/export/", export.program_export, name="program_export"),
    # Imports (managers)
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/undo/", views.import_undo, name="import_undo"),
]
