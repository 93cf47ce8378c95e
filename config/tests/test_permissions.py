"""Who may open what: every view against the three roles, in one table.

A new view cannot be added without a row here: `test_every_view_has_a_row` fails until it has
one. Librarians view everything and edit partners, contacts, touchpoints, meetings, follow-ups
and programs; managers and admins also archive, merge, reassign owners, import, export, and
see reports and the delivery log; only admins manage users (the Django admin).

Rows with real data come from the demo data set (the `demo` fixture in config/tests/conftest.py).
The `librarian` fixture is not the demo librarian: she owns nothing there, so "owner or manager"
pages refuse her.
"""

import pytest
from django.urls import reverse

from config.tests.routes import ROUTES, concrete
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVERYONE = "everyone"  # librarians, managers, admins
MANAGERS = "managers"  # managers and admins
OWNER_OR_MANAGERS = "owner or managers"  # the record's owner/assignee, managers and admins

# Pages that need no login (tested in test_access.py), and logging out.
NOT_ROLE_BASED = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "outreach:calendar_feed",
    "updates:unsubscribe",
}

PERMISSIONS = {
    "home": EVERYONE,
    "panel": EVERYONE,
    "profile": EVERYONE,
    "calendar_token_rotate": EVERYONE,
    "password_change": EVERYONE,
    "password_change_done": EVERYONE,
    # Partners and contacts.
    "partners:organization_list": EVERYONE,
    "partners:organization_create": EVERYONE,
    "partners:organization_detail": EVERYONE,
    "partners:organization_edit": EVERYONE,
    "partners:organization_name_check": EVERYONE,
    "partners:organization_suggestions": EVERYONE,
    "partners:organization_stage": EVERYONE,
    "partners:organization_archive": MANAGERS,
    "partners:organization_restore": MANAGERS,
    "transfer:organization_export": MANAGERS,
    "partners:contact_list": EVERYONE,
    "partners:contact_create": EVERYONE,
    "partners:contact_new": EVERYONE,
    "partners:contact_detail": EVERYONE,
    "partners:contact_edit": EVERYONE,
    "partners:contact_organization_add": EVERYONE,
    "partners:contact_resubscribe": EVERYONE,
    "transfer:contact_export": MANAGERS,
    "partners:organization_merge": MANAGERS,
    "partners:contact_merge": MANAGERS,
    # Who changed what, and when: anyone who may see the record.
    "partners:organization_history": EVERYONE,
    "partners:contact_history": EVERYONE,
    "partners:affiliation_add_existing": EVERYONE,
    # Ties between organizations: anyone who may edit the organizations.
    "partners:relation_add": EVERYONE,
    # Tags: managers keep the list, anyone gives them.
    "partners:tag_list": MANAGERS,
    # Saved views: everyone saves their own; only their owner changes one.
    "saved_views:saved_view_list": EVERYONE,
    "search:search": EVERYONE,
    "saved_views:saved_view_create": EVERYONE,
    "saved_views:saved_view_edit": EVERYONE,
    "saved_views:saved_view_remove": EVERYONE,
    "partners:tag_create": MANAGERS,
    "partners:tag_edit": MANAGERS,
    "partners:tag_retire": MANAGERS,
    "partners:organization_tags": EVERYONE,
    "partners:contact_tags": EVERYONE,
    "programs:program_tags": EVERYONE,
    "partners:relation_edit": EVERYONE,
    "partners:relation_remove": EVERYONE,
    "partners:affiliation_edit": EVERYONE,
    "partners:affiliation_end": EVERYONE,
    "partners:board": EVERYONE,
    # Focus areas: managers keep the list.
    "partners:focus_area_list": MANAGERS,
    "partners:focus_area_create": MANAGERS,
    "partners:focus_area_edit": MANAGERS,
    "partners:focus_area_retire": MANAGERS,
    "partners:focus_area_merge": MANAGERS,
    "partners:board_move": EVERYONE,
    # The outreach log.
    "outreach:touchpoint_list": EVERYONE,
    "outreach:touchpoint_create": EVERYONE,
    "outreach:touchpoint_new": EVERYONE,
    "outreach:touchpoint_detail": EVERYONE,
    "outreach:touchpoint_edit": EVERYONE,
    "transfer:touchpoint_export": MANAGERS,
    "outreach:timeline": EVERYONE,
    "outreach:meeting_list": EVERYONE,
    "outreach:meeting_calendar": EVERYONE,
    "outreach:meeting_create": EVERYONE,
    "outreach:meeting_new": EVERYONE,
    "outreach:meeting_detail": EVERYONE,
    "outreach:meeting_edit": EVERYONE,
    "outreach:meeting_held": EVERYONE,
    "outreach:meeting_cancel": EVERYONE,
    "outreach:meeting_ics": EVERYONE,
    "outreach:followup_list": EVERYONE,
    "outreach:followup_create": EVERYONE,
    "outreach:followup_new": EVERYONE,
    "outreach:followup_detail": EVERYONE,
    "outreach:followup_edit": OWNER_OR_MANAGERS,
    "outreach:followup_done": OWNER_OR_MANAGERS,
    "outreach:followup_snooze": OWNER_OR_MANAGERS,
    "outreach:followup_cancel": OWNER_OR_MANAGERS,
    "outreach:followup_reassign": MANAGERS,
    # Programs, grants, impact, progress updates.
    "programs:program_list": EVERYONE,
    "programs:program_create": EVERYONE,
    "programs:program_detail": EVERYONE,
    "programs:program_edit": EVERYONE,
    "programs:program_history": EVERYONE,
    "transfer:program_export": MANAGERS,
    "programs:outcome_create": EVERYONE,
    "programs:story_create": EVERYONE,
    "programs:session_attendance": EVERYONE,
    "programs:survey_upload": EVERYONE,
    "programs:survey_detail": EVERYONE,
    "programs:survey_outcome": EVERYONE,
    "programs:grant_list": EVERYONE,
    "programs:grant_edit": EVERYONE,
    "programs:impact_summary": EVERYONE,
    "updates:progress_update_list": EVERYONE,
    "updates:progress_update_review": EVERYONE,
    "updates:progress_update_preview": OWNER_OR_MANAGERS,
    "updates:progress_update_email_html": EVERYONE,
    "updates:progress_update_skip": OWNER_OR_MANAGERS,
    "updates:progress_subscription_create_for_organization": EVERYONE,
    "updates:progress_subscription_create_for_program": EVERYONE,
    "updates:progress_subscription_edit": EVERYONE,
    # Reports and their CSV exports.
    "reports:index": MANAGERS,
    "reports:pipeline": MANAGERS,
    "reports:pipeline_csv": MANAGERS,
    "reports:activity": MANAGERS,
    "reports:activity_csv": MANAGERS,
    "reports:portfolio": MANAGERS,
    "reports:portfolio_csv": MANAGERS,
    "reports:programs": MANAGERS,
    "reports:programs_csv": MANAGERS,
    "reports:retention": MANAGERS,
    "reports:retention_csv": MANAGERS,
    "reports:health": MANAGERS,
    "reports:health_csv": MANAGERS,
    # Partnership health: everyone sees which partnerships need care; managers set the
    # cadences per stage.
    "health:overview": EVERYONE,
    "health:cadences": MANAGERS,
    "reports:reviews": MANAGERS,
    "reports:reviews_csv": MANAGERS,
    # Email.
    "mail:delivery_log": MANAGERS,
    "mail:email_detail": MANAGERS,
    "mail:email_html": MANAGERS,
    "mail:email_retry": MANAGERS,
    # Captured email: anyone files an unfiled email, sets it aside, opens an attachment.
    "inbox:unfiled_list": EVERYONE,
    "inbox:unfiled_detail": EVERYONE,
    "inbox:unfiled_discard": EVERYONE,
    "inbox:set_aside_seen": EVERYONE,
    "inbox:attachment_download": EVERYONE,
    # Email written in Liaison: everyone writes and reads; managers keep the templates and
    # approve the group emails a librarian may not send alone.
    "compose:personal_email": EVERYONE,
    "compose:group_email_list": EVERYONE,
    "compose:group_email_new": EVERYONE,
    "compose:group_email_detail": EVERYONE,
    "compose:group_email_approve": MANAGERS,
    "compose:group_email_decline": MANAGERS,
    "compose:template_list": EVERYONE,
    "compose:template_create": MANAGERS,
    "compose:template_edit": MANAGERS,
    "compose:template_archive": MANAGERS,
    # Agreements: everyone keeps them.
    "agreements:agreement_list": EVERYONE,
    "agreements:agreement_create": EVERYONE,
    "agreements:agreement_detail": EVERYONE,
    "agreements:agreement_edit": EVERYONE,
    # Annual partnership reviews: everyone writes and reads them (the report is for managers).
    "reviews:review_create": EVERYONE,
    "reviews:review_detail": EVERYONE,
    "reviews:review_edit": EVERYONE,
    "reviews:review_history": EVERYONE,
    # Documents: everyone uploads, describes, archives and downloads; managers purge files.
    "documents:document_list": EVERYONE,
    "documents:document_upload": EVERYONE,
    "documents:document_detail": EVERYONE,
    "documents:document_edit": EVERYONE,
    "documents:version_add": EVERYONE,
    "documents:document_archive": EVERYONE,
    "documents:document_purge": MANAGERS,
    "documents:version_download": EVERYONE,
    # Bulk actions: each as its single action allows (the bulk page refuses or leaves out the
    # rest, and says so); its result for the person who made it and managers, who review all.
    "bulk:bulk_choose": EVERYONE,
    "bulk:bulk_run": EVERYONE,
    "bulk:bulk_action_list": MANAGERS,
    "bulk:bulk_action_detail": OWNER_OR_MANAGERS,
    # Playbooks: managers keep them; everyone reads one, applies one to an organization and
    # stops one.
    "playbooks:playbook_list": MANAGERS,
    "playbooks:playbook_create": MANAGERS,
    "playbooks:playbook_detail": EVERYONE,
    "playbooks:playbook_edit": MANAGERS,
    "playbooks:playbook_retire": MANAGERS,
    "playbooks:playbook_apply": EVERYONE,
    "playbooks:run_stop": EVERYONE,
    # Imports.
    "transfer:import_list": MANAGERS,
    "transfer:import_upload": MANAGERS,
    "transfer:import_detail": MANAGERS,
    "transfer:import_confirm": MANAGERS,
    "transfer:import_undo": MANAGERS,
}


