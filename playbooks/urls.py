from django.urls import path

from playbooks import views

app_name = "playbooks"

urlpatterns = [
    path("playbooks/", views.playbook_list, name="playbook_list"),
    path("playbooks/new/", views.playbook_create, name="playbook_create"),
    path("playbooks/<int:pk>/", views.playbook_detail, name="playbook_detail"),
    path("playbooks/<int:pk>/edit/", views.playbook_edit, name="playbook_edit"),
    path("playbooks/<int:pk>/retire/", views.playbook_retire, name="playbook_retire"),
    path("organizations/<int:pk>/playbooks/apply/", views.playbook_apply, name="playbook_apply"),
    path("playbook-runs/<int:pk>/stop/", views.run_stop, name="run_stop"),
]
