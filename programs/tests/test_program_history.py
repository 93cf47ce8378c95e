"""A program's change history: who changed it, when, each field from what to what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.history import history_context
from core.tests.forms import posted_form
from programs.models import Program
from programs.services import programs as services
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def history_panel(response) -> dict:
    for shown in response.context["panels"]["side"]:
        if shown.template == "core/partials/history_panel.html":
            # The page defers it (core.panels): fetched as the page's htmx does.
            assert shown.deferred
            panel = response.client.get(shown.url, headers={"HX-Request": "true"})
            assert panel.status_code == 200
            return panel.context
    raise AssertionError("no History panel on the page")


def test_a_program_edited_on_its_page_is_in_its_history(librarian_client, librarian, colleague):
    program = ProgramFactory(title="Job skills workshops")
    url = reverse("programs:program_edit", args=[program.pk])
    data = posted_form(librarian_client.get(url), status="active", lead=str(colleague.pk))
    assert librarian_client.post(url, data).status_code == 302

    page = librarian_client.get(program.get_absolute_url())

    entry = history_panel(page)["history_entries"][0]
    assert entry.who == librarian
    changes = {change.label: (change.old, change.new) for change in entry.changes}
    assert changes == {"Status": ("Planning", "Active"), "Lead staff member": ("—", "Sam Ortiz")}
    assert "Sam Ortiz" in page.content.decode()
    history = librarian_client.get(reverse("programs:program_history", args=[program.pk]))
    assert [e.action for e in history.context["page"].object_list] == ["Changed", "Created"]


def busy_program(changes: int, user) -> Program:
    program = ProgramFactory()
    with history_context(by=user):
        for i in range(changes):
            program.goals = f"Goal {i}"
            program.lead = user if i % 2 else None
            services.program_save(program=program)
    return program


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_history_panel_and_page_run_the_same_queries_for_few_or_many_changes(
    librarian_client, colleague
):
    few, many = busy_program(2, colleague), busy_program(30, colleague)
    for url in (
        lambda p: p.get_absolute_url(),
        lambda p: reverse("programs:program_history", args=[p.pk]),
    ):
        assert queries(librarian_client, url(few)) == queries(librarian_client, url(many))
