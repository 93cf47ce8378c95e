"""What one person's email says and how it is addressed: the merge fields filled in for them,
the staff member's name in From, their address as Reply-To. One home for the email shown in a
preview and the email sent, so the preview is exactly what goes out."""

import datetime as dt
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import capfirst

from compose.merge import Values, merge
from core.people import display_name
from core.profiles import profile_for
from partners.models import Contact, Organization
from programs.selectors.impact import impact_summary
from updates.emails import library_name, library_zone
from updates.unsubscribe import unsubscribe_url


@dataclass
class Written:
    """One recipient's email, as it will be sent."""

    contact: Contact
    organization: Organization
    subject: str
    body: str
    from_header: str
    reply_to: str
    headers: dict[str, str] = field(default_factory=dict)
    # What the timeline keeps of it: the body without the unsubscribe footer (a working link).
    logged: str = ""


def first_name(name: str) -> str:
    """ "Maria" of "Maria López", "Dr." left off; the whole name when it is one word."""
    words = [w for w in name.split() if w.rstrip(".").lower() not in {"dr", "mr", "mrs", "ms"}]
    return words[0] if words else name.strip()


def signature_of(sender: User) -> str:
    """The sender's signature from their profile, else their name and the library's."""
    written = profile_for(sender).email_signature.strip()
    library = library_name()
    return written or f"{display_name(sender)}\n{capfirst(library)}"


def from_header(sender: User) -> str:
    """ "Rosa Díaz <the library's sending address>": partners see who wrote it."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((display_name(sender), address))


def _figures(organization: Organization, cache: dict[int, dict[str, str]]):
    def compute() -> dict[str, str]:
        if organization.pk in cache:
            return cache[organization.pk]
        today = timezone.localdate(timezone=library_zone())
        with timezone.override(library_zone()):
            summary = impact_summary(
                organization=organization, start=dt.date(today.year, 1, 1), end=today
            )
        cache[organization.pk] = {
            "sessions_this_year": f"{summary.sessions:,}",
            "people_reached_this_year": f"{summary.attendance:,}",
            "programs_this_year": f"{len(summary.programs):,}",
        }
        return cache[organization.pk]

    return compute


@dataclass
class Sender:
    """The writer, read once for a batch of recipients."""

    user: User
    name: str
    signature: str
    from_header: str

    @classmethod
    def of(cls, user: User) -> "Sender":
        return cls(user, display_name(user), signature_of(user), from_header(user))


def written_for(
    *,
    contact: Contact,
    organization: Organization,
    sender: Sender,
    subject: str,
    body: str,
    group: bool = False,
    figures: dict[int, dict[str, str]] | None = None,
) -> Written:
    """The email `contact` gets. `figures` keeps each organization's figures across a batch
    (they are computed only if the text asks for them).
    A group email ends with the one-click unsubscribe link (in the text and in the headers)."""
    values = Values(
        plain={
            "first_name": first_name(contact.name),
            "full_name": contact.name,
            "organization": organization.name,
            "library_name": library_name(),
            "sender_name": sender.name,
            "sender_signature": sender.signature,
        },
        figures=_figures(organization, {} if figures is None else figures),
    )
    text = logged = merge(body, values).strip()
    headers = {"From": sender.from_header}
    if sender.user.email:
        headers["Reply-To"] = sender.user.email
    if group and contact.pk:
        link = unsubscribe_url(contact)
        text += (
            f"\n\n--\nYou are receiving this because you work with {library_name()}. "
            f"To stop group emails and progress updates from us: {link}"
        )
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return Written(
        contact=contact,
        organization=organization,
        subject=" ".join(merge(subject, values).split())[:200],
        body=text,
        from_header=sender.from_header,
        reply_to=sender.user.email,
        headers=headers,
        logged=logged,
    )
