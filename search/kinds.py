"""What the search box searches: each kind of record, its words and their weights.

A record's words are one weighted text search vector (PostgreSQL's `setweight`), stored in
its `search_words` column by a trigger (search/migrations/0001; a contact's, with their
titles, 0002): A for what names the record (an organization's name, a touchpoint's subject),
B for what says what it does (services, populations served; notes), C for the rest. A word
in the name outranks one in the description. A column added here needs a migration that adds
it to the trigger.
"""

from dataclasses import dataclass

from django.db import models

from documents.models import Document
from outreach.models import Meeting, Touchpoint
from partners.models import Contact, Organization
from programs.models import Program

# search/migrations/0001's configuration: PostgreSQL's `english` (words by their stems, the
# little words left out) with accents removed first: "clinica" finds "Clínica", "clinics"
# finds "clinic".
CONFIG = "'english_unaccent'::regconfig"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[models.Model]
    # Weight letter → the columns read at that weight, in order.
    columns: dict[str, tuple[str, ...]]

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def text_columns(self) -> list[str]:
        return [column for columns in self.columns.values() for column in columns]


ORGANIZATIONS = Kind(
    "organizations",
    "Organizations",
    Organization,
    {
        "A": ("name",),
        "B": ("services", "populations_served"),
        "C": ("initiatives", "mission", "common_ground"),
    },
)
# And their titles, one on each of their affiliations ("title or role at this organization"):
# words of the contact too, at weight B, kept by a trigger on affiliations (search/migrations/
# 0002; SQLite reads them with the contact, search.sqlite.TITLES_SQL).
CONTACTS = Kind("contacts", "Contacts", Contact, {"A": ("name", "email")})
TOUCHPOINTS = Kind(
    "touchpoints",
    "Touchpoints",
    Touchpoint,
    {"A": ("subject",), "B": ("notes", "outcome", "next_step")},
)
MEETINGS = Kind(
    "meetings", "Meetings", Meeting, {"A": ("title",), "B": ("agenda", "minutes", "location")}
)
PROGRAMS = Kind(
    "programs",
    "Programs",
    Program,
    {"A": ("title",), "B": ("description", "goals"), "C": ("audience", "library_resources")},
)
DOCUMENTS = Kind("documents", "Documents", Document, {"A": ("title",), "B": ("description",)})

# In the order the results page shows them.
KINDS = (ORGANIZATIONS, CONTACTS, TOUCHPOINTS, MEETINGS, PROGRAMS, DOCUMENTS)
BY_KEY = {kind.key: kind for kind in KINDS}
