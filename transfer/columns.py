"""The fields a file's columns can go to, and matching column names to them."""

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    # Column names that mean this field, as people write them ("E-mail", "Org name"…); compared
    # with case, spacing, accents and punctuation ignored.
    synonyms: tuple[str, ...] = ()
    required: bool = False
    # Set for a column Liaison's own export writes but works out itself ("from the
    # touchpoints"): recognised, so that an exported file's every column has a place, and never
    # read, since the file cannot change it.
    worked_out_from: str = ""


ORGANIZATION_TARGETS = (
    Target(
        "name",
        "Organization name",
        (
            "name",
            "organization",
            "organisation",
            "org",
            "org name",
            "organisation name",
            "partner",
            "partner name",
            "agency",
            "agency name",
            "company",
            "company name",
        ),
        required=True,
    ),
    Target("kind", "Kind", ("type", "organization type", "org type", "category", "sector")),
    Target("government_level", "Government level", ("level", "gov level", "government")),
    Target("stage", "Stage", ("pipeline stage", "partnership stage", "status")),
    Target(
        "stage_since",
        "Stage since (new organizations)",
        ("stage since", "in stage since", "stage date", "stage changed"),
    ),
    Target(
        "focus_areas",
        "Focus areas (separated by ;)",
        ("focus areas", "focus area", "focus", "themes", "topics"),
    ),
    Target("tags", "Tags (separated by ;)", ("tags", "tag", "labels", "label")),
    Target("website", "Website", ("web site", "web", "url", "homepage", "home page", "site")),
    Target("email", "Email", ("e-mail", "email address", "e-mail address", "mail")),
    Target("phone", "Phone", ("phone number", "telephone", "tel", "main phone")),
    Target("address", "Address", ("street address", "mailing address", "location")),
    Target("mission", "Mission and priorities", ("mission", "priorities", "mission statement")),
    Target("initiatives", "Current initiatives", ("initiatives",)),
    Target("services", "Services", ("services offered",)),
    Target(
        "populations_served",
        "Populations served",
        ("population served", "populations", "audience", "audiences", "served"),
    ),
    Target("common_ground", "Common ground", ("how the library helps",)),
    Target(
        "owner",
        "Owner (staff username or email)",
        ("owner", "staff", "assigned to", "liaison", "account owner", "relationship owner"),
    ),
    Target("archived", "Archived", ("is archived",)),
    Target(
        "last_touchpoint",
        "Last touchpoint (not imported)",
        ("last touchpoint", "last contact", "last contacted"),
        worked_out_from="the touchpoints logged",
    ),
    Target(
        "next_followup",
        "Next follow-up (not imported)",
        ("next follow-up", "next follow up"),
        worked_out_from="the open follow-ups",
    ),
)

CONTACT_TARGETS = (
    Target("name", "Name", ("full name", "contact", "contact name", "person"), required=True),
    Target("first_name", "First name", ("first", "given name", "forename")),
    Target("last_name", "Last name", ("last", "surname", "family name")),
    Target("email", "Email", ("e-mail", "email address", "e-mail address", "mail")),
    Target("phone", "Phone", ("phone number", "telephone", "tel", "mobile", "cell")),
    Target(
        "preferred_channel",
        "Preferred channel",
        ("channel", "contact method", "preferred contact method", "contact preference"),
    ),
    Target("notes", "Notes", ("note", "comments", "comment")),
    Target("do_not_contact", "Do not contact", ("dnc", "do not call", "no contact")),
    Target(
        "organization",
        "Organization (name or website)",
        (
            "organization",
            "organisation",
            "org",
            "org name",
            "organization name",
            "organisation name",
            "company",
            "employer",
            "agency",
            "partner",
        ),
    ),
    Target("title", "Title or role", ("title", "job title", "role", "position")),
    Target("is_primary", "Primary contact", ("primary", "main contact")),
    Target("start_date", "In the role since", ("from", "start date", "started", "since")),
    Target("end_date", "Left the role on", ("to", "end date", "ended", "until", "left")),
    Target(
        "opted_out",
        "Opted out of updates",
        ("opted out", "opt out", "unsubscribed", "no updates"),
    ),
    Target("tags", "Tags (separated by ;)", ("tags", "tag", "labels", "label")),
)

TARGETS = {"organizations": ORGANIZATION_TARGETS, "contacts": CONTACT_TARGETS}


def targets_of(kind: str) -> dict[str, Target]:
    return {target.key: target for target in TARGETS[kind]}


def column_key(name: str) -> str:
    """'E-mail ', 'e mail' and 'Email' all give 'email'."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", without_accents.casefold())


def auto_mapping(kind: str, header: list[str]) -> list[str]:
    """The field each column goes to, by its name; "" for a column left out.

    A field goes to the first column that names it; a later column with the same meaning is
    left out (the librarian can choose it instead on the preview page).
    """
    names: dict[str, str] = {}
    for target in TARGETS[kind]:
        for name in (target.key, target.label, *target.synonyms):
            names.setdefault(column_key(name), target.key)
    mapping, used = [], set()
    for column in header:
        key = names.get(column_key(column), "")
        if key in used:
            key = ""
        used.add(key)
        mapping.append(key)
    return mapping


def clean_mapping(kind: str, mapping: object, columns: int) -> list[str]:
    """A stored or posted mapping made safe: one entry per column, known fields, each once."""
    known = targets_of(kind)
    entries = list(mapping)[:columns] if isinstance(mapping, list) else []
    result, used = [], set()
    for entry in entries + [""] * (columns - len(entries)):
        key = entry if isinstance(entry, str) and entry in known and entry not in used else ""
        used.add(key)
        result.append(key)
    return result
