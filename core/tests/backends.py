"""An email backend for tests that fails the way real SMTP servers do, per recipient address."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

# address → exception to raise when a message to it is sent; set by the tests.
FAILURES: dict[str, Exception] = {}
# Set to an exception to make open() fail, as when the server is down.
OPEN_FAILURE: list[Exception] = []


class ScriptedBackend(EmailBackend):
    opened = 0

    def open(self):
        if OPEN_FAILURE:
            raise OPEN_FAILURE[0]
        ScriptedBackend.opened += 1
        return False

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address in FAILURES:
                    raise FAILURES[address]
        return super().send_messages(messages)


def refused(code: int, address: str) -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({address: (code, b"mailbox says no")})


__all__ = ["FAILURES", "OPEN_FAILURE", "ScriptedBackend", "mail", "refused"]
