"""Writing email in Liaison: templates, an email to one person, a group email to many.

Every message is one outbox row (mail.outbox), under a key that names it — ``personal:<form
key>:<contact>`` or ``group:<group email>:<contact>`` — so a form posted twice, a retry or a
second approval never sends anything twice: the unique key refuses the second row, and the
touchpoint is only logged for the row that was queued.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from compose.audiences import Audience, Recipient, audience_of
from compose.merge import unknown_fields_check
from compose.messages import Sender, Written, written_for
from compose.models import EmailTemplate, GroupEmail, SentEmail
from core.people import display_name
from core.profiles import capture_address, user_localtime
from core.roles import ADMIN, MANAGER, is_manager
from inbox.services import email_sent_from_liaison_record
from mail.models import OutgoingEmail
from mail.outbox import Email, email_queue, message_id_make, pace_gap, sender_wake
from mail.rendering import absolute_url
from outreach.models import Touchpoint
from outreach.services import touchpoint_log
from partners.models import Contact, Organization

logger = logging.getLogger(__name__)

Status = GroupEmail.Status


# Templates ---------------------------------------------------------------------------------


def _template_check(*, name: str, subject: str, body: str, template: EmailTemplate | None):
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            unknown_fields_check(text)
        except ValidationError as error:
            errors[field] = error.messages
    others = EmailTemplate.objects.filter(name__iexact=name.strip())
    if template is not None:
        others = others.exclude(pk=template.pk)
    if others.exists():
        errors["name"] = ["A template has this name already: choose another."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def email_template_create(*, name: str, subject: str, body: str, by: User) -> EmailTemplate:
    _template_check(name=name, subject=subject, body=body, template=None)
    return EmailTemplate.objects.create(
        name=name.strip(), subject=subject.strip(), body=body, created_by=by
    )


@transaction.atomic
def email_template_update(
    *, template: EmailTemplate, name: str, subject: str, body: str
) -> EmailTemplate:
    _template_check(name=name, subject=subject, body=body, template=template)
    template.name, template.subject, template.body = name.strip(), subject.strip(), body
    template.save(update_fields=["name", "subject", "body", "updated_at"])
    return template


def email_template_archive(*, template: EmailTemplate, archived: bool = True) -> EmailTemplate:
    """Take a template out of the choices (kept, never deleted), or put it back."""
    template.is_archived = archived
    template.save(update_fields=["is_archived", "updated_at"])
    return template


# Sending one person's email ---------------------------------------------------------------


def _log(written: Written, *, sender: User, row: OutgoingEmail, note: str = "") -> Touchpoint:
    """The touchpoint for an email just queued, on the organization it was written to."""
    when = user_localtime(sender, timezone.now())
    return touchpoint_log(
        organization=written.organization,
        staff=sender,
        occurred_on=when.date(),
        occurred_time=when.time().replace(second=0, microsecond=0),
        subject=written.subject,
        channel=Touchpoint.Channel.EMAIL,
        contacts=[written.contact],
        notes=written.logged if not note else f"{note}\n\n{written.logged}",
        conversation=row.message_id,
    )


def _link(row: OutgoingEmail, touchpoint: Touchpoint) -> None:
    url = reverse("outreach:touchpoint_detail", args=[touchpoint.pk])
    OutgoingEmail.objects.filter(pk=row.pk).update(related_url=url)


def personal_email_check(contact: Contact) -> None:
    """Refuse to write to someone who must not be contacted, or who has no address."""
    if contact.do_not_contact:
        raise ValidationError(
            f"{contact.name} is marked “do not contact”: Liaison sends them no email."
        )
    if not contact.email:
        raise ValidationError(f"{contact.name} has no email address in Liaison.")


@transaction.atomic
def personal_email_send(
    *,
    key: uuid.UUID,
    sender: User,
    contacts: list[Contact],
    organization: Organization,
    subject: str,
    body: str,
) -> list[SentEmail]:
    """Send each contact their own copy of an email written in Liaison, logged at once as an
    email touchpoint on `organization`. Posting the same form again (same `key`) sends nothing
    more and returns what was sent the first time."""
    for text in (subject, body):
        unknown_fields_check(text)
    for contact in contacts:
        personal_email_check(contact)
    writer = Sender.of(sender)
    bcc = capture_address()
    sent = []
    figures: dict[int, dict[str, str]] = {}
    for contact in contacts:
        written = written_for(
            contact=contact,
            organization=organization,
            sender=writer,
            subject=subject,
            body=body,
            figures=figures,
        )
        message_id = message_id_make()
        row = email_queue(
            Email(
                kind=OutgoingEmail.Kind.PERSONAL,
                key=f"personal:{key}:{contact.pk}",
                to_address=contact.email,
                to_name=contact.name,
                contact=contact,
                subject=written.subject,
                body_text=written.body,
                headers=written.headers,
                bcc=bcc,
                message_id=message_id,
                related_label=f"Email to {contact.name} at {organization.name}",
            )
        )
        if row is None:
            continue  # sent when the form was posted before
        touchpoint = _log(written, sender=sender, row=row)
        _link(row, touchpoint)
        email_sent_from_liaison_record(
            message_id=message_id,
            staff=sender,
            to=(contact.name, contact.email),
            subject=written.subject,
            text=written.body,
            touchpoint=touchpoint,
        )
        sent.append(
            SentEmail.objects.create(
                contact=contact,
                organization=organization,
                address=contact.email,
                outgoing=row,
                touchpoint=touchpoint,
            )
        )
    if not sent:
        return list(
            SentEmail.objects.filter(outgoing__idempotency_key__startswith=f"personal:{key}:")
        )
    return sent


# Group email --------------------------------------------------------------------------------


def needs_approval(*, by: User, audience: Audience) -> bool:
    """Librarians send to up to LIAISON_GROUP_EMAIL_APPROVAL_OVER people; more waits for a
    manager. Managers and admins send to any number."""
    limit = settings.LIAISON_GROUP_EMAIL_APPROVAL_OVER
    return not is_manager(by) and len(audience.included) > limit


def audience_check(audience: Audience) -> None:
    if audience.dropped:
        names = ", ".join(audience.dropped)
        raise ValidationError(
            f"The list's filters no longer hold ({names}): nothing was sent. Write it again "
            "from the list as it is now."
        )
    if audience.too_many:
        raise ValidationError(
            "This list has more than "
            f"{len(audience.recipients)} people: narrow it (a group email goes to at most that "
            "many at once)."
        )
    if not audience.included:
        raise ValidationError("Nobody on this list can receive it: see who is left out below.")


@transaction.atomic
def group_email_create(
    *,
    key: uuid.UUID,
    query: QueryDict,
    subject: str,
    body: str,
    by: User,
    template: EmailTemplate | None = None,
) -> GroupEmail:
    """Write a group email to the list `query` describes: sent at once, or, above the number a
    librarian may send alone, kept for a manager's approval (the managers are emailed). The
    same form posted twice (same `key`) makes one group email."""
    existing = GroupEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    for text in (subject, body):
        unknown_fields_check(text)
    audience = audience_of(query)
    audience_check(audience)
    waiting = needs_approval(by=by, audience=audience)
    try:
        with transaction.atomic():
            group_email = GroupEmail.objects.create(
                key=key,
                subject=subject.strip(),
                body=body,
                audience=audience.description[:500],
                audience_query=query.urlencode(),
                template=template,
                written_by=by,
                status=Status.WAITING if waiting else Status.SENT,
            )
    except IntegrityError:
        # The same form posted twice at once: the other request made it (and sends it).
        return GroupEmail.objects.get(key=key)
    if waiting:
        _ask_managers(group_email, count=len(audience.included))
    else:
        _send(group_email, audience)
    return group_email


def _decide(group_email: GroupEmail, *, by: User, status: str) -> GroupEmail:
    """Record a manager's decision on a waiting group email, locked against a second one."""
    group_email = GroupEmail.objects.select_for_update().get(pk=group_email.pk)
    if group_email.status != Status.WAITING:
        raise ValidationError("This group email has been approved or declined already.")
    group_email.status = status
    group_email.decided_by, group_email.decided_at = by, timezone.now()
    group_email.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return group_email


