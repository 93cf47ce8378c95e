"""The progress-update pages: setting up a subscription, reviewing, approving or skipping a
draft, the list, and who may do what."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.tests.factories import UserFactory
from partners.services import contact_unsubscribe
from partners.tests.factories import AffiliationFactory
from updates import services as services
from updates.models import ProgressSubscription, ProgressUpdate
from updates.tests.helpers import (
    CONSENTED,
    NEW_YORK,
    SECRET,
    Status,
    draft_february,
    local,
    progress_emails,
    subscribe,
)

pytestmark = pytest.mark.django_db


def test_the_organization_page_offers_progress_updates_and_lists_them(
    librarian_client, partner, librarian
):
    subscribe(partner, librarian)

    response = librarian_client.get(partner.organization.get_absolute_url())

    page = response.content.decode()
    assert "Progress updates" in page
    new = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )
    assert new in page
    assert "Monthly" in page and "To 2 people" in page


def test_the_program_page_offers_progress_updates(librarian_client, partner):
    response = librarian_client.get(partner.program.get_absolute_url())

    new = reverse("updates:progress_subscription_create_for_program", args=[partner.program.pk])
    assert new in response.content.decode()


def test_setting_up_updates_in_the_browser(librarian_client, partner, librarian):
    blocked = AffiliationFactory(
        organization=partner.organization,
        contact__name="Dora Blocked",
        contact__do_not_contact=True,
    ).contact
    url = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )

    page = librarian_client.get(url).content.decode()
    # Everyone at the clinic is listed; who cannot receive updates is shown as such, disabled.
    assert "Ana Ruiz" in page
    assert re.search(rf'value="{blocked.pk}"[^>]*disabled', page)
    assert "Dora Blocked" in page and "cannot receive updates: marked “do not contact”" in page

    response = librarian_client.post(
        url,
        {
            "recipients": [partner.ana.pk, partner.ben.pk],
            "cadence": "quarterly",
            "mode": "review",
            "owner": librarian.pk,
        },
    )

    assert response.status_code == 302
    assert response.url == partner.organization.get_absolute_url()
    subscription = ProgressSubscription.objects.get()
    assert subscription.organization == partner.organization
    assert subscription.created_by == librarian and subscription.owner == librarian
    assert set(subscription.recipients.all()) == {partner.ana, partner.ben}


@pytest.mark.parametrize(
    "data",
    [
        {"cadence": "weekly", "mode": "review"},
        {"cadence": "monthly", "mode": "yolo"},
        {"recipients": ["x"]},
        {"recipients": ["999999999"]},
        {"recipients": ["99999999999999999999999999"]},
        {"recipients": []},
        {"owner": "0"},
        {"owner": "abc"},
    ],
)
def test_hostile_subscription_forms_show_errors_and_save_nothing(
    librarian_client, partner, librarian, data
):
    url = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )
    form = {
        "recipients": [partner.ana.pk],
        "cadence": "monthly",
        "mode": "review",
        "owner": librarian.pk,
        **data,
    }

    response = librarian_client.post(url, form)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ProgressSubscription.objects.exists()


def test_a_tampered_form_cannot_choose_someone_unavailable_or_elsewhere(
    librarian_client, partner, librarian
):
    contact_unsubscribe(contact=partner.ben)
    stranger = AffiliationFactory(contact__email="x@elsewhere.example.org").contact
    url = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )
    for chosen in (partner.ben, stranger):
        response = librarian_client.post(
            url,
            {
                "recipients": [chosen.pk],
                "cadence": "monthly",
                "mode": "review",
                "owner": librarian.pk,
            },
        )
        assert response.status_code == 200
        assert "recipients" in response.context["form"].errors
    assert not ProgressSubscription.objects.exists()


def test_reviewing_a_draft_shows_the_email_and_who_will_be_suppressed(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))
    contact_unsubscribe(contact=partner.ben)

    response = librarian_client.get(update.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Approve and send" in page and "Skip this period" in page
    assert "Will be suppressed" in page and "unsubscribed from progress updates" in page
    # The preview is the email itself: figures, the consented story and never the other one.
    # The page shows its text; its HTML is the frame's own request.
    frame = reverse("updates:progress_update_email_html", args=[update.pk])
    assert f'sandbox src="{frame}"' in page
    html = librarian_client.get(frame).content.decode()
    for preview in (response.context["preview"].body_text, html):
        assert CONSENTED in preview
        assert "Reporting more confidence" in preview
    assert SECRET not in page and SECRET not in html
    assert response.context["preview"].body_html == ""  # not drawn for nothing


def test_approving_in_the_browser_saves_the_edits_and_queues_the_emails(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(
        update.get_absolute_url(),
        {"subject": "  Our  February  ", "message": "We loved it.", "action": "approve"},
        follow=True,
    )

    assert "on its way to 2 people" in response.content.decode()
    update.refresh_from_db()
    assert (update.status, update.subject, update.message) == (
        Status.SENT,
        "Our February",
        "We loved it.",
    )
    assert progress_emails().count() == 2
    # Approving again (a double click, a second tab) changes nothing.
    response = librarian_client.post(
        update.get_absolute_url(),
        {"subject": "Again", "message": "x", "action": "approve"},
        follow=True,
    )
    assert "already sent" in response.content.decode()
    assert progress_emails().count() == 2
    # The sent update shows each email's delivery status.
    page = librarian_client.get(update.get_absolute_url()).content.decode()
    assert "Delivery" in page and "ana@clinic.example.org" in page and "Queued" in page


def test_saving_a_draft_keeps_it_a_draft(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(
        update.get_absolute_url(), {"subject": "New words", "message": "Hello", "action": "save"}
    )

    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.subject) == (Status.DRAFT, "New words")
    assert not progress_emails().exists()


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "", "message": "x", "action": "approve"},
        {"subject": "   ", "message": "x", "action": "approve"},
        {"subject": "x" * 201, "message": "x", "action": "save"},
        {"subject": "ok", "message": "x" * 10_001, "action": "approve"},
        {"action": "approve"},
    ],
)
def test_hostile_review_forms_show_errors_and_send_nothing(
    librarian_client, partner, librarian, data
):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(update.get_absolute_url(), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    update.refresh_from_db()
    assert update.status == Status.DRAFT
    assert not progress_emails().exists()


def test_the_htmx_preview_shows_unsaved_text_without_saving_it(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(
        reverse("updates:progress_update_preview", args=[update.pk]),
        {"subject": "Draft subject", "message": "Words being typed"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Words being typed" in response.context["preview"].body_text
    assert "Draft subject" in response.content.decode()
    update.refresh_from_db()
    assert update.subject != "Draft subject"


def test_a_librarian_who_is_not_the_owner_can_look_but_not_approve_skip_or_edit(
    client, partner, librarian, manager
):
    update = draft_february(subscribe(partner, librarian))
    bob = UserFactory(username="bob")
    client.force_login(bob)

    page = client.get(update.get_absolute_url())
    assert page.status_code == 200
    assert "Approve and send" not in page.content.decode()
    approve = client.post(
        update.get_absolute_url(), {"subject": "x", "message": "y", "action": "approve"}
    )
    skip = client.post(reverse("updates:progress_update_skip", args=[update.pk]))
    preview = client.post(reverse("updates:progress_update_preview", args=[update.pk]))
    edit_url = reverse("updates:progress_subscription_edit", args=[update.subscription.pk])
    edit = client.post(
        edit_url,
        {"recipients": [partner.ana.pk], "cadence": "monthly", "mode": "auto", "owner": bob.pk},
    )

    assert [r.status_code for r in (approve, skip, preview, edit)] == [403, 403, 403, 403]
    assert client.get(edit_url).status_code == 200  # who gets the updates is no secret
    update.refresh_from_db()
    assert update.status == Status.DRAFT
    assert update.subscription.owner == librarian
    assert not progress_emails().exists()


def test_a_manager_may_approve_someone_elses_draft(client, partner, librarian, manager):
    update = draft_february(subscribe(partner, librarian))
    client.force_login(manager)

    response = client.post(
        update.get_absolute_url(), {"subject": "Feb", "message": "", "action": "approve"}
    )

    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.approved_by) == (Status.SENT, manager)


def test_the_owner_may_skip_a_period(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(reverse("updates:progress_update_skip", args=[update.pk]))

    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == Status.SKIPPED


def test_the_owner_edits_the_subscription(librarian_client, partner, librarian):
    subscription = subscribe(partner, librarian)
    url = reverse("updates:progress_subscription_edit", args=[subscription.pk])

    assert librarian_client.get(url).status_code == 200
    response = librarian_client.post(
        url,
        {
            "recipients": [partner.ben.pk],
            "cadence": "quarterly",
            "mode": "auto",
            "owner": librarian.pk,
        },
    )

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.cadence, subscription.mode, subscription.is_active) == (
        "quarterly",
        "auto",
        False,  # the box was left unticked
    )
    assert list(subscription.recipients.all()) == [partner.ben]


def test_the_list_shows_drafts_awaiting_review_first_and_filters_mine_or_all(
    client, partner, librarian, manager
):
    mine = subscribe(partner, librarian)
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 1))
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 4, 1, 1))
    february = ProgressUpdate.objects.get(period_start=dt.date(2026, 2, 1))
    march = ProgressUpdate.objects.get(period_start=dt.date(2026, 3, 1))
    services.progress_update_send(update=march, by=librarian)
    theirs = subscribe(partner, manager, recipients=[partner.ben])
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 1))
    others = ProgressUpdate.objects.get(subscription=theirs)
    assert mine != theirs

    client.force_login(librarian)
    response = client.get(reverse("updates:progress_update_list"))
    assert list(response.context["page"].object_list) == [february, march]
    response = client.get(reverse("updates:progress_update_list"), {"show": "all"})
    assert list(response.context["page"].object_list) == [others, february, march]
    response = client.get(reverse("updates:progress_update_list"), {"show": "<script>"})
    assert response.context["show"] == "mine"


def test_the_preview_escapes_what_the_owner_typed(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))
    hostile = '"><script>alert(1)</script>'
    services.progress_update_edit(update=update, subject=f"Hi {hostile}", message=hostile)

    page = librarian_client.get(update.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    # The email's text version, escaped into a <pre>; its HTML is in a frame of its own.
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    frame = librarian_client.get(
        reverse("updates:progress_update_email_html", args=[update.pk])
    ).content.decode()
    assert "<script>alert(1)" not in frame
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in frame
    preview = librarian_client.post(
        reverse("updates:progress_update_preview", args=[update.pk]),
        {"subject": hostile, "message": hostile},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<script>alert(1)" not in preview
