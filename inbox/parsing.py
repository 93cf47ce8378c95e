"""A raw message, read: addresses, date, subject, text, attachments, and whether a person wrote it.

The standard library's email package (policy.default) decodes encoded headers and bodies in any
charset Python knows; an unknown charset is read as Latin-1 rather than refused. HTML is reduced
to plain text through lxml (already pinned for spreadsheets); nothing of it is ever shown as HTML.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

import lxml.html  # type: ignore[import-untyped]
from django.conf import settings
from django.utils import timezone

from inbox.models import MESSAGE_ID_LENGTH


class Unreadable(Exception):
    """The message cannot be read as an email; the reason is shown to a person."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedEmail:
    message_id: str
    thread_key: str
    from_name: str
    from_address: str
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    sent_at: dt.datetime
    subject: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    # Why it is not a person writing (an auto-reply, a bounce, a mailing list), else "".
    automatic: str = ""
    # The message a staff member forwarded, where there is one.
    forwarded: "ParsedEmail | None" = None
    # Whether the library's mail server vouched for the sender (verified_sender); None when
    # no server is named to trust (LIAISON_CAPTURE_AUTHSERV_ID).
    verified: bool | None = None

    @property
    def addresses(self) -> set[str]:
        return {self.from_address, *(a for _, a in self.to), *(a for _, a in self.cc)}


FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|fw)\s*:\s*", re.IGNORECASE)
# "---------- Forwarded message ---------" (Gmail), "Begin forwarded message:" (Apple Mail),
# "-----Original Message-----" (Outlook), then a block of headers.
FORWARD_MARKER = re.compile(
    r"^[ >]*(-+ ?Forwarded message ?-+|Begin forwarded message:|-+ ?Original Message ?-+)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
QUOTED_HEADER = re.compile(r"^[ >*]*(From|Date|Sent|Subject|To|Cc)\s*:\s*(.*?)\**\s*$", re.I)
# Elements that end a paragraph, and those that end a line.
PARAGRAPHS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "ul", "ol")
LINES = ("br", "li", "tr")


def _clean_text(text: str) -> str:
    """Text a database stores: no NUL characters (PostgreSQL refuses them)."""
    return text.replace("\x00", "")


