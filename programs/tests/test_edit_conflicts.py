"""Two people edit the same program or grant: the second save no longer erases the first one's.

Open the form, change the record behind it (a colleague, through the service), post the old
form: nothing is saved and the form says who changed it and when, each conflicting field side
by side. Posting that form again saves it, deliberately.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.history import history_context
from core.tests.forms import posted_form
from programs.models import Grant, Program
from programs.services import grants as grant_services
from programs.services import programs as services
from programs.tests.factories import ProgramFactory
from programs.tests.helpers import grant_edit_url

pytestmark = pytest.mark.django_db

# 2:14 PM in New York.
AT_2_14_PM = dt.datetime(2026, 3, 10, 18, 14, tzinfo=dt.UTC)


def conflict_rows(response) -> dict[str, tuple[str, str, bool]]:
    assert response.status_code == 200
    conflict = response.context["form"].conflict
    assert conflict is not None, "the form was not reported as changed meanwhile"
    return {row.label: (row.theirs, row.yours, row.changed_by_them) for row in conflict.fields}


@time_machine.travel(AT_2_14_PM - dt.timedelta(hours=1))
def test_program_edited_meanwhile_is_not_overwritten(librarian_client, colleague):
    program = ProgramFactory(title="Job skills workshops", goals="")
    url = reverse("programs:program_edit", args=[program.pk])
    opened = librarian_client.get(url)
    with time_machine.travel(AT_2_14_PM, tick=False), history_context(by=colleague):
        program.status = Program.Status.ACTIVE
        services.program_save(program=program)

    response = librarian_client.post(url, posted_form(opened, goals="Twenty people hired"))

    rows = conflict_rows(response)
    assert rows["Status"] == ("Active", "Planning", True)
    assert rows["Goals"] == ("—", "Twenty people hired", False)
    page = response.content.decode()
    assert "Changed by Sam Ortiz at 2:14 PM since you opened it." in page
    program.refresh_from_db()
    assert (program.status, program.goals) == ("active", "")

    again = librarian_client.post(url, posted_form(response))
    assert again.status_code == 302
    program.refresh_from_db()
    assert (program.status, program.goals) == ("planning", "Twenty people hired")


@time_machine.travel(AT_2_14_PM - dt.timedelta(hours=1))
def test_grant_edited_meanwhile_is_not_overwritten(librarian_client, colleague, program):
    grant_services.grant_save(program=program, by=colleague, funder="Community Foundation")
    opened = librarian_client.get(grant_edit_url(program))
    with time_machine.travel(AT_2_14_PM, tick=False):
        grant_services.grant_save(
            program=program, by=colleague, funder="Community Foundation", status="submitted"
        )

    response = librarian_client.post(
        grant_edit_url(program), posted_form(opened, **{"grant-amount_requested": "12000"})
    )

    rows = conflict_rows(response)
    assert rows["Status"] == ("Submitted", "Researching", True)
    assert rows["Amount requested ($)"] == ("—", "12000", False)
    # Grants keep no change history: who is unknown, when is the grant's last save.
    assert "Changed by someone at 2:14 PM since you opened it." in response.content.decode()
    grant = Grant.objects.get(program=program)
    assert (grant.status, grant.amount_requested) == ("submitted", None)

    again = librarian_client.post(grant_edit_url(program), posted_form(response))
    assert again.status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.amount_requested) == ("researching", Decimal("12000"))
