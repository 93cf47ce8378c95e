"""A handful of captured emails: a partner's question, the librarian's reply (one conversation),
a forward of a partner's email, and one from someone Liaison does not know yet (unfiled)."""

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

from django.contrib.auth.models import User
from django.utils import timezone

from inbox.services import email_capture
from partners.models import Affiliation, Stage


def _message(
    *, sender: str, to: str, subject: str, text: str, when: dt.datetime, message_id: str, **headers
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return bytes(message)


def demo_captured_email_load(*, staff: list[User]) -> int:
    """Capture the demo emails through the capture service, as if read from the mailbox
    (`staff`: the demo librarian, then the manager)."""
    librarian = staff[0]
    affiliations = list(
        Affiliation.objects.current()
        .filter(
            organization__owner=librarian,
            organization__stage__in=[Stage.ACTIVE, Stage.IN_DISCUSSION],
            is_primary=True,
        )
        .exclude(contact__email="")
        .select_related("contact", "organization")
        .order_by("organization__name")[:2]
    )
    if len(affiliations) < 2:
        return 0
    first, second = (a.contact for a in affiliations)
    now = timezone.now().replace(second=0, microsecond=0)
    rosa = f"{librarian.get_full_name()} <{librarian.email}>"
    messages = [
        _message(
            sender=f"{first.name} <{first.email}>",
            to=rosa,
            subject="Health fair table",
            text=f"Hi {librarian.first_name},\n\nWould the library like a table at our health "
            "fair on the 18th? We could put your summer reading flyers next to our "
            f"vaccination schedule.\n\nBest,\n{first.name}",
            when=now - dt.timedelta(days=3, hours=2),
            message_id="<health-fair-1@demo.example.org>",
        ),
        _message(
            sender=rosa,
            to=f"{first.name} <{first.email}>",
            subject="Re: Health fair table",
            text=f"Dear {first.name.split()[0]},\n\nYes, gladly. Two of us will be there from 10 "
            f"to 2 with library cards and the flyers.\n\n{librarian.get_full_name()}",
            when=now - dt.timedelta(days=2, hours=5),
            message_id="<health-fair-2@library.example.org>",
            In_Reply_To="<health-fair-1@demo.example.org>",
            References="<health-fair-1@demo.example.org>",
        ),
        _message(
            sender=rosa,
            to="liaison@library.example.org",
            subject="Fwd: Data for the joint grant",
            text="For the record.\n\n---------- Forwarded message ---------\n"
            f"From: {second.name} <{second.email}>\n"
            f"Date: {format_datetime(now - dt.timedelta(days=6))}\n"
            "Subject: Data for the joint grant\n"
            f"To: {rosa}\n\n"
            "Here are last year's attendance figures for the narrative: 412 adults at the "
            "diabetes classes, 96 of them referred by the library.\n",
            when=now - dt.timedelta(days=5, hours=1),
            message_id="<grant-data-fwd@library.example.org>",
        ),
        _message(
            sender="Jordan Ellis <jordan@eastside-food-pantry.example.org>",
            to=rosa,
            subject="Partnering on a food and literacy night?",
            text="Hello,\n\nI run the Eastside Food Pantry. A colleague said the library "
            "hosts family literacy nights: could we talk about one at the pantry?\n\n"
            "Jordan Ellis",
            when=now - dt.timedelta(days=1, hours=3),
            message_id="<food-literacy@eastside-food-pantry.example.org>",
        ),
    ]
    return sum(1 for raw in messages if email_capture(raw=raw).created)
