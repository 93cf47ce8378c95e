"""One progress update acted on twice at the same moment goes out once, or not at all.

Real row locks on PostgreSQL (core/tests/races.py): each writer in its own thread and
connection, paused inside the service between what it reads and what it writes.
"""

import pytest
from django.core.exceptions import ValidationError

from core.tests import races
from mail.models import OutgoingEmail
from updates import services
from updates.models import ProgressUpdate
from updates.tests.helpers import Status, draft_february, progress_emails, subscribe

pytestmark = [pytest.mark.django_db(transaction=True), races.needs_row_locks]


@pytest.fixture
def update(partner, librarian) -> ProgressUpdate:
    """February's draft for the clinic, to Ana and Ben."""
    return draft_february(subscribe(partner, librarian))


def fresh(update: ProgressUpdate) -> ProgressUpdate:
    """The update as a view loads it for one request."""
    return ProgressUpdate.objects.get(pk=update.pk)


def test_sending_one_update_twice_at_once_queues_each_email_once(
    monkeypatch, update, librarian, manager
):
    races.widen(monkeypatch, services, "current_recipients")

    def send(by):
        return lambda: services.progress_update_send(update=fresh(update), by=by)

    winner, loser = races.winner_and_loser(races.race(send(librarian), send(manager)))
    assert winner.value == services.SendResult(queued=2, suppressed=0)
    assert isinstance(loser.error, ValidationError), loser.error
    assert "already sent" in " ".join(loser.error.messages)
    assert progress_emails().count() == 2
    assert len(set(progress_emails().values_list("to_address", flat=True))) == 2
    sent = fresh(update)
    assert (sent.status, sent.recipients_count) == (Status.SENT, 2)


def test_approving_one_update_twice_at_once_sends_one_version(
    monkeypatch, update, librarian, manager
):
    races.widen(monkeypatch, services, "current_recipients")

    def approve(by):
        return lambda: services.progress_update_approve(
            update=fresh(update), by=by, subject=f"February, by {by.username}", message="Thanks!"
        )

    winner, loser = races.winner_and_loser(races.race(approve(librarian), approve(manager)))
    assert isinstance(loser.error, ValidationError), loser.error
    sent = fresh(update)
    # What was saved is what went out: one subject, by the one who approved it.
    assert sent.approved_by is not None
    assert sent.subject == f"February, by {sent.approved_by.username}"
    assert set(progress_emails().values_list("subject", flat=True)) == {sent.subject}
    assert progress_emails().count() == 2


def test_approving_and_skipping_at_once_either_sends_or_skips(
    monkeypatch, update, librarian, manager
):
    # The skip reads the draft at once, then pauses: the approval is underway meanwhile.
    races.widen(monkeypatch, services, "_locked_draft", after=True, only=1)

    approval, skip = races.race(
        lambda: services.progress_update_approve(
            update=fresh(update), by=librarian, subject="February", message="Thanks!"
        ),
        lambda: services.progress_update_skip(update=fresh(update), by=manager),
    )
    assert approval.ok != skip.ok, (approval, skip)
    # The other is refused with a message (not a database error at its write).
    assert isinstance(approval.error or skip.error, ValidationError), (approval, skip)
    final = fresh(update)
    emails = progress_emails().exclude(status=OutgoingEmail.Status.SUPPRESSED).count()
    if approval.ok:
        assert (final.status, emails) == (Status.SENT, 2)
    else:
        assert (final.status, emails) == (Status.SKIPPED, 0)
