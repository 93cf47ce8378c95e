"""A bulk change and the people working meanwhile (PostgreSQL, real transactions in threads):
what a colleague saves during the run is kept, a stage change elsewhere waits rather than
deadlocks, and a confirmation sent twice is one action."""

import threading
import time

import pytest
from django.db import connections, transaction
from django.urls import reverse

from bulk import services
from bulk.models import BulkAction
from bulk.tests.helpers import choose, hidden_fields
from core.tests import races
from partners.models import Organization, Stage
from partners.services import organization_update, stage_change
from partners.tags import Tag, record_tags_set
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Colleague(threading.Thread):
    """A colleague's save in a connection of its own, started while the bulk change runs."""

    def __init__(self, work):
        super().__init__()
        self.work, self.errors = work, []

    def run(self):
        try:
            self.work()
        except Exception as error:  # noqa: BLE001 - any error is the failure
            self.errors.append(error)
        finally:
            connections.close_all()


def _meanwhile(monkeypatch, work) -> Colleague:
    """`work` starts in another connection after the bulk change's first record, and is given
    time to reach the database before the run goes on."""
    colleague = Colleague(work)
    real = services._ticker

    def ticker(pk, *, shown):
        tick = real(pk, shown=shown)

        def first_then_colleague():
            tick()
            if not colleague.is_alive() and colleague.ident is None:
                colleague.start()
                time.sleep(0.5)

        return first_then_colleague

    monkeypatch.setattr(services, "_ticker", ticker)
    return colleague


def _confirmed(client, records, ids, **action):
    page = choose(client, records, ids, **action)
    return client.post(reverse("bulk:bulk_run"), hidden_fields(page.content.decode()))


@races.needs_row_locks
def test_what_a_colleague_saves_during_the_run_is_kept(
    client, manager, librarian, rosa, marcus, monkeypatch
):
    partners = [OrganizationFactory(name=f"P{n}", owner=rosa, mission="old") for n in range(3)]
    last = partners[-1]

    def edit_form_saved():
        # As an edit form saves (core.conflicts.save_unless_changed): the record read afresh,
        # locked, in the save's transaction.
        with transaction.atomic():
            current = Organization.objects.select_for_update().get(pk=last.pk)
            organization_update(organization=current, by=librarian, mission="New")

    colleague = _meanwhile(monkeypatch, edit_form_saved)
    client.force_login(manager)
    _confirmed(client, "organizations", [p.pk for p in partners], action="owner", owner=marcus.pk)
    colleague.join(10)
    assert not colleague.is_alive() and not colleague.errors
    last.refresh_from_db()
    assert (last.owner, last.mission) == (marcus, "New")  # both: hers after the bulk change
    assert BulkAction.objects.get().status == BulkAction.Status.DONE


@races.needs_row_locks
def test_a_tag_added_during_the_run_stays(client, manager, librarian, rosa, monkeypatch):
    partners = [OrganizationFactory(name=f"P{n}", owner=rosa) for n in range(3)]
    spanish, mou = Tag.objects.create(name="Spanish-speaking"), Tag.objects.create(name="MOU")
    last = partners[-1]
    colleague = _meanwhile(
        monkeypatch,
        lambda: record_tags_set(record=Organization.objects.get(pk=last.pk), tags=[mou]),
    )
    client.force_login(manager)
    _confirmed(client, "organizations", [p.pk for p in partners], action="tag_add", tag=spanish.pk)
    colleague.join(10)
    assert not colleague.errors
    assert set(last.tags.values_list("name", flat=True)) == {"Spanish-speaking", "MOU"}


@races.needs_row_locks
@pytest.mark.parametrize("action", ["owner", "stage"])
def test_a_stage_change_elsewhere_during_the_run_waits_rather_than_deadlocks(
    client, manager, librarian, rosa, marcus, monkeypatch, action
):
    partners = [
        OrganizationFactory(name=f"P{n}", owner=rosa, stage=Stage.CONTACTED) for n in range(3)
    ]
    last = partners[-1]
    colleague = _meanwhile(
        monkeypatch,
        lambda: stage_change(
            organization=Organization.objects.get(pk=last.pk),
            to_stage=Stage.IN_DISCUSSION,
            by=librarian,
        ),
    )
    client.force_login(manager)
    values = {"owner": marcus.pk} if action == "owner" else {"stage": Stage.ACTIVE, "note": ""}
    _confirmed(client, "organizations", [p.pk for p in partners], action=action, **values)
    colleague.join(10)
    assert not colleague.errors
    assert BulkAction.objects.get().status == BulkAction.Status.DONE
    last.refresh_from_db()
    assert last.stage == Stage.IN_DISCUSSION  # hers, made once the bulk change was saved


def test_a_confirmation_sent_twice_is_one_action(client, manager, rosa, marcus):
    partners = [OrganizationFactory(name=f"P{n}", owner=rosa) for n in range(3)]
    client.force_login(manager)
    page = choose(
        client, "organizations", [p.pk for p in partners], action="owner", owner=marcus.pk
    )
    fields = hidden_fields(page.content.decode())
    first = client.post(reverse("bulk:bulk_run"), fields)
    again = client.post(reverse("bulk:bulk_run"), fields)  # back, and Confirm again
    assert first["Location"] == again["Location"]
    action = BulkAction.objects.get()
    assert action.done == 3
    assert all(p.history.count() == 2 for p in Organization.objects.all())  # made, changed


@races.needs_row_locks
def test_two_confirmations_at_once_are_one_action(client, manager, rosa, marcus):
    partners = [OrganizationFactory(name=f"P{n}", owner=rosa) for n in range(3)]
    client.force_login(manager)
    page = choose(
        client, "organizations", [p.pk for p in partners], action="owner", owner=marcus.pk
    )
    fields = hidden_fields(page.content.decode())
    cookies = client.cookies
    answers = []

    def press():
        from django.test import Client

        other = Client()
        other.cookies = cookies
        answers.append(other.post(reverse("bulk:bulk_run"), fields).status_code)

    presses = [Colleague(press) for _ in range(2)]
    for each in presses:
        each.start()
    for each in presses:
        each.join(20)
    assert answers == [302, 302]
    assert BulkAction.objects.count() == 1
    assert all(p.history.count() == 2 for p in Organization.objects.all())
