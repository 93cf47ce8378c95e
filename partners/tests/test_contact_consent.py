"""Consent flags on a contact: a stale edit form never undoes an unsubscribe or a do-not-contact.

The contact clicks "unsubscribe" in a progress email while a librarian has their edit form open;
the librarian saves having changed only the phone. The flags change only when the person editing
changed them in that form, and an opt-out is undone only by "Subscribe again", which records
who, when and why.
"""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.models import Contact, OptOutChange
from partners.tests.factories import AffiliationFactory

pytestmark = pytest.mark.django_db


class FormReader(HTMLParser):
    """What a browser would post for the page's form with the given action (or the first form)."""

    def __init__(self, action: str | None = None) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.data: dict[str, str] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form" and not self.done:
            self.inside = self.action is None or a.get("action", "") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea" and "disabled" not in a:
            self.textarea = a["name"]
            self.data[a["name"]] = ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_data(response, action: str | None = None) -> dict[str, str]:
    reader = FormReader(action)
    reader.feed(response.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


@pytest.fixture
def ana() -> Contact:
    return AffiliationFactory(
        contact__name="Ana Ruiz", contact__email="ana@clinic.example.org", contact__phone="555-0100"
    ).contact


def edit_url(contact: Contact) -> str:
    return reverse("partners:contact_edit", args=[contact.pk])


def resubscribe_url(contact: Contact) -> str:
    return reverse("partners:contact_resubscribe", args=[contact.pk])


def test_a_stale_edit_form_keeps_an_unsubscribe_made_while_it_was_open(librarian_client, ana):
    opened = librarian_client.get(edit_url(ana))
    services.contact_unsubscribe(contact=ana)  # the contact clicks the link in an email
    unsubscribed_at = Contact.objects.get(pk=ana.pk).opted_out_at

    data = form_data(opened, action="") | {"phone": "555-0199"}
    response = librarian_client.post(edit_url(ana), data)

    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.phone == "555-0199"
    assert ana.opted_out_of_updates
    assert ana.opted_out_at == unsubscribed_at


def test_a_stale_edit_form_keeps_a_do_not_contact_set_while_it_was_open(librarian_client, ana):
    opened = librarian_client.get(edit_url(ana))
    Contact.objects.filter(pk=ana.pk).update(do_not_contact=True)  # a colleague, an import

    data = form_data(opened, action="") | {"phone": "555-0199"}
    assert librarian_client.post(edit_url(ana), data).status_code == 302

    ana.refresh_from_db()
    assert (ana.phone, ana.do_not_contact) == ("555-0199", True)


@pytest.mark.parametrize("start", [False, True])
def test_do_not_contact_changed_in_the_form_is_saved_either_way(librarian_client, ana, start):
    Contact.objects.filter(pk=ana.pk).update(do_not_contact=start)
    data = form_data(librarian_client.get(edit_url(ana)), action="")
    if start:
        del data["do_not_contact"]
    else:
        data["do_not_contact"] = "on"

    assert librarian_client.post(edit_url(ana), data).status_code == 302

    ana.refresh_from_db()
    assert ana.do_not_contact is not start


def test_ticking_opted_out_in_the_form_opts_out_and_records_who(librarian_client, librarian, ana):
    data = form_data(librarian_client.get(edit_url(ana)), action="") | {
        "opted_out_of_updates": "on"
    }

    assert librarian_client.post(edit_url(ana), data).status_code == 302

    ana.refresh_from_db()
    assert ana.opted_out_of_updates and ana.opted_out_at is not None
    change = OptOutChange.objects.get(contact=ana)
    assert (change.opted_out, change.changed_by, change.source) == (
        True,
        librarian,
        OptOutChange.Source.CONTACT_FORM,
    )


def test_the_edit_form_of_an_opted_out_contact_does_not_offer_to_subscribe_again(
    librarian_client, ana
):
    services.contact_unsubscribe(contact=ana)
    response = librarian_client.get(edit_url(ana))

    form = response.context["form"]
    assert form.fields["opted_out_of_updates"].disabled
    assert resubscribe_url(ana) in response.content.decode()

    # A crafted post that "unticks" it changes nothing.
    data = form_data(response, action="") | {"initial-opted_out_of_updates": "True"}
    data.pop("opted_out_of_updates", None)
    assert librarian_client.post(edit_url(ana), data).status_code == 302
    ana.refresh_from_db()
    assert ana.opted_out_of_updates


def test_the_update_service_never_subscribes_an_opted_out_contact_again(ana):
    services.contact_unsubscribe(contact=ana)
    with pytest.raises(ValidationError) as error:
        services.contact_update(contact=ana, opted_out_of_updates=False, phone="555-0199")
    assert "opted_out_of_updates" in error.value.message_dict
    ana.refresh_from_db()
    assert ana.opted_out_of_updates and ana.phone == "555-0100"


def test_the_update_service_saves_only_the_fields_it_is_given(ana):
    stale = Contact.objects.get(pk=ana.pk)
    services.contact_unsubscribe(contact=ana)
    Contact.objects.filter(pk=ana.pk).update(do_not_contact=True)

    services.contact_update(contact=stale, phone="555-0199")

    ana.refresh_from_db()
    assert (ana.phone, ana.do_not_contact, ana.opted_out_of_updates) == ("555-0199", True, True)
    assert (stale.do_not_contact, stale.opted_out_of_updates) == (True, True)


def test_an_unsubscribe_link_is_recorded_in_the_consent_log(ana):
    services.contact_unsubscribe(contact=ana)
    services.contact_unsubscribe(contact=ana)  # twice: recorded once

    change = OptOutChange.objects.get(contact=ana)
    assert change.opted_out and change.changed_by is None
    assert change.source == OptOutChange.Source.UNSUBSCRIBE_LINK


def test_subscribe_again_needs_a_reason_and_records_who_when_and_why(
    librarian_client, librarian, ana
):
    services.contact_unsubscribe(contact=ana)
    page = librarian_client.get(ana.get_absolute_url()).content.decode()
    assert "Subscribe again to progress updates" in page

    refused = librarian_client.post(resubscribe_url(ana), {"reason": "  "})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    ana.refresh_from_db()
    assert ana.opted_out_of_updates

    response = librarian_client.post(
        resubscribe_url(ana), {"reason": "Asked for updates again at the March meeting."}
    )

    assert response.status_code == 302
    ana.refresh_from_db()
    assert not ana.opted_out_of_updates and ana.opted_out_at is None
    change = OptOutChange.objects.filter(contact=ana).first()
    assert change is not None
    assert (change.opted_out, change.changed_by, change.reason) == (
        False,
        librarian,
        "Asked for updates again at the March meeting.",
    )
    page = librarian_client.get(ana.get_absolute_url()).content.decode()
    assert "Asked for updates again at the March meeting." in page
    assert "Subscribe again to progress updates" not in page


def test_the_resubscribe_service_refuses_without_a_reason(librarian, ana):
    services.contact_unsubscribe(contact=ana)
    with pytest.raises(ValidationError):
        services.contact_resubscribe(contact=ana, by=librarian, reason=" ")
    ana.refresh_from_db()
    assert ana.opted_out_of_updates


def test_subscribing_again_a_contact_who_is_subscribed_changes_nothing(librarian, ana):
    assert services.contact_resubscribe(contact=ana, by=librarian, reason="Asked") is None
    assert not OptOutChange.objects.filter(contact=ana).exists()


def test_a_new_contact_can_be_added_already_opted_out(librarian_client, librarian):
    organization = AffiliationFactory().organization
    url = reverse("partners:contact_create", args=[organization.pk])
    data = form_data(librarian_client.get(url), action="") | {
        "name": "Bo Li",
        "email": "bo@example.org",
        "opted_out_of_updates": "on",
        "do_not_contact": "on",
    }

    assert librarian_client.post(url, data).status_code == 302

    bo = Contact.objects.get(name="Bo Li")
    assert bo.opted_out_of_updates and bo.opted_out_at is not None and bo.do_not_contact
    assert OptOutChange.objects.get(contact=bo).changed_by == librarian


def test_a_stale_admin_page_keeps_the_flags_set_while_it_was_open(client, admin_user, ana):
    client.force_login(admin_user)
    url = reverse("admin:partners_contact_change", args=[ana.pk])
    opened = client.get(url)
    services.contact_unsubscribe(contact=ana)
    Contact.objects.filter(pk=ana.pk).update(do_not_contact=True)

    data = form_data(opened, action="") | {"phone": "555-0199", "_save": "Save"}
    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    ana.refresh_from_db()
    assert (ana.phone, ana.do_not_contact, ana.opted_out_of_updates) == ("555-0199", True, True)
