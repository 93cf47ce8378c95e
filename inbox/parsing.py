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


def _decoded(part: EmailMessage) -> str:
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


def _body_and_attachments(message: EmailMessage) -> tuple[str, list[Attachment]]:
    plain, html, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = part.get_filename()
        if filename or part.get_content_disposition() == "attachment":
            content = part.get_payload(decode=True)
            if isinstance(content, bytes):
                name = (filename or "attachment").replace("/", "_").replace("\\", "_")[:255]
                attachments.append(Attachment(name, content_type[:100], content))
        elif content_type == "text/plain":
            plain.append(_decoded(part))
        elif content_type == "text/html":
            html.append(_decoded(part))
    text = "\n\n".join(plain) if plain else "\n\n".join(html_to_text(h) for h in html)
    return text.replace("\r\n", "\n").strip(), attachments


def _thread_key(message: EmailMessage, message_id: str) -> str:
    references = str(message.get("References", "")).split()
    if references:
        return _clean_id(references[0])
    in_reply_to = str(message.get("In-Reply-To", "")).split()
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
    return when


def _inline_forward(text: str, sent_at: dt.datetime) -> "ParsedEmail | None":
    """The original message quoted in a forward's body: its header block, then its text."""
    marker = FORWARD_MARKER.search(text)
    if marker is None:
        return None
    lines = text[marker.end() :].lstrip("\n").splitlines()
    headers: dict[str, str] = {}
    index = 0
    for index, line in enumerate(lines):  # noqa: B007 — the body starts after the headers
        match = QUOTED_HEADER.match(line)
        if match is None:
            if headers and not line.strip():
                break
            continue
        headers[match.group(1).lower()] = match.group(2)
    sender = getaddresses([headers.get("from", "")])
    if not sender or "@" not in sender[0][1]:
        return None
    name, address = sender[0]
    body = "\n".join(line.lstrip("> ").rstrip() for line in lines[index + 1 :]).strip()
    return ParsedEmail(
        message_id="",
        thread_key="",
        from_name=name.strip(),
        from_address=address.strip().lower(),
        to=getaddresses([headers["to"]]) if headers.get("to") else [],
        cc=getaddresses([headers["cc"]]) if headers.get("cc") else [],
        sent_at=_date(headers.get("date") or headers.get("sent"), sent_at),
        subject=headers.get("subject", ""),
        text=body,
    )


def parse(raw: bytes) -> ParsedEmail:
    """The message in `raw` (RFC 5322 bytes); Unreadable if it has no sender to file it by."""
    try:
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        senders = _addresses(message, "From")
    except Exception as error:  # noqa: BLE001 — any failure of a malformed message
        raise Unreadable(f"Its headers could not be read ({error.__class__.__name__}).") from error
    if not senders:
        raise Unreadable("It has no sender address (From).")
    from_name, from_address = senders[0]
    message_id = _clean_id(str(message.get("Message-ID", "")))
    if not message_id:
        # No Message-ID: the same bytes read twice are still one message.
        message_id = "<" + hashlib.sha256(raw).hexdigest() + "@liaison.hash>"
    try:
        text, attachments = _body_and_attachments(message)
    except Exception as error:  # noqa: BLE001 — a broken MIME structure
        raise Unreadable(f"Its body could not be read ({error.__class__.__name__}).") from error
    parsed = ParsedEmail(
        message_id=message_id,
        thread_key=_thread_key(message, message_id),
        from_name=from_name,
        from_address=from_address,
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        sent_at=_date(message.get("Date")),
        subject=" ".join(str(message.get("Subject", "")).split()),
        text=text,
        attachments=attachments,
        automatic=_automatic(message, from_address),
    )
    return parsed


def forwarded_original(parsed: ParsedEmail, raw: bytes) -> "ParsedEmail | None":
    """The original of a forward ("Fwd:"): an attached message, else the one quoted in the text."""
    if not FORWARD_SUBJECT.match(parsed.subject):
        return None
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
    return _inline_forward(parsed.text, parsed.sent_at)


def display(name: str, address: str) -> str:
    """'Name <address>', as a To line shows it."""
    if not name:
        return address
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, IndexError):
        return f"{name} <{address}>"