@transaction.atomic
def group_email_approve(*, group_email: GroupEmail, by: User) -> GroupEmail:
    """A manager sends a waiting group email, to the list as it is now."""
    audience = audience_of(QueryDict(group_email.audience_query))
    audience_check(audience)
    group_email = _decide(group_email, by=by, status=Status.SENT)
    _send(group_email, audience)
    return group_email


@transaction.atomic
def group_email_decline(*, group_email: GroupEmail, by: User) -> GroupEmail:
    return _decide(group_email, by=by, status=Status.DECLINED)


def _pace_start(interval: dt.timedelta) -> dt.datetime:
    """When the next group message may go: after those already waiting their turn, so two
    group emails together keep the pace too."""
    now = timezone.now()
    last = OutgoingEmail.objects.filter(
        kind=OutgoingEmail.Kind.GROUP, status=OutgoingEmail.Status.QUEUED, next_attempt_at__gt=now
    ).aggregate(last=Max("next_attempt_at"))["last"]
    return max(now, last + interval) if last else now


def _send(group_email: GroupEmail, audience: Audience) -> None:
    """Queue each included person's message, paced, and log it; record who was left out."""
    writer = Sender.of(group_email.written_by)
    interval = pace_gap()
    start = _pace_start(interval)
    figures: dict[int, dict[str, str]] = {}
    note = f"Group email ({group_email.audience})"
    for index, recipient in enumerate(audience.included):
        assert recipient.organization is not None  # included people are at one
        written = written_for(
            contact=recipient.contact,
            organization=recipient.organization,
            sender=writer,
            subject=group_email.subject,
            body=group_email.body,
            group=True,
            figures=figures,
        )
        row = email_queue(
            _group_message(group_email, written, start + index * interval), wake=False
        )
        if row is None:
            continue
        touchpoint = _log(written, sender=group_email.written_by, row=row, note=note)
        _link(row, touchpoint)
        SentEmail.objects.create(
            group_email=group_email,
            contact=recipient.contact,
            organization=recipient.organization,
            address=recipient.contact.email,
            outgoing=row,
            touchpoint=touchpoint,
        )
    # Recorded once, however often this runs (each person's own row is their outbox key's).
    recorded = set(
        SentEmail.objects.filter(group_email=group_email).values_list("contact", flat=True)
    )
    SentEmail.objects.bulk_create(
        [_left_out(group_email, r) for r in audience.left_out if r.contact.pk not in recorded]
    )
    sender_wake()  # once for the whole group email
    group_email.sent_at = timezone.now()
    group_email.save(update_fields=["sent_at", "updated_at"])


