"""More than 1,000 records: the change runs in a Celery task (queued once, after the action is
saved), with a progress page; run twice, it changes nothing twice."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from bulk import services, tasks
from bulk.models import BulkAction
from bulk.operations import operation_for
from bulk.plans import Plan
from bulk.selection import Selection
from bulk.selectors import progress_key
from bulk.tests.helpers import confirm
from partners.models import Organization
from partners.tags import Tag
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(rosa):
    Organization.objects.bulk_create(
        Organization(name=f"Branch {n:04}", normalized_name=f"branch {n:04}", owner=rosa)
        for n in range(1001)
    )
    return list(Organization.objects.values_list("pk", flat=True))


@pytest.fixture
def queued(monkeypatch):
    """What is sent to the broker (the tests' broker is memory://, nobody reads it)."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.run, "delay", lambda pk: sent.append(pk))
    return sent


def test_over_1000_records_run_in_one_task_with_a_progress_page(
    manager_client, many, queued, django_capture_on_commit_callbacks
):
    tag = Tag.objects.create(name="Branch network")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = confirm(manager_client, "organizations", None, "", action="tag_add", tag=tag.pk)
    bulk_action = BulkAction.objects.get()
    assert len(callbacks) == 1 and queued == [bulk_action.pk]  # queued once, after commit
    assert bulk_action.status == "queued" and bulk_action.count == 1001
    assert not tag.organizations.exists()  # nothing yet: the task does it

    cache.set(progress_key(bulk_action.pk), 250)
    progress = manager_client.get(response.url).content.decode()
    assert 'role="progressbar"' in progress and 'aria-valuenow="250"' in progress
    assert 'aria-valuemax="1001"' in progress and 'hx-trigger="every 2s"' in progress

    tasks.run(bulk_action.pk)  # as the worker runs it

    bulk_action.refresh_from_db()
    assert (bulk_action.status, bulk_action.done) == ("done", 1001)
    assert tag.organizations.count() == 1001
    polled = manager_client.get(
        response.url, headers={"HX-Request": "true", "HX-Target": "progress"}
    )
    assert polled["HX-Refresh"] == "true"
    assert 'aria-valuenow="1001"' in polled.content.decode()


def test_the_task_run_twice_changes_nothing_twice(manager, many, queued, rosa, marcus):
    from bulk.operations import operation_for
    from bulk.plans import Plan

    operation = operation_for("organizations", "owner")
    assert operation is not None
    rows = list(Organization.objects.select_related("owner"))
    plan = Plan(operation, {"owner": marcus}, rows, {}, 0)
    bulk_action = services.bulk_action_start(
        plan=plan, by=manager, selection=Selection("organizations", None, ""), confirmation="c1"
    )
    assert bulk_action.status == "queued"
    tasks.run(bulk_action.pk)
    histories = Organization.history.count()
    tasks.run(bulk_action.pk)  # a redelivery
    assert Organization.history.count() == histories
    assert Organization.objects.filter(owner=marcus).count() == 1001


def test_a_task_that_fails_changes_nothing_and_says_why(manager, many, queued, rosa):
    """A record merged away between the confirmation and the task: its values are gone."""
    from bulk.operations import operation_for
    from bulk.plans import Plan

    operation = operation_for("organizations", "tag_add")
    assert operation is not None
    tag = Tag.objects.create(name="Short-lived")
    rows = list(Organization.objects.all())
    plan = Plan(operation, {"tag": tag, "adding": True}, rows, {}, 0)
    bulk_action = services.bulk_action_start(
        plan=plan, by=manager, selection=Selection("organizations", None, ""), confirmation="c1"
    )
    tag.delete()
    tasks.run(bulk_action.pk)
    bulk_action.refresh_from_db()
    assert bulk_action.status == "failed" and bulk_action.error
    assert bulk_action.finished_at is not None


def test_the_progress_page_is_for_its_maker_and_managers(client, librarian, rosa, manager):
    bulk_action = BulkAction.objects.create(
        records="organizations", action="stage", count=1, summary="1 organization: …", by=rosa
    )
    url = reverse("bulk:bulk_action_detail", args=[bulk_action.pk])
    client.force_login(librarian)
    assert client.get(url).status_code == 403
    client.force_login(rosa)
    assert client.get(url).status_code == 200
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert client.get(reverse("bulk:bulk_action_detail", args=[999999])).status_code == 404


def test_a_task_runner_out_of_reach_fails_the_action_at_once_saying_so(
    manager_client, rosa, marcus, rosas_partners, monkeypatch, django_capture_on_commit_callbacks
):
    from bulk import tasks
    from bulk.tests.helpers import confirm

    def unreachable(*args, **kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(services, "TASK_THRESHOLD", 10)
    monkeypatch.setattr(tasks.run, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            manager_client, "organizations", [p.pk for p in rosas_partners],
            action="owner", owner=marcus.pk,
        )  # fmt: skip
    assert response.status_code == 302
    action = BulkAction.objects.get()
    assert action.status == BulkAction.Status.FAILED
    assert "could not hand the change to its task runner" in action.error
    page = manager_client.get(action.get_absolute_url()).content.decode()
    assert "Nothing was changed" in page


def test_a_cache_out_of_reach_only_stills_the_progress_bar(manager, rosa, marcus, monkeypatch):
    partners = [OrganizationFactory(name=f"P{n}", owner=rosa) for n in range(4)]
    operation = operation_for("organizations", "owner")
    assert operation is not None
    plan = Plan(operation, {"owner": marcus}, partners, {}, 0)

    class Unreachable:
        def set(self, *args, **kwargs):
            raise ConnectionError("cache down")

        delete = set

    monkeypatch.setattr(services, "TASK_THRESHOLD", 1)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(services, "cache", Unreachable())
    recorded = services.bulk_action_record(
        plan=plan, by=manager, selection=Selection("organizations", None, ""), confirmation="c2"
    )
    done = services.bulk_action_run(pk=recorded.pk)
    assert done is not None and done.status == BulkAction.Status.DONE and done.done == 4


def test_records_changed_since_the_confirmation_are_counted_as_left(manager, rosa, marcus):
    partners = [OrganizationFactory(name=f"P{n}", owner=rosa) for n in range(3)]
    operation = operation_for("organizations", "owner")
    assert operation is not None
    plan = Plan(operation, {"owner": marcus}, partners, {}, 0)
    recorded = services.bulk_action_record(
        plan=plan, by=manager, selection=Selection("organizations", None, ""), confirmation="c3"
    )
    Organization.objects.filter(pk=partners[0].pk).update(owner=marcus)  # someone else did it
    done = services.bulk_action_run(pk=recorded.pk)
    assert done is not None
    assert (done.done, done.skipped) == (2, 1)
    assert sorted(done.record_ids) == sorted(p.pk for p in partners[1:])