def _clean_id(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > MESSAGE_ID_LENGTH:
        return "<" + hashlib.sha256(value.encode()).hexdigest() + "@liaison.hash>"
    return value


def _addresses(message: EmailMessage, name: str) -> list[tuple[str, str]]:
    values = [str(v) for v in message.get_all(name, [])]
    found = []
    for display, address in getaddresses(values):
        address = address.strip().lower()
        if "@" in address:
            found.append((display.strip(), address))
    return found


def _automatic(message: EmailMessage, sender: str) -> str:
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "an automatic reply (Auto-Submitted)"
    if str(message.get("Precedence", "")).strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return "bulk or automatic mail (Precedence)"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "mailing-list mail (List-Id)"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "an automatic reply"
    if message.get_content_type() == "multipart/report" or message.get("X-Failed-Recipients"):
        return "a delivery report (bounce)"
    if sender.split("@")[0] in {"mailer-daemon", "postmaster"}:
        return "a delivery report (bounce)"
    return ""


RESULT = re.compile(r"\b(dmarc|dkim|spf)=(\w+)([^;]*)", re.IGNORECASE)


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip(" <>").lower()


def _aligned(domain: str, sender_domain: str) -> bool:
    return bool(domain) and (sender_domain == domain or sender_domain.endswith("." + domain))


def verified_sender(message: EmailMessage, sender: str) -> bool | None:
    """Whether the library's own mail server (the Authentication-Results it adds, named by
    LIAISON_CAPTURE_AUTHSERV_ID) found the From address genuine: DMARC passed, or with no DMARC
    policy, DKIM or SPF passed for the sender's own domain. Anyone can write any From line; only
    that server's word is taken. None when no server is named."""
    server = settings.LIAISON_CAPTURE_AUTHSERV_ID.strip().lower()
    if not server:
        return None
    sender_domain = _domain_of(sender)
    results: dict[str, list[str]] = {}
    for key, value in message.raw_items():
        text = " ".join(str(value).split())
        if key.lower() != "authentication-results" or text.split(";")[0].strip().lower() != server:
            continue
        for method, outcome, detail in RESULT.findall(text):
            results.setdefault(method.lower(), []).append(f"{outcome.lower()} {detail.lower()}")
    dmarc = [r.split()[0] for r in results.get("dmarc", [])]
    if "pass" in dmarc:
        return True
    if any(outcome != "none" for outcome in dmarc):
        return False
    for method, marker in (("dkim", "header.d="), ("spf", "smtp.mailfrom=")):
        for result in results.get(method, []):
            domain = _domain_of(result.partition(marker)[2].split()[0]) if marker in result else ""
            if result.startswith("pass") and _aligned(domain, sender_domain):
                return True
    return False


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("latin-1", errors="replace")


def html_to_text(html: str) -> str:
    """The words of an HTML body, paragraph by paragraph; scripts and styles left out."""
    # An XML declaration naming an encoding is refused in a str: the text is decoded already.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    if not html.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in root.iter("script", "style", "head", "title"):
        element.drop_tree()
    for element in root.iter(*PARAGRAPHS):
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter(*LINES):
        element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _leaves(part: Message) -> list[Message]:
    """The parts of a message that hold content, not going into an attached message (one
    forwarded as an attachment stays one attachment, its text not mixed into this one's)."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        return [part]
    payload = part.get_payload()
    children = payload if isinstance(payload, list) else []
    return [leaf for child in children if isinstance(child, Message) for leaf in _leaves(child)]


def attachment_name(filename: str | None, content_type: str) -> str:
    """A file name safe to store and to send back: no path, no control characters, at most 200
    characters (the extension kept); "attachment" when nothing is left."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", filename or "").strip(" .")
    if not name or set(name) <= {"_", "."}:
        name = "attachment.eml" if content_type == "message/rfc822" else "attachment"
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (
            stem[: 190 - len(extension)] + dot + extension
            if dot and len(extension) < 10
            else name[:200]
        )
    return name


def _body_and_attachments(message: EmailMessage) -> tuple[str, list[Attachment]]:
    plain, html, attachments = [], [], []
    for part in _leaves(message):
        content_type = part.get_content_type()
        filename = part.get_filename()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            if isinstance(inner, Message):
                name = attachment_name(filename, content_type)
                attachments.append(Attachment(name, content_type, inner.as_bytes()))
        elif filename or part.get_content_disposition() == "attachment":
            content = part.get_payload(decode=True)
            if isinstance(content, bytes):
                name = attachment_name(filename, content_type)
                attachments.append(Attachment(name, content_type[:100], content))
        elif content_type == "text/plain":
            plain.append(_decoded(part))
        elif content_type == "text/html":
            html.append(_decoded(part))
    text = "\n\n".join(plain) if plain else "\n\n".join(html_to_text(h) for h in html)
    return text.replace("\r\n", "\n").strip(), attachments


