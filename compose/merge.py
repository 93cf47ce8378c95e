"""Merge fields: {first_name} and the like, in a template's or an email's subject and body.

The text is the librarian's; only the names listed in FIELDS are replaced, by plain text (the
email is plain text), and any other {name} is refused when the form is checked, so a typo never
reaches a partner as "{frist_name}". Figures are computed only when the text asks for them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# name → what it is, for the help beside the form.
FIELDS: dict[str, str] = {
    "first_name": "the recipient’s first name",
    "full_name": "the recipient’s full name",
    "organization": "the recipient’s organization",
    "library_name": "the library’s name",
    "sender_name": "your name",
    "sender_signature": "your signature (from your profile)",
    "sessions_this_year": "program sessions held with the organization this year",
    "people_reached_this_year": "people who came to them this year",
    "programs_this_year": "programs run with the organization this year",
}
FIGURES = frozenset({"sessions_this_year", "people_reached_this_year", "programs_this_year"})


def fields_in(*texts: str) -> set[str]:
    return {match.group(1) for text in texts for match in FIELD.finditer(text)}


def unknown_fields_check(text: str) -> None:
    """Refuse a {name} Liaison does not know, naming it and the ones it does."""
    unknown = sorted(fields_in(text) - set(FIELDS))
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        raise ValidationError(
            f"Liaison does not know {names}. Use one of the merge fields listed below the form."
        )


@dataclass
class Values:
    """What the merge fields stand for in one recipient's email; figures filled in lazily."""

    plain: dict[str, str]
    figures: Callable[[], dict[str, str]] | None = None
    _figures: dict[str, str] | None = field(default=None, repr=False)

    def get(self, name: str) -> str:
        if name in FIGURES:
            if self._figures is None:
                self._figures = self.figures() if self.figures else {}
            return self._figures.get(name, "0")
        return self.plain.get(name, "")


def merge(text: str, values: Values) -> str:
    return FIELD.sub(
        lambda match: values.get(match.group(1)) if match.group(1) in FIELDS else match.group(0),
        text,
    )
