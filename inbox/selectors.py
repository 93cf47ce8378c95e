"""Reads for captured email: contacts by address, the unfiled list, an email's conversation
(staff by address: core.profiles.staff_by_address)."""

from django.db.models import Min, QuerySet

from inbox.models import CapturedEmail, SetAside
from partners.models import Contact


def contacts_by_address(addresses: set[str]) -> list[Contact]:
    """The contacts with one of these addresses (stored lower-cased), by name."""
    if not addresses:
        return []
    return list(Contact.objects.filter(email__in=sorted(addresses)).order_by("name", "pk"))


def unfiled_emails() -> QuerySet[CapturedEmail]:
    return CapturedEmail.objects.unfiled().select_related("staff").order_by("-sent_at", "-id")


def conversation_of(email: CapturedEmail) -> list[CapturedEmail]:
    """The other emails of its conversation (up to 50), oldest first; each with `touchpoint_id`,
    one of the touchpoints it became (None while unfiled)."""
    return list(
        CapturedEmail.objects.filter(thread_key=email.thread_key)
        .exclude(pk=email.pk)
        .exclude(status=CapturedEmail.Status.DISCARDED)
        .annotate(touchpoint_id=Min("filings__touchpoint_id"))
        .order_by("sent_at", "id")[:50]
    )


def email_of_touchpoint(touchpoint_id: int) -> CapturedEmail | None:
    """The captured email a touchpoint was made from, if it was."""
    return (
        CapturedEmail.objects.filter(filings__touchpoint_id=touchpoint_id)
        .select_related("staff")
        .first()
    )


def set_aside_messages() -> QuerySet[SetAside]:
    return SetAside.objects.filter(seen_at__isnull=True).order_by("-created_at", "-id")
