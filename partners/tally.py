"""The stage tally's triggers on SQLite, put back where a migration rebuilt the organizations'
table (partners.models.StageTally).

Django's SQLite migrations change a table by copying it into a new one and dropping the old,
triggers included: partners 0016 rebuilt partners_organization, and on the embedded default
the dashboard's and the board's counts then stayed where they were. After every `migrate`
(partners.apps), triggers found missing are made again as partners 0012 made them, and the
tally counted afresh. PostgreSQL changes a table in place: nothing to do there.
"""

from importlib import import_module
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

# The triggers and the count as the migration that made them wrote them (a migration's text
# never changes once released). A later migration that changes the SQLite triggers changes
# them here too: these are what every migrate puts back.
_MADE = import_module("partners.migrations.0012_stage_tally")
TRIGGERS = {statement.split()[2]: statement for statement in _MADE.SQLITE}


def stage_tally_repair(connection: BaseDatabaseWrapper) -> bool:
    """Make the tally's SQLite triggers again where a rebuilt table lost them, and count the
    tally afresh; whether it had to."""
    if connection.vendor != "sqlite":
        return False
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {name for _kind, name in cursor.fetchall()}
        if "partners_stagetally" not in existing or TRIGGERS.keys() <= existing:
            return False
        for name, statement in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(statement)
        cursor.execute("DELETE FROM partners_stagetally")
        cursor.execute(_MADE.FILL)
    return True


def stage_tally_repair_after_migrate(
    sender: Any, *, using: str, verbosity: int = 1, stdout: Any = None, **kwargs: Any
) -> None:
    """post_migrate receiver (partners.apps): see stage_tally_repair; says so when it did."""
    if stage_tally_repair(connections[using]) and verbosity and stdout is not None:
        stdout.write("  The stage tally's triggers made again and the tally counted afresh.\n")
