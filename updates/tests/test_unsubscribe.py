"""The one-click unsubscribe link in partner emails: no login, a signed token, RFC 8058."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from partners.services import contact_update
from partners.tests.factories import AffiliationFactory
from updates import unsubscribe
from updates.unsubscribe import contact_for_unsubscribe_token, unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(db):
    return AffiliationFactory(
        contact__name="Ana Ruiz", contact__email="ana.ruiz@clinic.example.org"
    ).contact


def url(token: str) -> str:
    return reverse("updates:unsubscribe", args=[token])


def assert_still_subscribed(contact) -> None:
    contact.refresh_from_db()
    assert not contact.opted_out_of_updates
    assert contact.opted_out_at is None


def test_a_valid_link_opts_the_contact_out_and_dates_it(client, contact):
    response = client.post(url(unsubscribe_token(contact)))

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    contact.refresh_from_db()
    assert contact.opted_out_of_updates
    assert contact.opted_out_at is not None


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(client, contact):
    # Mail scanners and link previews open every link: a GET must never unsubscribe.
    response = client.get(url(unsubscribe_token(contact)))
    client.head(url(unsubscribe_token(contact)))

    assert response.status_code == 200
    page = response.content.decode()
    assert "an•••@clinic.example.org" in page  # masked, not the whole address
    assert "ana.ruiz@clinic.example.org" not in page
    assert '<button type="submit" class="btn btn-primary">Unsubscribe</button>' in page
    assert "the library" in page
    assert 'aria-label="Main"' not in page  # no staff navigation
    assert response["Referrer-Policy"] == "no-referrer"
    assert_still_subscribed(contact)


def test_no_login_is_needed_and_a_signed_in_user_changes_nothing(client, librarian, contact):
    client.force_login(librarian)
    response = client.get(url(unsubscribe_token(contact)))
    assert response.status_code == 200
    assert 'aria-label="Main"' not in response.content.decode()


def test_the_rfc_8058_one_click_post_works_without_a_csrf_token(contact):
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(
        url(unsubscribe_token(contact)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.opted_out_of_updates


def test_unsubscribing_twice_keeps_the_first_date(client, contact):
    token = unsubscribe_token(contact)
    client.post(url(token))
    contact.refresh_from_db()
    first = contact.opted_out_at

    response = client.post(url(token))

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.opted_out_at == first
    assert "already unsubscribed" in client.get(url(token)).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_a_bad_request_and_changes_nothing(client, contact, method):
    token = unsubscribe_token(contact)
    payload, _, rest = token.partition(":")
    other = AffiliationFactory(contact__email="someone@else.example.org").contact
    # The payload of another contact's token grafted onto this token's signature.
    grafted = unsubscribe_token(other).partition(":")[0] + ":" + rest
    for bad in (
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        payload,
        grafted,
        "not-a-token",
        "x" * 5000,
    ):
        response = getattr(client, method)(url(bad))
        assert response.status_code == 400, bad
        assert "does not work" in response.content.decode()
        assert "Nothing was changed" in response.content.decode()
    assert_still_subscribed(contact)
    assert_still_subscribed(other)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_with_a_foreign_signature_is_a_bad_request_and_changes_nothing(
    client, contact, method
):
    payload = {"c": contact.pk, "e": unsubscribe._fingerprint(contact.email)}
    for foreign in (
        signing.dumps(payload, salt="some.other.salt"),
        signing.dumps(payload),  # Django's default salt
        signing.dumps(payload, key="another-secret-key", salt=unsubscribe.SALT),
        signing.Signer(salt=unsubscribe.SALT).sign(str(contact.pk)),
    ):
        response = getattr(client, method)(url(foreign))
        assert response.status_code == 400
    assert_still_subscribed(contact)


def test_a_link_sent_to_an_old_address_no_longer_works_once_the_email_changed(client, contact):
    token = unsubscribe_token(contact)
    contact_update(contact=contact, email="new.person@clinic.example.org")

    response = client.post(url(token))

    assert response.status_code == 400
    assert_still_subscribed(contact)
    assert contact_for_unsubscribe_token(unsubscribe_token(contact)) == contact


def test_a_link_for_a_contact_deleted_since_is_a_bad_request(client, contact):
    token = unsubscribe_token(contact)
    contact.delete()

    assert client.post(url(token)).status_code == 400


def test_a_signed_value_that_is_not_an_unsubscribe_payload_is_refused(client, contact):
    for value in (contact.pk, [contact.pk], {"c": str(contact.pk), "e": "x"}, {"c": True}):
        assert client.post(url(signing.dumps(value, salt=unsubscribe.SALT))).status_code == 400
    assert_still_subscribed(contact)


def test_the_unsubscribe_page_queries(client, contact, django_assert_max_num_queries):
    token = unsubscribe_token(contact)
    # The session (anonymous, none), the contact; the POST adds the locked read, the update,
    # its row in the contact's change history and its row in the consent log (OptOutChange).
    with django_assert_max_num_queries(2):
        assert client.get(url(token)).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.post(url(token)).status_code == 200
