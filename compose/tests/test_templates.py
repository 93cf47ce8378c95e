"""Email templates: managers keep the list, everyone writes from it; archived, never deleted."""

import pytest
from django.urls import reverse

from compose.models import EmailTemplate
from compose.services import email_template_create

pytestmark = pytest.mark.django_db

LIST = reverse("compose:template_list")
NEW = reverse("compose:template_create")


def test_a_manager_adds_a_template(manager_client, manager):
    response = manager_client.post(
        NEW,
        {"name": "Invitation", "subject": "Join us, {organization}", "body": "Dear {first_name}"},
    )
    assert response.status_code == 302
    template = EmailTemplate.objects.get()
    assert template.subject == "Join us, {organization}" and template.created_by == manager
    assert "Invitation" in manager_client.get(LIST).content.decode()


def test_an_unknown_merge_field_or_a_taken_name_is_refused_next_to_the_field(
    manager_client, manager
):
    email_template_create(name="Invitation", subject="Hi", body="Hi", by=manager)
    response = manager_client.post(
        NEW, {"name": "invitation", "subject": "{orgnization}", "body": "Dear {first_name}"}
    )
    page = response.content.decode()
    assert "Liaison does not know {orgnization}" in page
    assert EmailTemplate.objects.count() == 1
    response = manager_client.post(NEW, {"name": "invitation", "subject": "Hi", "body": "Hi"})
    assert "A template has this name already" in response.content.decode()
    assert EmailTemplate.objects.count() == 1


def test_an_edit_opened_before_someone_elses_save_does_not_overwrite_it(manager_client, manager):
    template = email_template_create(name="Invitation", subject="Hi", body="Old", by=manager)
    url = reverse("compose:template_edit", args=[template.pk])
    opened = manager_client.get(url).context["form"]
    version = opened["version"].initial
    EmailTemplate.objects.filter(pk=template.pk).update(body="Changed by a colleague")
    response = manager_client.post(
        url, {"name": "Invitation", "subject": "Hi", "body": "Mine", "version": version}
    )
    assert response.status_code == 200 and response.context["form"].conflict is not None
    template.refresh_from_db()
    assert template.body == "Changed by a colleague"


def test_archiving_takes_a_template_out_of_the_choices_and_keeps_it(
    client, manager, librarian, clinic
):
    template = email_template_create(name="Invitation", subject="Hi", body="Hi", by=manager)
    client.force_login(manager)
    client.post(reverse("compose:template_archive", args=[template.pk]))
    template.refresh_from_db()
    assert template.is_archived
    assert "Invitation" in client.get(LIST + "?show=archived").content.decode()
    client.force_login(librarian)
    page = client.get(
        reverse("compose:personal_email") + f"?organization={clinic.pk}"
    ).content.decode()
    assert "Invitation" not in page
    client.force_login(manager)
    client.post(reverse("compose:template_archive", args=[template.pk]), {"archived": "no"})
    template.refresh_from_db()
    assert not template.is_archived


def test_librarians_read_the_templates_but_do_not_change_them(librarian_client, manager):
    template = email_template_create(name="Invitation", subject="Hi", body="Hi", by=manager)
    page = librarian_client.get(LIST).content.decode()
    assert "Invitation" in page and "New template" not in page
    assert librarian_client.get(NEW).status_code == 403
    edit = reverse("compose:template_edit", args=[template.pk])
    assert (
        librarian_client.post(edit, {"name": "X", "subject": "X", "body": "X"}).status_code == 403
    )


def test_a_signature_is_kept_on_the_profile_and_ends_the_email(librarian_client, librarian):
    response = librarian_client.post(
        reverse("profile"),
        {"form": "other-addresses", "addresses": "", "signature": "Alice\nOutreach librarian"},
    )
    assert response.status_code == 302
    librarian.profile.refresh_from_db()
    assert librarian.profile.email_signature == "Alice\nOutreach librarian"
