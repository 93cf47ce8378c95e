"""Two people saving one program's grant at the same moment leave one consistent grant.

Real row locks on PostgreSQL (core/tests/races.py): each writer in its own thread and
connection, paused inside the service between what it reads and what it writes.
"""

import datetime as dt

import pytest

from core.tests import races
from outreach.models import FollowUp
from programs.models import Grant, GrantDeliverable, Program
from programs.services import grants

pytestmark = [pytest.mark.django_db(transaction=True), races.needs_row_locks]


def test_two_first_saves_of_a_grant_at_once_make_one_grant_with_one_follow_up_each(
    monkeypatch, program, librarian, colleague
):
    races.widen(monkeypatch, Grant, "full_clean")

    def save(by, funder, title, owner):
        return lambda: grants.grant_save(
            program=Program.objects.get(pk=program.pk),
            by=by,
            funder=funder,
            deliverables=[
                grants.DeliverableChange(title=title, due_on=dt.date(2027, 1, 15), owner=owner)
            ],
        )

    outcomes = races.race(
        save(librarian, "Rivers Foundation", "Final report", colleague),
        save(colleague, "Lakes Trust", "Midterm report", librarian),
    )
    # The second save finds the grant the first made and updates it: no error, no second grant.
    assert all(outcome.ok for outcome in outcomes), outcomes
    grant = Grant.objects.get()
    assert grant.funder in {"Rivers Foundation", "Lakes Trust"}
    deliverables = list(GrantDeliverable.objects.select_related("followup"))
    assert {(d.title, d.owner) for d in deliverables} == {
        ("Final report", colleague),
        ("Midterm report", librarian),
    }
    # One open follow-up per deliverable, for its owner, named after the funder saved last.
    assert FollowUp.objects.count() == len(deliverables)
    for deliverable in deliverables:
        followup = deliverable.followup
        assert followup is not None and followup.status == FollowUp.Status.OPEN
        assert followup.assignee == deliverable.owner
        assert followup.title == grants.deliverable_followup_title(deliverable.title, grant.funder)
