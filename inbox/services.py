"""Capturing email: a message read from the mailbox becomes touchpoints, or waits to be filed.

The message's Message-ID is unique (CapturedEmail.message_id): the mailbox read twice, a task
retried, two workers at once or a restart between saving a message and moving it away never
make a second row or a second touchpoint — the second attempt finds the first and stops.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from email.utils import getaddresses

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.profiles import user_time_zone
from inbox.models import CapturedAttachment, CapturedEmail, FiledEmail
from inbox.parsing import ParsedEmail, display, forwarded_original, parse
from inbox.selectors import capture_address, contacts_by_address, staff_by_address
from outreach.models import Touchpoint
from outreach.services import touchpoint_log
from partners.models import Affiliation, Contact, Organization
from partners.services import affiliation_create, contact_create

logger = logging.getLogger(__name__)

SUBJECT_LENGTH = Touchpoint._meta.get_field("subject").max_length or 200
NOTES_LENGTH = Touchpoint._meta.get_field("notes").max_length or 20_000


@dataclass
class Captured:
    """What became of one message: `email` is None for one not logged (automatic mail)."""

    email: CapturedEmail | None
    created: bool
    ignored: str = ""


def _local(when: dt.datetime, staff: User | None) -> dt.datetime:
    zone = user_time_zone(staff) if staff is not None else timezone.get_default_timezone()
    return timezone.localtime(when, zone)


def _touchpoint_for(email: CapturedEmail, organization: Organization, contacts: list[Contact]):
    when = _local(email.sent_at, email.staff)
    subject = email.subject or "(no subject)"
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1] + "…"
    notes = email.text
    if len(notes) > NOTES_LENGTH:
        notes = notes[: NOTES_LENGTH - 80] + "\n\n[Shortened: the whole email is kept with it.]"
    touchpoint = touchpoint_log(
        organization=organization,
        staff=email.staff,
        occurred_on=when.date(),
        occurred_time=when.time().replace(second=0, microsecond=0),
        subject=subject,
        channel=Touchpoint.Channel.EMAIL,
        contacts=contacts,
        notes=notes,
    )
    FiledEmail.objects.create(email=email, organization=organization, touchpoint=touchpoint)
    return touchpoint


def _organizations_of(contacts: list[Contact]) -> dict[Organization, list[Contact]]:
    """Every current organization of these people, with those of them who work there."""
    found: dict[Organization, list[Contact]] = defaultdict(list)
    affiliations = (
        Affiliation.objects.current()
        .filter(contact__in=contacts, organization__is_archived=False)
        .select_related("organization", "contact")
        .order_by("organization__name", "organization_id", "contact__name")
    )
    for affiliation in affiliations:
        found[affiliation.organization].append(affiliation.contact)
    return found


def _record(parsed: ParsedEmail, raw: bytes) -> CapturedEmail:
    """Save the message and file it where its people are; in the caller's transaction."""
    staff_map = staff_by_address()
    sender_staff = staff_map.get(parsed.from_address)
    shown = parsed
    if sender_staff is not None:
        original = forwarded_original(parsed, raw)
        if original is not None and original.from_address not in staff_map:
            # A staff member forwarded a partner's email: it is the partner's email.
            shown = original
    own = capture_address()
    partner_addresses = {a for a in shown.addresses if a not in staff_map and a != own}
    contacts = contacts_by_address(partner_addresses)
    staff = staff_map.get(shown.from_address) or next(
        (staff_map[a] for _, a in (*shown.to, *shown.cc) if a in staff_map), sender_staff
    )
    organizations = _organizations_of(contacts)
    email = CapturedEmail.objects.create(
        message_id=parsed.message_id,
        thread_key=parsed.thread_key,
        direction=CapturedEmail.Direction.OUT
        if shown.from_address in staff_map
        else CapturedEmail.Direction.IN,
        from_name=shown.from_name[:200],
        from_address=shown.from_address[:254],
        to_addresses="\n".join(display(n, a) for n, a in shown.to),
        cc_addresses="\n".join(display(n, a) for n, a in shown.cc),
        sent_at=shown.sent_at,
        subject=shown.subject[:998],
        text=shown.text,
        staff=staff,
        status=CapturedEmail.Status.FILED if organizations else CapturedEmail.Status.UNFILED,
        from_do_not_contact=any(
            c.do_not_contact for c in contacts if c.email == shown.from_address
        ),
    )
    for attachment in parsed.attachments:
        CapturedAttachment.objects.create(
            email=email,
            file=ContentFile(attachment.content, name=attachment.filename),
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=len(attachment.content),
        )
    for organization, people in organizations.items():
        _touchpoint_for(email, organization, people)
    return email


def email_capture(*, raw: bytes) -> Captured:
    """Read one message (RFC 5322 bytes) into the log. Raises inbox.parsing.Unreadable for a
    message that cannot be read; the caller moves it aside with the reason."""
    parsed = parse(raw)
    if parsed.automatic:
        return Captured(None, created=False, ignored=parsed.automatic)
    existing = CapturedEmail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return Captured(existing, created=False)
    try:
        with transaction.atomic():
            email = _record(parsed, raw)
    except IntegrityError:
        # Another worker saved the same message a moment ago.
        return Captured(CapturedEmail.objects.get(message_id=parsed.message_id), created=False)
    logger.info("Captured %s (%s).", parsed.message_id, email.status)
    return Captured(email, created=True)


@transaction.atomic
def captured_email_file(
    *, email: CapturedEmail, organization: Organization, by: User, add_sender: bool = False
) -> Touchpoint:
    """File an unfiled email to an organization; with `add_sender`, its sender becomes a
    contact of the organization first (named from the From line)."""
    email = CapturedEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != CapturedEmail.Status.UNFILED:
        raise ValidationError("This email has already been filed or discarded.")
    contacts = [
        a.contact
        for a in Affiliation.objects.current()
        .filter(organization=organization, contact__email__in=_addresses_in(email))
        .select_related("contact")
    ]
    if add_sender and not any(c.email == email.from_address for c in contacts):
        known = Contact.objects.filter(email=email.from_address).first()
        if known is None:
            known = contact_create(
                by=by,
                organization=organization,
                name=email.from_name or email.from_address.split("@")[0],
                email=email.from_address,
            )
        else:
            affiliation_create(contact=known, organization=organization)
        contacts.append(known)
    if email.staff is None:
        email.staff = by
    touchpoint = _touchpoint_for(email, organization, contacts)
    email.status = CapturedEmail.Status.FILED
    email.handled_by = by
    email.handled_at = timezone.now()
    email.save(update_fields=["status", "staff", "handled_by", "handled_at", "updated_at"])
    return touchpoint


def _addresses_in(email: CapturedEmail) -> list[str]:
    found = [email.from_address]
    found += [a.lower() for _, a in getaddresses(email.to_list + email.cc_list) if "@" in a]
    return found


@transaction.atomic
def captured_email_discard(*, email: CapturedEmail, by: User) -> CapturedEmail:
    """Set an unfiled email aside (kept, never deleted: it leaves the unfiled list)."""
    email = CapturedEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != CapturedEmail.Status.UNFILED:
        raise ValidationError("This email has already been filed or discarded.")
    email.status = CapturedEmail.Status.DISCARDED
    email.handled_by = by
    email.handled_at = timezone.now()
    email.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
    return email
