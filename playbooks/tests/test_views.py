"""The playbook pages, the organization's Playbooks section, applying and stopping from them:
what each role may do, bad input answered next to its field (never a 500, nothing half-saved),
and a fixed number of queries whatever the number of playbooks, runs and steps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tests.factories import UserFactory
from outreach.models import FollowUp
from outreach.services import followup_complete
from partners.models import Organization
from partners.tests.factories import OrganizationFactory
from playbooks.models import CountedFrom, Playbook, PlaybookRun
from playbooks.panels import organization_playbooks
from playbooks.services import StepSpec, playbook_apply, playbook_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(librarian):
    return OrganizationFactory(
        name="Eastside Clinic", kind=Organization.Kind.HEALTH, owner=librarian
    )


def _playbook(manager, name: str = "Clinic intro", steps: int = 3) -> Playbook:
    specs = [StepSpec(title=f"Step one of {name}", offset_days=0)] + [
        StepSpec(title=f"Step {n} of {name}", offset_days=n, counted_from=CountedFrom.PREVIOUS)
        for n in range(2, steps + 1)
    ]
    return playbook_create(name=name, steps=specs, by=manager)


def _form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "School year kickoff",
        "description": "",
        "kind": "school",
        "auto_apply_stage": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "50",
        "steps-0-title": "Email the principal",
        "steps-0-offset_days": "0",
        "steps-0-counted_from": "start",
        "steps-0-done_by": "owner",
        "steps-1-title": "Visit",
        "steps-1-offset_days": "7",
        "steps-1-counted_from": "previous",
        "steps-1-done_by": "applier",
    }
    data.update(overrides)
    return data


def _section(organization: Organization) -> str:
    """The organization's Playbooks section, fetched on its own as its page does."""
    return (
        reverse("panel", args=["organization", "organization-playbooks"]) + f"?of={organization.pk}"
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_manager_writes_a_playbook_with_its_steps(manager_client):
    response = manager_client.post(reverse("playbooks:playbook_create"), _form_data())
    playbook = Playbook.objects.get(name="School year kickoff")
    assert response.status_code == 302
    assert [(s.title, s.offset_days, s.counted_from) for s in playbook.steps.all()] == [
        ("Email the principal", 0, "start"),
        ("Visit", 7, "previous"),
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"steps-1-offset_days": "-3"}, "steps-1-offset_days", "greater than or equal to 0"),
        ({"steps-1-offset_days": "ten"}, "steps-1-offset_days", "whole number"),
        ({"steps-1-done_by": "person"}, "steps-1-person", "Choose the person"),
        ({"steps-1-done_by": "person", "steps-1-person": "987654"}, "steps-1-person", "valid"),
        ({"steps-0-counted_from": "previous"}, None, "has no step before it"),
        (
            # Both rows as a browser sends an empty new row: left out, so no step at all.
            {"steps-0-title": "", "steps-1-title": "", "steps-1-offset_days": "0"},
            None,
            "Write at least one step.",
        ),
        ({"name": ""}, "name", "required"),
        ({"steps-TOTAL_FORMS": "x"}, None, "Enter a whole number"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    manager_client, overrides, field, message
):
    data = _form_data(**overrides)
    if "steps-1-title" in overrides:
        data.update({"steps-1-counted_from": "start", "steps-1-done_by": "owner"})
    response = manager_client.post(reverse("playbooks:playbook_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    if field:
        assert f'id="id_{field}"' in response.content.decode()
    assert not Playbook.objects.filter(name="School year kickoff").exists()


def test_a_name_taken_is_refused(manager_client, manager):
    _playbook(manager, "School year kickoff")
    response = manager_client.post(reverse("playbooks:playbook_create"), _form_data())
    assert response.status_code == 400
    assert "A playbook has this name already." in response.content.decode()


def test_editing_replaces_the_steps_and_keeps_runs_as_they_were(
    manager_client, manager, clinic, librarian
):
    playbook = _playbook(manager, "School year kickoff", steps=2)
    run = playbook_apply(playbook=playbook, organization=clinic, by=librarian)
    url = reverse("playbooks:playbook_edit", args=[playbook.pk])
    form = manager_client.get(url).context["form"]
    data = _form_data(
        version=form["version"].initial, steps_as_opened=form["steps_as_opened"].initial
    )
    data.update({"steps-INITIAL_FORMS": "2"})
    response = manager_client.post(url, data)
    assert response.status_code == 302
    assert [s.title for s in playbook.steps.all()] == ["Email the principal", "Visit"]
    assert [s.title for s in run.steps.all()][0] == "Step one of School year kickoff"


def test_changing_one_step_keeps_the_steps_left_as_they_were(manager_client, manager):
    playbook = _playbook(manager, "Clinic intro", steps=3)
    url = reverse("playbooks:playbook_edit", args=[playbook.pk])
    form = manager_client.get(url).context["form"]
    data = _form_data(
        name="Clinic intro",
        kind="",
        version=form["version"].initial,
        steps_as_opened=form["steps_as_opened"].initial,
        **{"steps-TOTAL_FORMS": "5", "steps-INITIAL_FORMS": "3"},
    )
    for n, step in enumerate(playbook.steps.all()):
        data |= {
            f"steps-{n}-title": step.title,
            f"steps-{n}-offset_days": str(step.offset_days),
            f"steps-{n}-counted_from": step.counted_from,
            f"steps-{n}-done_by": step.done_by,
        }
    for n in (3, 4):  # the two empty rows, as the browser sends them
        data |= {f"steps-{n}-offset_days": "0", f"steps-{n}-counted_from": "start"}
        data |= {f"steps-{n}-done_by": "owner"}
    data["steps-0-title"] = "Step one, renamed"

    response = manager_client.post(url, data)

    assert response.status_code == 302
    assert [s.title for s in playbook.steps.all()] == [
        "Step one, renamed",
        "Step 2 of Clinic intro",
        "Step 3 of Clinic intro",
    ]


def test_an_edit_made_meanwhile_is_a_conflict_not_overwritten(manager_client, manager):
    playbook = _playbook(manager, "School year kickoff", steps=2)
    url = reverse("playbooks:playbook_edit", args=[playbook.pk])
    form = manager_client.get(url).context["form"]
    opened = {
        "version": form["version"].initial,
        "steps_as_opened": form["steps_as_opened"].initial,
    }
    Playbook.objects.filter(pk=playbook.pk).update(description="Changed by a colleague")
    response = manager_client.post(url, _form_data(**opened, description="Mine"))
    assert response.status_code == 400
    assert "since you opened it" in response.content.decode()
    playbook.refresh_from_db()
    assert playbook.description == "Changed by a colleague"


def test_a_librarian_applies_a_playbook_from_the_organization_page(
    librarian_client, manager, clinic
):
    playbook = _playbook(manager)
    page = librarian_client.get(_section(clinic)).content.decode()
    assert "Apply a playbook…" in page
    response = librarian_client.post(
        reverse("playbooks:playbook_apply", args=[clinic.pk]),
        {"playbook": playbook.pk, "start_on": "2026-01-31"},
    )
    assert response.status_code == 302
    run = PlaybookRun.objects.get(organization=clinic)
    assert run.started_on.isoformat() == "2026-01-31"
    page = librarian_client.get(_section(clinic)).content.decode()
    assert "Step one of Clinic intro" in page
    assert "waiting for step 1" in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"playbook": "999999", "start_on": "2026-01-31"},
        {"playbook": "x", "start_on": "31/01/2026"},
        {"playbook": "", "start_on": "9999-12-31"},
    ],
)
def test_applying_with_bad_input_applies_nothing_and_says_why(librarian_client, clinic, data):
    response = librarian_client.post(reverse("playbooks:playbook_apply", args=[clinic.pk]), data)
    assert response.status_code == 302
    assert not PlaybookRun.objects.exists()
    page = librarian_client.get(response.url).content.decode()
    assert "Nothing was applied" in page


