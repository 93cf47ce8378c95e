"""Capturing email: a message read from the mailbox becomes touchpoints, or waits to be filed.

The message's Message-ID is unique (CapturedEmail.message_id): the mailbox read twice, a task
retried, two workers at once or a restart between saving a message and moving it away never
make a second row or a second touchpoint — the second attempt finds the first and stops.
"""

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from core.people import display_name
from core.profiles import capture_address, staff_by_address, user_localtime
from inbox.models import CapturedAttachment, CapturedEmail, FiledEmail
from inbox.parsing import ParsedEmail, display, forwarded_original, parse
from inbox.selectors import contacts_by_address
from outreach.models import Touchpoint
from outreach.services import touchpoint_log
from partners.models import Affiliation, Contact, Organization
from partners.selectors import people_by_organization
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


def _touchpoint_for(email: CapturedEmail, organization: Organization, contacts: list[Contact]):
    when = user_localtime(email.staff, email.sent_at)
    subject = Truncator(email.subject or "(no subject)").chars(SUBJECT_LENGTH)
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
        conversation=email.thread_key,
    )
    FiledEmail.objects.create(email=email, organization=organization, touchpoint=touchpoint)
    return touchpoint


def _forget_files(names: list[str]) -> None:
    """The attachment files of a message whose rows were rolled back."""
    for name in names:
        default_storage.delete(name)


def _record(
    parsed: ParsedEmail, raw: bytes, staff_map: dict[str, User], _written: list[str]
) -> CapturedEmail:
    """Save the message and file it where its people are; in the caller's transaction."""
    sender_staff = staff_map.get(parsed.from_address)
    shown = parsed
    # A sender the library's mail server could not vouch for files nothing by itself.
    trusted = parsed.verified is not False
    if sender_staff is not None and trusted:
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
    # Every current organization of these people, with those of them who work there.
    current = Affiliation.objects.current().filter(
        contact__in=contacts, organization__is_archived=False
    )
    organizations = people_by_organization(current) if trusted and contacts else {}
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
        sender_verified=parsed.verified,
        from_do_not_contact=any(
            c.do_not_contact for c in contacts if c.email == shown.from_address
        ),
    )
    for attachment in parsed.attachments:
        # Stored under a name of Liaison's making; the sender's is kept to show and to send.
        extension = Path(attachment.filename).suffix[:10].lower()
        stored = CapturedAttachment.objects.create(
            email=email,
            file=ContentFile(attachment.content, name=f"{uuid.uuid4().hex}{extension}"),
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=len(attachment.content),
        )
        _written.append(stored.file.name)  # deleted again if the message is rolled back
    for organization, people in organizations.items():
        _touchpoint_for(email, organization, people)
    return email


def email_capture(*, raw: bytes, staff: dict[str, User] | None = None) -> Captured:
    """Read one message (RFC 5322 bytes) into the log. Raises inbox.parsing.Unreadable for a
    message that cannot be read; the caller moves it aside with the reason. `staff`: the staff
    by address (core.profiles.staff_by_address), read once for a batch of messages."""
    parsed = parse(raw)
    if parsed.automatic:
        return Captured(None, created=False, ignored=parsed.automatic)
    existing = CapturedEmail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return Captured(existing, created=False)
    written: list[str] = []
    try:
        with transaction.atomic():
            email = _record(parsed, raw, staff or staff_by_address(), written)
    except IntegrityError:
        _forget_files(written)
        # Another worker saved the same message a moment ago; any other conflict is an error.
        existing = CapturedEmail.objects.filter(message_id=parsed.message_id).first()
        if existing is None:
            raise
        return Captured(existing, created=False)
    except BaseException:
        _forget_files(written)
        raise
    logger.info("Captured %s (%s).", parsed.message_id, email.status)
    return Captured(email, created=True)


@transaction.atomic
def captured_email_file(
    *, email: CapturedEmail, organization: Organization, by: User, add_people: bool = False
) -> Touchpoint:
    """File an unfiled email to an organization; with `add_people`, the partner in it becomes a
    contact of the organization first (named from the email): its sender, or for an email the
    library sent, the people it was sent to."""
    email = CapturedEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != CapturedEmail.Status.UNFILED:
        raise ValidationError("This email has already been filed or discarded.")
    contacts = [
        a.contact
        for a in Affiliation.objects.current()
        .filter(organization=organization, contact__email__in=_addresses_in(email))
        .select_related("contact")
    ]
    if add_people:
        known = {c.email for c in contacts}
        for name, address in partners_in(email):
            if address not in known:
                contacts.append(_contact_at(organization, name=name, address=address, by=by))
                known.add(address)
    if email.staff is None:
        email.staff = by
    touchpoint = _touchpoint_for(email, organization, contacts)
    email.status = CapturedEmail.Status.FILED
    email.handled_by = by
    email.handled_at = timezone.now()
    email.save(update_fields=["status", "staff", "handled_by", "handled_at", "updated_at"])
    return touchpoint


def partners_in(email: CapturedEmail) -> list[tuple[str, str]]:
    """(name, address) of the partner side of an email: who wrote it, or whom the library wrote
    to — never a staff member or the capture mailbox."""
    if email.direction == CapturedEmail.Direction.IN:
        people = [(email.from_name, email.from_address)]
    else:
        people = email.recipients
    ours = {*staff_by_address(), capture_address()}
    return [(n, a) for n, a in people if a not in ours]


def _contact_at(organization: Organization, *, name: str, address: str, by: User) -> Contact:
    """The contact with this address, made a contact of the organization (created if new)."""
    contact = Contact.objects.filter(email=address).first()
    if contact is None:
        return contact_create(
            by=by, organization=organization, name=name or address.split("@")[0], email=address
        )
    if (
        not Affiliation.objects.current()
        .filter(contact=contact, organization=organization)
        .exists()
    ):
        affiliation_create(contact=contact, organization=organization)
    return contact


def _addresses_in(email: CapturedEmail) -> list[str]:
    return [email.from_address, *(address for _, address in email.recipients)]


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


def email_sent_from_liaison_record(
    *,
    message_id: str,
    staff: User,
    to: tuple[str, str],
    subject: str,
    text: str,
    touchpoint: Touchpoint,
) -> CapturedEmail:
    """An email written and sent from Liaison (compose), kept as if captured, filed on its
    touchpoint: its blind copy to the capture mailbox is then the same Message-ID (nothing
    logged twice), and a partner's reply threads onto it. In the caller's transaction."""
    name, address = to
    email = CapturedEmail.objects.create(
        message_id=message_id,
        thread_key=message_id,
        direction=CapturedEmail.Direction.OUT,
        from_name=display_name(staff)[:200],
        from_address=(staff.email or "").lower()[:254],
        to_addresses=display(name, address),
        sent_at=timezone.now(),
        subject=subject[:998],
        text=text,
        staff=staff,
        status=CapturedEmail.Status.FILED,
    )
    FiledEmail.objects.create(
        email=email, organization_id=touchpoint.organization_id, touchpoint=touchpoint
    )
    return email
