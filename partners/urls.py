from django.urls import path

from partners import board, focus_area_views, new_views, relation_views, tag_views, views

app_name = "partners"

urlpatterns = [
    path("focus-areas/", focus_area_views.focus_area_list, name="focus_area_list"),
    path("focus-areas/new/", focus_area_views.focus_area_create, name="focus_area_create"),
    path("focus-areas/<int:pk>/edit/", focus_area_views.focus_area_edit, name="focus_area_edit"),
    path(
        "focus-areas/<int:pk>/retire/", focus_area_views.focus_area_retire, name="focus_area_retire"
    ),
    path("focus-areas/<int:pk>/merge/", focus_area_views.focus_area_merge, name="focus_area_merge"),
    path("tags/", tag_views.tag_list, name="tag_list"),
    path("tags/new/", tag_views.tag_create, name="tag_create"),
    path("tags/<int:pk>/edit/", tag_views.tag_edit, name="tag_edit"),
    path("tags/<int:pk>/retire/", tag_views.tag_retire, name="tag_retire"),
    path("organizations/<int:pk>/tags/", tag_views.organization_tags, name="organization_tags"),
    path("contacts/<int:pk>/tags/", tag_views.contact_tags, name="contact_tags"),
    path("pipeline/", board.board, name="board"),
    path("pipeline/move/", board.board_move, name="board_move"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path(
        "organizations/name-check/", views.organization_name_check, name="organization_name_check"
    ),
    path(
        "organizations/suggestions/",
        new_views.organization_suggestions,
        name="organization_suggestions",
    ),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/stage/", views.organization_stage, name="organization_stage"),
    path(
        "organizations/<int:pk>/archive/", views.organization_archive, name="organization_archive"
    ),
    path(
        "organizations/<int:pk>/restore/", views.organization_restore, name="organization_restore"
    ),
    path("organizations/<int:pk>/merge/", views.organization_merge, name="organization_merge"),
    path(
        "organizations/<int:pk>/history/", views.organization_history, name="organization_history"
    ),
    path("organizations/<int:org_pk>/contacts/new/", views.contact_create, name="contact_create"),
    path(
        "organizations/<int:org_pk>/contacts/add-existing/",
        views.affiliation_add_existing,
        name="affiliation_add_existing",
    ),
    path("affiliations/<int:pk>/edit/", views.affiliation_edit, name="affiliation_edit"),
    path("affiliations/<int:pk>/end/", views.affiliation_end, name="affiliation_end"),
    path(
        "organizations/<int:org_pk>/related/new/", relation_views.relation_add, name="relation_add"
    ),
    path("related/<int:pk>/edit/", relation_views.relation_edit, name="relation_edit"),
    path("related/<int:pk>/remove/", relation_views.relation_remove, name="relation_remove"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", new_views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path(
        "contacts/<int:pk>/organizations/add/",
        new_views.contact_organization_add,
        name="contact_organization_add",
    ),
    path("contacts/<int:pk>/resubscribe/", views.contact_resubscribe, name="contact_resubscribe"),
    path("contacts/<int:pk>/merge/", views.contact_merge, name="contact_merge"),
    path("contacts/<int:pk>/history/", views.contact_history, name="contact_history"),
]
