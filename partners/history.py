"""Reads of the partners' change history: what the History panels and pages of an organization
and a contact show (core.history_entries renders them, in a fixed number of queries)."""

from core.history_entries import HistorySource
from partners.models import Affiliation, Contact, Organization
from partners.relations import OrganizationRelation

# Fields that only follow another one's change (the stage's date, the archiving's, the opt-out's).
ORGANIZATION_HIDDEN = frozenset({"stage_changed_at", "archived_at"})
CONTACT_HIDDEN = frozenset({"opted_out_at"})


def organization_history(organization: Organization) -> list[HistorySource]:
    """The organization's own changes and those of its contacts' roles there."""
    return [
        HistorySource(Organization.history.filter(id=organization.pk), hidden=ORGANIZATION_HIDDEN),
        HistorySource(
            Affiliation.history.filter(organization_id=organization.pk),
            about=("Role of", "contact"),
        ),
        # Its ties to other organizations, from either side, each named by the other one.
        HistorySource(
            OrganizationRelation.history.filter(organization_id=organization.pk),
            about=("Tie with", "related"),
        ),
        HistorySource(
            OrganizationRelation.history.filter(related_id=organization.pk),
            about=("Tie with", "organization"),
        ),
    ]


def contact_history(contact: Contact) -> list[HistorySource]:
    """The contact's own changes and those of their roles at organizations."""
    return [
        HistorySource(Contact.history.filter(id=contact.pk), hidden=CONTACT_HIDDEN),
        HistorySource(
            Affiliation.history.filter(contact_id=contact.pk), about=("Role at", "organization")
        ),
    ]
