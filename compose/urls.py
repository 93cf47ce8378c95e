from django.urls import path

from compose.views import group, templates, writing

app_name = "compose"

urlpatterns = [
    path("write-email/", writing.personal_email, name="personal_email"),
    path("group-email/", group.group_email_list, name="group_email_list"),
    path("group-email/new/", writing.group_email_new, name="group_email_new"),
    path("group-email/<int:pk>/", group.group_email_detail, name="group_email_detail"),
    path("group-email/<int:pk>/approve/", group.group_email_approve, name="group_email_approve"),
    path("group-email/<int:pk>/decline/", group.group_email_decline, name="group_email_decline"),
    path("email-templates/", templates.template_list, name="template_list"),
    path("email-templates/new/", templates.template_create, name="template_create"),
    path("email-templates/<int:pk>/edit/", templates.template_edit, name="template_edit"),
    path("email-templates/<int:pk>/archive/", templates.template_archive, name="template_archive"),
]