def test_every_view_has_a_row():
    names = {name for name, _ in ROUTES} - NOT_ROLE_BASED
    assert names - set(PERMISSIONS) == set(), "views without a row in PERMISSIONS"
    assert set(PERMISSIONS) - names == set(), "rows for views that no longer exist"


def _answer(client, path: str):
    """GET the page; a view that only takes POST is posted to, empty."""
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path)
    return response


@pytest.mark.parametrize("role", ["Librarian", "Manager", "Admin"])
def test_each_role_gets_exactly_what_the_table_says(client, demo, role):
    user = UserFactory(username=f"perm-{role.lower()}", role=role)
    client.force_login(user)
    client.raise_request_exception = False
    wrong = []
    for name, route in ROUTES:
        if name in NOT_ROLE_BASED:
            continue
        allowed = PERMISSIONS[name] == EVERYONE or role in ("Manager", "Admin")
        response = _answer(client, concrete(route, demo))
        refused = response.status_code == 403 or (
            response.status_code == 302 and response.url.startswith(reverse("login"))
        )
        if allowed == refused or response.status_code >= 500:
            wrong.append(
                f"{name}: {role} got {response.status_code}, table says {PERMISSIONS[name]}"
            )
    assert not wrong, "\n".join(wrong)


def test_only_admins_manage_users(client):
    for role, status in (("Librarian", 403), ("Manager", 403), ("Admin", 200)):
        client.force_login(UserFactory(username=f"users-{role.lower()}", role=role))
        response = client.get(reverse("admin:auth_user_changelist"), follow=True)
        assert response.status_code == status, role


def test_a_superuser_without_the_admin_group_has_every_admin_right(client, demo):
    """A superuser (`createsuperuser`, as the README's first steps make one) is an admin whatever
    their groups: core.roles.is_admin, the admin site's has_permission and Django's has_perm."""
    from django.contrib.auth.models import User

    user = User.objects.create_superuser("root", "root@library.example.org", "liaison-test")
    assert not user.groups.exists()
    client.force_login(user)
    client.raise_request_exception = False
    wrong = []
    for name, route in ROUTES:
        if name in NOT_ROLE_BASED:
            continue
        response = _answer(client, concrete(route, demo))
        refused = response.status_code == 403 or (
            response.status_code == 302 and response.url.startswith(reverse("login"))
        )
        if refused or response.status_code >= 500:
            wrong.append(f"{name}: the superuser got {response.status_code}")
    assert not wrong, "\n".join(wrong)
    for admin_page in ("admin:index", "admin:auth_user_changelist", "admin:auth_group_changelist"):
        assert client.get(reverse(admin_page)).status_code == 200, admin_page
