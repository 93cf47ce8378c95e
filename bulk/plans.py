"""What a bulk action would do, read before anything is changed: the confirmation page's
content, counted again when the action is confirmed."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from bulk.operations import Operation, Values, records_of
from bulk.selection import Selection, counted

# How many records of each kind the confirmation page names (the rest are counted).
NAMED = 10


@dataclass(frozen=True)
class Plan:
    operation: Operation
    values: Values
    changing: list[Any]
    # The records left as they are, by why: {"already theirs": [...]}.
    skipped: dict[str, list[Any]]
    # Selected, but gone since (deleted, merged into another, a follow-up no longer open).
    missing: int

    @property
    def summary(self) -> str:
        return self.operation.summary(self.changing, self.values)

    @property
    def skipped_count(self) -> int:
        return sum(len(rows) for rows in self.skipped.values())

    @property
    def digest(self) -> str:
        """The records it changes, in short: the confirmation carries it, and a confirmation
        whose selection has changed since is shown again rather than run."""
        ids = ",".join(str(record.pk) for record in self.changing)
        return hashlib.sha256(f"{self.summary}|{ids}".encode()).hexdigest()[:20]

    def skipped_lines(self) -> list[tuple[str, list[Any], int]]:
        """For the confirmation page: “3 organizations: already theirs”, the first NAMED
        named, and how many more."""
        records = self.operation.records
        return [
            (f"{counted(len(rows), records)}: {why}", rows[:NAMED], max(len(rows) - NAMED, 0))
            for why, rows in self.skipped.items()
        ]


def plan_of(*, selection: Selection, operation: Operation, values: Values, user: User) -> Plan:
    ids = selection.record_ids(user)
    rows = records_of(selection.records, ids)
    changing: list[Any] = []
    skipped: dict[str, list[Any]] = {}
    for row in rows:
        why = operation.unchanged(row, values, user)
        if why:
            skipped.setdefault(why, []).append(row)
        else:
            changing.append(row)
    return Plan(operation, values, changing, skipped, missing=len(ids) - len(rows))
