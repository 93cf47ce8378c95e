"""How Liaison writes a staff member's name: the full name, else the username; and any name's
possessive.

One home for it: pages (the `person` and `possessive` filters), emails, calendar feeds, exports
and reports all call these, so a person is named the same everywhere.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser


def display_name(user: AbstractBaseUser | None) -> str:
    """“Alice Reyes”, or “alice” for someone without a name on file; "" for nobody."""
    if user is None:
        return ""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name or user.get_username()


def display_name_of_row(row: Mapping[str, Any], relation: str) -> str:
    """The same for a values() row holding `<relation>__first_name`, `__last_name` and
    `__username` (exports and reports read rows, not users); "" for nobody."""
    first, last = row.get(f"{relation}__first_name"), row.get(f"{relation}__last_name")
    full_name = f"{first or ''} {last or ''}".strip()
    return full_name or row.get(f"{relation}__username") or ""


def possessive(name: str) -> str:
    """“Maria’s”, and “Pediatric Associates’” or “James’” for a name ending in s: never
    “Associates’s”. Pages, emails and messages all write a name's possessive through this."""
    name = name.strip()
    if not name:
        return ""
    return f"{name}’" if name[-1] in "sS" else f"{name}’s"
