"""Messages as mail programs write them, for the capture tests."""

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

WHEN = dt.datetime(2026, 11, 3, 15, 30, tzinfo=dt.UTC)


def message(
    *,
    sender: str = "Maya Lopez <maya@clinic.example.org>",
    to: str = "alice@library.example.org",
    cc: str = "",
    subject: str = "Diabetes workshop dates",
    text: str | None = "Could we hold the workshop on the 14th?",
    html: str | None = None,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    when: dt.datetime = WHEN,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id or make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        msg[name] = value
    if text is not None:
        msg.set_content(text)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def raw(**kwargs) -> bytes:
    return bytes(message(**kwargs))


def latin1_raw() -> bytes:
    """A message in ISO-8859-1 with an RFC 2047 encoded subject, as older mail programs send."""
    body = "Merci pour la réunion. À bientôt, Hélène".encode("iso-8859-1")
    return (
        b"From: =?iso-8859-1?q?H=E9l=E8ne_Dubois?= <helene@clinic.example.org>\r\n"
        b"To: alice@library.example.org\r\n"
        b"Subject: =?iso-8859-1?q?R=E9union_du_comit=E9?=\r\n"
        b"Date: Tue, 03 Nov 2026 10:00:00 -0500\r\n"
        b"Message-ID: <latin1-1@clinic.example.org>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body + b"\r\n"
    )


MALFORMED = b"this is not an email at all\r\nno headers, no sender\r\n"
