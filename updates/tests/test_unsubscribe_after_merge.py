"""An unsubscribe link keeps working after its contact was merged into another: the person opted
out is the contact kept, found through the merge record."""

import pytest
from django.urls import reverse

from mail.models import OutgoingEmail
from partners import merge
from partners.models import Contact
from partners.services import contact_update
from partners.tests.factories import ContactFactory
from updates.unsubscribe import unsubscribe_token, unsubscribe_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair() -> tuple[Contact, Contact]:
    kept = ContactFactory(name="Maria Delgado", email="mdelgado@health.example.gov")
    merged = ContactFactory(name="María Delgado-Ruiz", email="maria@home.example.com")
    return kept, merged


def path_of(url: str) -> str:
    return url[url.index("/unsubscribe/") :]


def assert_unsubscribes(client, token_path: str, contact: Contact) -> None:
    page = client.get(token_path)
    assert page.status_code == 200
    assert "Unsubscribe from progress updates" in page.content.decode()
    done = client.post(token_path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    contact.refresh_from_db()
    assert contact.opted_out_of_updates and contact.opted_out_at is not None


def test_a_link_sent_before_a_merge_unsubscribes_the_contact_kept(client, manager, pair):
    kept, merged = pair
    link = path_of(unsubscribe_url(merged))  # the footer of an email sent to the duplicate
    OutgoingEmail.objects.create(
        kind="progress_update",
        idempotency_key="update-before-merge",
        to_address=merged.email,
        contact=merged,
        subject="Our quarter together",
        body_text=f"Unsubscribe: {link}",
        message_id="<before-merge@liaison>",
    )

    merge.contact_merge(survivor=kept, other=merged, fields={}, by=manager)

    assert_unsubscribes(client, link, kept)


def test_the_link_works_when_the_kept_contact_took_the_merged_email(client, manager, pair):
    kept, merged = pair
    link = reverse("updates:unsubscribe", args=[unsubscribe_token(merged)])
    merge.contact_merge(survivor=kept, other=merged, fields={"email": "other"}, by=manager)

    assert_unsubscribes(client, link, kept)


def test_the_link_follows_a_chain_of_merges(client, manager, pair):
    kept, merged = pair
    link = reverse("updates:unsubscribe", args=[unsubscribe_token(merged)])
    merge.contact_merge(survivor=kept, other=merged, fields={}, by=manager)
    final = ContactFactory(name="M. Delgado", email="m.delgado@county.example.gov")
    merge.contact_merge(survivor=final, other=kept, fields={}, by=manager)

    assert_unsubscribes(client, link, final)


def test_a_link_to_an_address_the_merged_contact_no_longer_had_does_not_work(client, manager, pair):
    kept, merged = pair
    link = reverse("updates:unsubscribe", args=[unsubscribe_token(merged)])
    contact_update(contact=merged, email="someone.else@home.example.com")
    merge.contact_merge(survivor=kept, other=merged, fields={}, by=manager)

    assert client.post(link).status_code == 400
    kept.refresh_from_db()
    assert not kept.opted_out_of_updates
