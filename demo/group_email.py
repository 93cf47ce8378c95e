"""Email written in Liaison: the team's templates and a past group email, an invitation to the
health fair sent 75 days ago to the primary contacts of the library's active partners."""

import datetime as dt
import uuid

from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils import timezone

from compose.audiences import audience_of
from compose.models import GroupEmail
from compose.services import email_template_create, group_email_create
from mail.models import OutgoingEmail
from outreach.models import Touchpoint
from outreach.services import organization_last_touchpoint_refresh
from partners.models import Organization, Stage

TEMPLATES = [
    (
        "Invitation to an event",
        "{organization} and {library_name}: join us at our community health fair",
        "Dear {first_name},\n\n"
        "We are holding a community health fair at the Central Library on Saturday, May 9, "
        "10 AM to 2 PM, and we would love {organization} to have a table. Last year 400 "
        "residents came through, many of them asking about clinics and insurance.\n\n"
        "Could you let me know by April 20 whether you can join us?\n\n"
        "With thanks,\n{sender_signature}",
    ),
    (
        "Thank you after a program",
        "Thank you from {library_name}",
        "Dear {first_name},\n\n"
        "Thank you for working with us this year. Together we held {sessions_this_year} "
        "program sessions, and {people_reached_this_year} people came to them.\n\n"
        "I would be glad to hear what you would like to do next.\n\n"
        "Best wishes,\n{sender_signature}",
    ),
    (
        "First outreach",
        "Working together: {library_name} and {organization}",
        "Dear {first_name},\n\n"
        "I am the outreach librarian at {library_name}. We reach many of the residents "
        "{organization} serves, and I think we could do more for them together: shared "
        "workshops, information at our branches, or a joint program.\n\n"
        "Would you have twenty minutes for a call in the next few weeks?\n\n"
        "Kind regards,\n{sender_signature}",
    ),
]


def demo_group_email_load(*, staff: list[User]) -> GroupEmail | None:
    """The templates, and the health fair invitation sent 75 days ago by the manager (so it
    needed no approval), each message recorded as sent then; None if no list fits. Long enough
    ago that the partners who went quiet since are still quiet on the dashboards."""
    manager = staff[1]
    templates = [
        email_template_create(name=name, subject=subject, body=body, by=manager)
        for name, subject, body in TEMPLATES
    ]
    query = _a_list_of_fitting_size(manager)
    if query is None:
        return None
    group_email = group_email_create(
        key=uuid.uuid5(uuid.NAMESPACE_URL, "liaison-demo-health-fair"),
        query=query,
        subject=templates[0].subject,
        body=templates[0].body,
        by=manager,
        template=templates[0],
    )
    _in_the_past(group_email, timezone.now() - dt.timedelta(days=75))
    return group_email


def _a_list_of_fitting_size(manager: User) -> QueryDict | None:
    """The active partners' primary contacts; at --scale 250, thousands: narrowed as a person
    would (the manager's own, then the health organizations among them)."""
    query = QueryDict(mutable=True)
    query.update({"from": "organizations", "stage": Stage.ACTIVE})
    for narrower in ({"owner": str(manager.pk)}, {"kind": Organization.Kind.HEALTH}, None):
        audience = audience_of(query)
        if audience.included and not audience.too_many:
            return query
        if narrower is None:
            return None
        query.update(narrower)
    return None


def _in_the_past(group_email: GroupEmail, when: dt.datetime) -> None:
    """Move the group email, its messages and their touchpoints back to `when`, sent."""
    GroupEmail.objects.filter(pk=group_email.pk).update(created_at=when, sent_at=when)
    rows = OutgoingEmail.objects.filter(sent_email__group_email=group_email)
    rows.update(
        status=OutgoingEmail.Status.SENT,
        sent_at=when,
        created_at=when,
        next_attempt_at=when,
        attempts=1,
    )
    local = timezone.localtime(when)
    touchpoints = Touchpoint.objects.filter(sent_email__group_email=group_email)
    touchpoints.update(
        occurred_on=local.date(), occurred_time=local.time().replace(second=0, microsecond=0)
    )
    organization_last_touchpoint_refresh(
        organization_ids=set(touchpoints.values_list("organization_id", flat=True))
    )
