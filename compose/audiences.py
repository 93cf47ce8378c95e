"""Who a group email goes to: the people of a filtered organization or contact list, and who of
them is left out and why.

A group email starts from the organization list (each organization's primary contacts, or all
its people now) or the contact list, with that list's own filters: the query string is kept on
the group email, so a manager approving it later sends to the list as it is then.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils.text import capfirst

from core.forms import FilterForm
from core.people import display_name
from partners.forms import ContactFilterForm, OrganizationFilterForm
from partners.models import Affiliation, Contact, Organization
from partners.selectors import contact_list, organization_list
from updates.selectors import unavailable_reason

# More than this at once is not a group email but a mailing list: narrow the list.
MAX_RECIPIENTS = 500

ORGANIZATIONS, CONTACTS = "organizations", "contacts"
PRIMARY, EVERYONE = "primary", "everyone"


@dataclass
class Recipient:
    contact: Contact
    organization: Organization | None
    left_out: str = ""


@dataclass
class Audience:
    description: str
    recipients: list[Recipient] = field(default_factory=list)
    too_many: bool = False
    # The list's filters that no longer hold (a staff member gone, a stage renamed): a group
    # email written with them is not sent to the wider list that remains.
    dropped: list[str] = field(default_factory=list)

    @property
    def included(self) -> list[Recipient]:
        return [r for r in self.recipients if not r.left_out]

    @property
    def left_out(self) -> list[Recipient]:
        return [r for r in self.recipients if r.left_out]


def left_out_reason(contact: Contact) -> str:
    """Why a group email skips this person, or "" if it reaches them."""
    return capfirst(unavailable_reason(contact, what="group email"))


def personal_email_refusal(contact: Contact) -> str:
    """Why an email written to this one person cannot go (marked do not contact, or no
    address), or "": opting out of updates and group email does not stop a personal one
    (compose.services.personal_email_check says it in a sentence)."""
    return left_out_reason(contact) if contact.do_not_contact or not contact.email else ""


def _describe(form, words: list[str]) -> str:
    """ "Primary contacts of organizations (kind: Health organization; stage: Active partner)"."""
    form.is_valid()
    shown = []
    for name, value in form.cleaned_data.items():
        if not value or name == "sort":
            continue
        if isinstance(value, User):
            value = display_name(value)
        choices = dict(getattr(form.fields[name], "choices", None) or [])
        label = str(form[name].label).lower()
        shown.append(f"{label}: {choices.get(value, value) if isinstance(value, str) else value}")
    return " ".join(words) + (f" ({'; '.join(shown)})" if shown else "")


def audience_of(query: QueryDict) -> Audience:
    """The recipients a list's query string describes (`from`, `who` and the list's filters)."""
    source = query.get("from")
    if source == CONTACTS:
        list_form: FilterForm = ContactFilterForm(query)
        contacts = contact_list(list_form.filters())
        description = _describe(list_form, ["Contacts"])
        ids = list(contacts.values_list("pk", flat=True)[: MAX_RECIPIENTS + 1])
        current = Affiliation.objects.current().filter(contact_id__in=ids)
        order = {pk: index for index, pk in enumerate(ids)}
    else:
        list_form = OrganizationFilterForm(query)
        organizations = organization_list(list_form.filters())
        primary = query.get("who") != EVERYONE
        words = ["Primary contacts" if primary else "Everyone now", "of organizations"]
        description = _describe(list_form, words)
        current = Affiliation.objects.current().filter(
            organization__in=organizations.order_by().values("pk")
        )
        if primary:
            current = current.filter(is_primary=True)
        order = {}
    affiliations = (
        current.filter(organization__is_archived=False)
        .select_related("contact", "organization")
        .order_by("organization__name", "-is_primary", "contact__name", "pk")
    )
    audience = _audience(description, affiliations, order)
    audience.dropped = _dropped(list_form, query)
    if source not in (ORGANIZATIONS, CONTACTS):
        audience.dropped.append("which list")
    if query.get("who", PRIMARY) not in (PRIMARY, EVERYONE):
        audience.dropped.append("who at each organization")
    if source == CONTACTS and len(order) > MAX_RECIPIENTS:
        audience.too_many = True
    elif source == CONTACTS:
        _nowhere(audience, set(order) - {r.contact.pk for r in audience.recipients})
    return audience


def _dropped(form, query: QueryDict) -> list[str]:
    """The list filters in `query` that its form no longer accepts, by label."""
    kept = form.filters()
    return [
        str(form[name].label).lower()
        for name in form.fields
        if name != "sort" and query.get(name) and name not in kept
    ]


def _nowhere(audience: Audience, ids: set[int]) -> None:
    """Contacts of the list at no organization now: left out, since each email is logged on the
    timeline of the organization the person is at."""
    for contact in Contact.objects.filter(pk__in=ids).order_by("name", "pk"):
        if len(audience.recipients) >= MAX_RECIPIENTS:
            audience.too_many = True
            return
        audience.recipients.append(Recipient(contact, None, "Not at any organization now"))


def _audience(description, affiliations, order: dict[int, int]) -> Audience:
    audience = Audience(description)
    seen_contacts: set[int] = set()
    seen_addresses: dict[str, str] = {}
    rows = list(affiliations[: MAX_RECIPIENTS * 4])
    if order:
        rows.sort(key=lambda a: order.get(a.contact_id, 0))
    for affiliation in rows:
        contact = affiliation.contact
        if contact.pk in seen_contacts:
            # Someone at two of the organizations (or a contact at two) gets it once.
            continue
        seen_contacts.add(contact.pk)
        reason = left_out_reason(contact)
        address = contact.email.strip().lower()
        if not reason and address in seen_addresses:
            reason = f"Same address as {seen_addresses[address]}"
        if not reason:
            seen_addresses[address] = contact.name
        audience.recipients.append(Recipient(contact, affiliation.organization, reason))
        if len(audience.recipients) > MAX_RECIPIENTS:
            audience.too_many = True
            audience.recipients.pop()
            break
    return audience
