"""The one-click unsubscribe link in every partner email: a signed token naming the contact.

No login is needed: the signature is the credential. The token carries the contact's id and a
keyed fingerprint of the address the email went to. Binding it to the address means that a link
from a mail sent to someone's old address stops working once the contact's email changes (a
successor inheriting the mailbox, or a contact record reused for a new person), instead of
unsubscribing whoever the contact is now. The fingerprint is an HMAC under SECRET_KEY rather than
the address itself, so the URL does not reveal the address in server or proxy logs.

The token does not expire: RFC 8058 expects an unsubscribe link to keep working for as long as
the email may be read, and a stale link can only ever opt someone *out*. That includes a link
sent to a contact merged since into another record: the person is the record kept, found through
the merge record, which also keeps the address the merged contact had.
"""

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from mail.rendering import absolute_url
from partners.merge import merge_of
from partners.models import Contact

# A dedicated salt: no other signed value in Liaison (sessions, password resets, calendar
# tokens) can be replayed as an unsubscribe token, nor the other way round.
SALT = "liaison.outreach.unsubscribe"
FINGERPRINT_SALT = "liaison.outreach.unsubscribe.email"
# Longer than any signed value Liaison makes; anything longer is rejected unread.
MAX_TOKEN_LENGTH = 200


def _fingerprint(email: str) -> str:
    return salted_hmac(FINGERPRINT_SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:20]


def unsubscribe_token(contact: Contact) -> str:
    return signing.dumps({"c": contact.pk, "e": _fingerprint(contact.email)}, salt=SALT)


def unsubscribe_url(contact: Contact) -> str:
    """The absolute link for an email's footer and its List-Unsubscribe header."""
    return absolute_url("updates:unsubscribe", unsubscribe_token(contact))


def contact_for_unsubscribe_token(token: str) -> Contact | None:
    """The contact the token was made for, or None if it is damaged, foreign or out of date."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError):
        # ValueError: a value signed under this salt without a timestamp (Signer, not dumps)
        # passes the signature check and then fails to parse.
        return None
    if not isinstance(data, dict):
        return None
    pk, fingerprint = data.get("c"), data.get("e")
    if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(fingerprint, str):
        return None
    contact = Contact.objects.filter(pk=pk).first()
    if contact is None:
        return _merged_into(pk, fingerprint)
    if _same_address(fingerprint, contact.email):
        return contact
    return None


def _same_address(fingerprint: str, email: object) -> bool:
    return (
        isinstance(email, str)
        and bool(email)
        and constant_time_compare(fingerprint, _fingerprint(email))
    )


def _merged_into(pk: int, fingerprint: str) -> Contact | None:
    """The contact kept when the token's contact was merged into another, if the link was made
    for the address the merged contact still had when it was merged."""
    merge = merge_of(Contact, pk)
    if merge is None or merge.contact is None:
        return None
    if _same_address(fingerprint, merge.snapshot.get("email")):
        return merge.contact
    return None


def masked_email(email: str) -> str:
    """“ma•••@clinic.example.org”: enough for the reader to recognise, not to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}•••@{domain}" if domain else "•••"