def test_applying_twice_says_it_is_running_already(librarian_client, manager, clinic):
    playbook = _playbook(manager)
    url = reverse("playbooks:playbook_apply", args=[clinic.pk])
    librarian_client.post(url, {"playbook": playbook.pk, "start_on": "2026-01-31"})
    response = librarian_client.post(url, {"playbook": playbook.pk, "start_on": "2026-01-31"})
    assert "already running here" in librarian_client.get(response.url).content.decode()
    assert PlaybookRun.objects.count() == 1


def test_stopping_needs_a_reason_then_cancels_the_open_steps(
    librarian_client, librarian, manager, clinic
):
    run = playbook_apply(playbook=_playbook(manager), organization=clinic, by=librarian)
    url = reverse("playbooks:run_stop", args=[run.pk])
    assert "Why stop it?" in librarian_client.get(url).content.decode()
    response = librarian_client.post(url, {"reason": ""})
    assert response.status_code == 400
    run.refresh_from_db()
    assert run.status == PlaybookRun.Status.RUNNING
    response = librarian_client.post(url, {"reason": "They closed the clinic."})
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.stopped_by, run.stop_reason) == (
        "stopped",
        librarian,
        "They closed the clinic.",
    )
    assert FollowUp.objects.get(organization=clinic).status == FollowUp.Status.CANCELLED
    page = librarian_client.get(_section(clinic)).content.decode()
    assert "They closed the clinic." in page
    assert librarian_client.post(url, {"reason": "Again"}).status_code == 302