def _raw_header(message: EmailMessage, name: str) -> str:
    """A header as written, unparsed: the parser refuses some ids mail programs send ("<<>>")."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return " ".join(str(value).split())
    return ""


def _thread_key(message: EmailMessage, message_id: str) -> str:
    references = _raw_header(message, "References").split()
    if references:
        return _clean_id(references[0])
    in_reply_to = _raw_header(message, "In-Reply-To").split()
    return _clean_id(in_reply_to[0]) if in_reply_to else message_id


def _date(value: str | None, default: dt.datetime | None = None) -> dt.datetime:
    """The Date header as an aware datetime; `default` (else now) when it is missing or broken."""
    try:
        when = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None:
        return default or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    now = timezone.now()
    if not now - dt.timedelta(days=3650) < when < now + dt.timedelta(days=1):
        # A clock far off, or a forged date: when it was read is nearer the truth.
        return default or now
    return when


def _quoted_addresses(value: str) -> list[tuple[str, str]]:
    """The addresses of a quoted header line, as _addresses reads real ones; Outlook writes
    "Jane Doe [mailto:jane@x.org]"."""
    value = re.sub(r"\[mailto:([^\]]+)\]", r"<\1>", value)
    return [(n.strip(), a.strip().lower()) for n, a in getaddresses([value]) if "@" in a]


def _quoted_date(value: str, default: dt.datetime) -> dt.datetime:
    """A quoted Date line; Gmail writes "Tue, 3 Mar 2026 at 10:15"."""
    return _date(re.sub(r"\s+at\s+", " ", value), default) if value else default


def _inline_forward(text: str, sent_at: dt.datetime) -> "ParsedEmail | None":
    """The original message quoted in a forward's body: the header block right after the
    marker, then its text."""
    marker = FORWARD_MARKER.search(text)
    if marker is None:
        return None
    lines = text[marker.end() :].lstrip("\n").splitlines()
    headers: dict[str, str] = {}
    index = 0
    for index, line in enumerate(lines):  # noqa: B007 — the body starts after the headers
        match = QUOTED_HEADER.match(line)
        if match is None:
            break  # the first line that is not a header ends the block
        headers.setdefault(match.group(1).lower(), match.group(2))
    else:
        index = len(lines)
    sender = _quoted_addresses(headers.get("from", ""))
    if not sender:
        return None
    name, address = sender[0]
    body = "\n".join(line.lstrip("> ").rstrip() for line in lines[index:]).strip()
    return ParsedEmail(
        message_id="",
        thread_key="",
        from_name=name,
        from_address=address,
        to=_quoted_addresses(headers.get("to", "")),
        cc=_quoted_addresses(headers.get("cc", "")),
        sent_at=_quoted_date(headers.get("date") or headers.get("sent", ""), sent_at),
        subject=headers.get("subject", ""),
        text=body,
    )


def parse(raw: bytes) -> ParsedEmail:
    """The message in `raw` (RFC 5322 bytes); Unreadable, with the reason, if it cannot be read
    or has no sender to file it by."""
    try:
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        senders = _addresses(message, "From")
    except Exception as error:  # noqa: BLE001 — any failure of a malformed message
        raise Unreadable(f"Its headers could not be read ({error.__class__.__name__}).") from error
    if not senders:
        raise Unreadable("It has no sender address (From).")
    try:
        return _parsed(message, raw, senders[0])
    except Exception as error:  # noqa: BLE001 — a broken header or MIME structure
        raise Unreadable(f"It could not be read ({error.__class__.__name__}).") from error


def _parsed(message: EmailMessage, raw: bytes, sender: tuple[str, str]) -> ParsedEmail:
    from_name, from_address = sender
    message_id = _clean_id(_raw_header(message, "Message-ID"))
    if not message_id:
        # No Message-ID: the same bytes read twice are still one message.
        message_id = "<" + hashlib.sha256(raw).hexdigest() + "@liaison.hash>"
    text, attachments = _body_and_attachments(message)
    return ParsedEmail(
        message_id=message_id,
        thread_key=_thread_key(message, message_id),
        from_name=from_name,
        from_address=from_address,
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        sent_at=_date(message.get("Date")),
        subject=_clean_text(" ".join(str(message.get("Subject", "")).split())),
        text=_clean_text(text),
        attachments=attachments,
        automatic=_automatic(message, from_address),
        verified=verified_sender(message, from_address),
    )


def forwarded_original(parsed: ParsedEmail, raw: bytes) -> "ParsedEmail | None":
    """The original of a forward ("Fwd:"): an attached message, else the one quoted in the text."""
    if not FORWARD_SUBJECT.match(parsed.subject):
        return None
    try:
        return _attached_original(raw) or _inline_forward(parsed.text, parsed.sent_at)
    except Exception:  # noqa: BLE001 — an original that cannot be read: the forward is kept
        return None


def _attached_original(raw: bytes) -> "ParsedEmail | None":
    message = message_from_bytes(raw, policy=policy.default)
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            if not isinstance(inner, Message):
                break
            try:
                return parse(inner.as_bytes())
            except Unreadable:
                break
    return None


def display(name: str, address: str) -> str:
    """'Name <address>', as a To line shows it."""
    if not name:
        return address
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError):
        return f"{name} <{address}>"
