"""The outbox claim on SQLite: two senders at once never share an email, and neither fails.

mail/outbox.py claims rows with SELECT … FOR UPDATE SKIP LOCKED where the database has it and,
for SQLite (the laptop default), relies on the UPDATE being conditional on the row still being
claimable, with settings.LIAISON_SQLITE_OPTIONS making each transaction take the write lock as it
begins. The PostgreSQL race is test_outbox.py's `test_two_senders_at_once_claim_disjoint_emails`.

This race needs two connections to one database, which pytest-django's in-memory SQLite test
database cannot give, and it must run whatever DATABASE_URL says (CI runs PostgreSQL): so the
test makes its own SQLite file holding the outbox's tables, configured as settings.py configures
SQLite, and makes it every thread's default database for the length of the test.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections

from core.tests import races
from mail import outbox
from mail.models import OutgoingEmail
from partners.models import Contact

EMAILS = 200
CLAIM_PAUSE_SECONDS = 0.005
DELIVERY_SECONDS = 0.01


@pytest.fixture
def sqlite_outbox(tmp_path: Path, django_db_blocker, settings) -> Iterator[None]:
    """A SQLite file with the outbox table (and the tables it points at) as the default DB."""
    settings.LIAISON_EMAIL_LEASE_SECONDS = 300
    configured = connections.settings[DEFAULT_DB_ALIAS]
    this_thread = connections[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {
        **configured,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "outbox.sqlite3"),
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": dict(settings.LIAISON_SQLITE_OPTIONS),
    }
    try:
        with django_db_blocker.unblock():
            sqlite = connections.create_connection(DEFAULT_DB_ALIAS)
            connections[DEFAULT_DB_ALIAS] = sqlite
            try:
                with sqlite.schema_editor() as editor:
                    for model in (User, Contact, OutgoingEmail):
                        editor.create_model(model)
                yield
            finally:
                sqlite.close()
    finally:
        connections[DEFAULT_DB_ALIAS] = this_thread
        connections.settings[DEFAULT_DB_ALIAS] = configured


def claim_until_empty(token: str) -> list[int]:
    """What one sender claims, batch after batch, until nothing is left to claim."""
    mine: list[int] = []
    while batch := outbox._claim(token=token, batch_size=7):
        mine.extend(row.id for row in batch)
        time.sleep(DELIVERY_SECONDS)  # sending the batch, outside any transaction
    return mine


def test_two_senders_on_sqlite_claim_disjoint_emails(sqlite_outbox, monkeypatch):
    # Each claim pauses between its SELECT and its UPDATE (both ask for `_claimable`), so that
    # the two senders' claims overlap.
    races.widen(monkeypatch, outbox, "_claimable", seconds=CLAIM_PAUSE_SECONDS)
    outbox.emails_queue(
        outbox.Email(
            kind=OutgoingEmail.Kind.TEST,
            key=f"k{n}",
            to_address=f"r{n}@example.org",
            subject="Hello",
            body_text="Plain words.\n",
        )
        for n in range(EMAILS)
    )
    first, second = races.race(lambda: claim_until_empty("a"), lambda: claim_until_empty("b"))
    # Neither sender fails ("database is locked"): they take turns.
    assert first.error is None and second.error is None
    assert not set(first.value) & set(second.value)
    assert len(first.value) + len(second.value) == EMAILS
    assert set(OutgoingEmail.objects.values_list("claimed_by", flat=True)) == {"a", "b"}