def _group_message(group_email: GroupEmail, written: Written, not_before: dt.datetime) -> Email:
    contact = written.contact
    return Email(
        kind=OutgoingEmail.Kind.GROUP,
        key=f"group:{group_email.pk}:{contact.pk}",
        to_address=contact.email,
        to_name=contact.name,
        contact=contact,
        subject=written.subject,
        body_text=written.body,
        headers=written.headers,
        not_before=not_before,
        related_label=f"Group email: {group_email.subject}",
    )


def _left_out(group_email: GroupEmail, recipient: Recipient) -> SentEmail:
    return SentEmail(
        group_email=group_email,
        contact=recipient.contact,
        organization=recipient.organization,
        address=recipient.contact.email,
        left_out=recipient.left_out[:200],
    )


def _ask_managers(group_email: GroupEmail, *, count: int) -> None:
    link = absolute_url(group_email.get_absolute_url())
    writer = display_name(group_email.written_by)
    managers = (
        User.objects.filter(is_active=True, groups__name__in=[MANAGER, ADMIN])
        .exclude(email="")
        .distinct()
    )
    for manager in managers:
        email_queue(
            Email(
                kind=OutgoingEmail.Kind.GROUP_APPROVAL,
                key=f"group-approval:{group_email.pk}:{manager.pk}",
                to_address=manager.email,
                to_name=display_name(manager),
                user=manager,
                subject=f"To approve: {writer}’s group email to {count} people",
                body_text=(
                    f"{writer} wrote a group email to {count} people, more than a librarian "
                    f"sends alone: “{group_email.subject}”.\n\n"
                    f"Read it, see who it goes to, and send or decline it:\n{link}\n"
                ),
                related_label=f"Group email to approve: {group_email.subject}",
                related_url=group_email.get_absolute_url(),
            )
        )
