"""Archived, never deleted: not even the Admin role deletes partner records in the Django admin.

Organizations are archived (an admin action); a duplicate merged into another is deleted by the
merge service (partners.merge), never here.
"""

from collections.abc import Callable

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.urls import reverse
from django.utils import timezone

from inbox.models import CapturedEmail
from mail.models import OutgoingEmail
from outreach.models import Meeting, Touchpoint
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from partners.models import Contact, OptOutChange, Organization, StageChange
from partners.tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _email() -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        kind="progress_update",
        idempotency_key="admin-delete-1",
        to_address="ana@clinic.example.org",
        subject="Our quarter together",
        body_text="…",
        message_id="<admin-delete-1@liaison>",
    )


def _opt_out_change() -> OptOutChange:
    return OptOutChange.objects.create(
        contact=ContactFactory(), opted_out=True, source=OptOutChange.Source.UNSUBSCRIBE_LINK
    )


def _captured_email() -> CapturedEmail:
    return CapturedEmail.objects.create(
        message_id="<admin-delete-2@x.org>",
        thread_key="<admin-delete-2@x.org>",
        direction=CapturedEmail.Direction.IN,
        from_address="ana@clinic.example.org",
        sent_at=timezone.now(),
        status=CapturedEmail.Status.UNFILED,
    )


KEPT: list[tuple[type[models.Model], Callable[[], models.Model]]] = [
    (Organization, OrganizationFactory.create),
    (Contact, ContactFactory.create),
    (Touchpoint, TouchpointFactory.create),
    (Meeting, MeetingFactory.create),
    (StageChange, lambda: OrganizationFactory().stage_changes.get()),
    (OutgoingEmail, _email),
    (OptOutChange, _opt_out_change),
    (CapturedEmail, _captured_email),
]


def admin_url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(("model", "make"), KEPT, ids=[m._meta.label for m, _ in KEPT])
def test_the_admin_role_cannot_delete_in_the_admin(admin_client, model, make):
    record = make()
    before = {m: m._base_manager.count() for m, _ in KEPT}
    delete = admin_url(model, "delete", record.pk)

    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403

    changelist = admin_url(model, "changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    action_form = page.context["action_form"]  # None where no action is left
    actions = [name for name, _ in action_form.fields["action"].choices] if action_form else []
    assert "delete_selected" not in actions
    admin_client.post(
        changelist,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [record.pk], "post": "yes"},
    )

    assert model._base_manager.filter(pk=record.pk).exists()
    assert {m: m._base_manager.count() for m, _ in KEPT} == before


def test_no_inline_on_an_organization_or_contact_page_deletes(admin_client):
    organization = OrganizationFactory()
    contact = ContactFactory()
    for url in (
        admin_url(Organization, "change", organization.pk),
        admin_url(Contact, "change", contact.pk),
    ):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert not page.context["has_delete_permission"], url
        for inline in page.context["inline_admin_formsets"]:
            if inline.opts.model is StageChange:
                assert not inline.formset.can_delete, url


def test_organizations_are_archived_from_the_admin_list(admin_client):
    organization = OrganizationFactory()
    response = admin_client.post(
        admin_url(Organization, "changelist"),
        {"action": "archive", ACTION_CHECKBOX_NAME: [organization.pk]},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.is_archived and organization.archived_at is not None