def test_only_managers_keep_playbooks(librarian_client, manager):
    playbook = _playbook(manager)
    assert librarian_client.get(reverse("playbooks:playbook_list")).status_code == 403
    assert (
        librarian_client.get(reverse("playbooks:playbook_edit", args=[playbook.pk])).status_code
        == 403
    )
    response = librarian_client.post(reverse("playbooks:playbook_retire", args=[playbook.pk]))
    assert response.status_code == 403
    assert librarian_client.get(playbook.get_absolute_url()).status_code == 200


def test_a_retired_playbook_is_no_longer_offered(manager_client, manager, clinic):
    playbook = _playbook(manager, "Old habits")
    manager_client.post(reverse("playbooks:playbook_retire", args=[playbook.pk]))
    playbook.refresh_from_db()
    assert playbook.is_retired
    page = manager_client.get(_section(clinic)).content.decode()
    assert ">Old habits</option>" not in page


def test_the_list_and_a_playbook_page_take_the_same_queries_whatever_their_size(
    manager_client, manager, librarian
):
    first = _playbook(manager, "First", steps=2)
    list_url, page_url = reverse("playbooks:playbook_list"), first.get_absolute_url()
    small = _queries(manager_client, list_url), _queries(manager_client, page_url)
    for n in range(5):
        playbook = _playbook(manager, f"More {n}", steps=2)
        playbook_apply(playbook=playbook, organization=OrganizationFactory(), by=librarian)
    first.steps.all().delete()
    _playbook(manager, "Bigger", steps=8)
    bigger = Playbook.objects.get(name="Bigger")
    assert (
        _queries(manager_client, list_url),
        _queries(manager_client, bigger.get_absolute_url()),
    ) == small


def test_the_edit_form_takes_the_same_queries_whatever_the_number_of_steps(manager_client, manager):
    short, long = _playbook(manager, "Short", steps=1), _playbook(manager, "Long", steps=9)
    assert _queries(
        manager_client, reverse("playbooks:playbook_edit", args=[short.pk])
    ) == _queries(manager_client, reverse("playbooks:playbook_edit", args=[long.pk]))


def test_the_playbooks_section_takes_three_queries_whatever_the_runs(
    rf, librarian, manager, clinic, django_assert_num_queries
):
    for n in range(3):
        run = playbook_apply(
            playbook=_playbook(manager, f"P{n}", steps=4), organization=clinic, by=librarian
        )
        followup_complete(followup=run.steps.get(position=1).followup, by=librarian)  # type: ignore[arg-type]
    request = rf.get("/")
    request.user = librarian
    # The runs, their steps with their follow-ups and assignees, the playbooks offered.
    with django_assert_num_queries(3):
        context = organization_playbooks(request, clinic)
        assert context is not None
        runs = context["runs"]
        assert [[s.followup.assignee.username for s in r.steps.all() if s.followup] for r in runs]


def test_the_section_on_its_own_takes_the_same_queries_with_more_runs(
    librarian_client, librarian, manager, clinic
):
    playbook_apply(playbook=_playbook(manager, "A", steps=2), organization=clinic, by=librarian)
    small = _queries(librarian_client, _section(clinic))
    for n in range(3):
        playbook_apply(
            playbook=_playbook(manager, f"B{n}", steps=6), organization=clinic, by=librarian
        )
    UserFactory(username="another-person")
    assert _queries(librarian_client, _section(clinic)) == small
