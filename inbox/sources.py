"""Where captured email is read from: an IMAP mailbox (INBOUND_IMAP_URL) or, with no settings,
a Maildir under var/inbox/ (so `make run` works with no mail server).

A message is moved away once read — to "Processed" (logged, or recognised as automatic mail),
"Could not read" (with the reason in the log) or "Too large" (left for a person) — and never
deleted. A message read but not yet moved (a restart in between) is read again next time and
found already captured (inbox.services).
"""

import logging
import mailbox
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Protocol
from urllib.parse import SplitResult, unquote, urlsplit

from django.conf import settings
from imap_tools import (
    AND,
    BaseMailBox,
    ImapToolsError,
    MailBox,
    MailboxFolderCreateError,
    MailboxFolderSelectError,
    MailBoxStartTls,
)

logger = logging.getLogger(__name__)

PROCESSED = "Processed"
UNREADABLE = "Could not read"
TOO_LARGE = "Too large"
FOLDERS = (PROCESSED, UNREADABLE, TOO_LARGE)


@dataclass
class Waiting:
    """A message in the mailbox: its key there and its size, read before its content."""

    key: str
    size: int
    sender: str = ""
    subject: str = ""


class Source(Protocol):
    def waiting(self, limit: int) -> Iterator[Waiting]: ...

    def content(self, key: str) -> bytes: ...

    def move(self, key: str, folder: str) -> None: ...

    def close(self) -> None: ...


def _sender_and_subject(box: mailbox.Maildir, key: str) -> tuple[str, str]:
    """The From and Subject of a Maildir message, read from its headers only."""
    try:
        with box.get_file(key) as handle:
            head = handle.read(64 * 1024)
        headers = BytesParser(policy=policy.default).parsebytes(head, headersonly=True)
        return str(headers.get("From", ""))[:254], str(headers.get("Subject", ""))[:300]
    except Exception:  # noqa: BLE001 — a malformed message: the reader says so
        return "", ""


class MaildirSource:
    """A Maildir (the standard library's mailbox.Maildir) with a subfolder per outcome."""

    def __init__(self, path: Path) -> None:
        self.box = mailbox.Maildir(path, factory=None, create=True)
        for name in FOLDERS:
            if name not in self.box.list_folders():
                self.box.add_folder(name)

    def waiting(self, limit: int) -> Iterator[Waiting]:
        for key in sorted(self.box.keys())[:limit]:
            try:
                size = Path(self.box._path, self.box._lookup(key)).stat().st_size  # type: ignore[attr-defined]
            except (KeyError, FileNotFoundError):
                continue  # moved by another reader meanwhile
            yield Waiting(key, size, *_sender_and_subject(self.box, key))

    def content(self, key: str) -> bytes:
        return self.box.get_bytes(key)

    def move(self, key: str, folder: str) -> None:
        try:
            content = self.box.get_bytes(key)
        except KeyError:
            return  # already moved
        # Copied before it is removed: a restart in between leaves a copy, never a loss.
        self.box.get_folder(folder).add(content)
        self.box.discard(key)

    def close(self) -> None:
        self.box.close()


class ImapSource:
    """An IMAP folder over TLS (imaps://, or imap:// with STARTTLS), through imap-tools."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"imap", "imaps"}:
            raise ValueError("INBOUND_IMAP_URL must start with imaps:// or imap:// (STARTTLS).")
        context = ssl.create_default_context(cafile=settings.INBOUND_IMAP_CA_FILE or None)
        host = parts.hostname or "localhost"
        self.box: BaseMailBox
        if parts.scheme == "imaps":
            self.box = MailBox(host, parts.port or 993, ssl_context=context, timeout=60)
        else:
            self.box = MailBoxStartTls(host, parts.port or 143, ssl_context=context, timeout=60)
        self.folder = unquote(parts.path.lstrip("/")) or "INBOX"
        try:
            self._open(parts)
        except BaseException:
            self.close()
            raise

    def _open(self, parts: SplitResult) -> None:
        self.box.login(unquote(parts.username or ""), unquote(parts.password or ""), self.folder)
        # imaplib keeps the capabilities announced before login, which leave MOVE out: asked
        # again, so that a message is moved in one step (never copied twice by two readers).
        typ, data = self.box.client.capability()
        if typ == "OK" and data and data[-1]:
            self.box.client.capabilities = tuple(data[-1].decode().upper().split())
        existing = {f.name for f in self.box.folder.list()}
        for name in FOLDERS:
            if name not in existing:
                try:
                    self.box.folder.create(name)
                except MailboxFolderCreateError:
                    # Another reader made it a moment ago.
                    if not self.box.folder.exists(name):
                        raise

    def waiting(self, limit: int) -> Iterator[Waiting]:
        # Headers and sizes first: a message over the limit is never downloaded.
        found = self.box.fetch(headers_only=True, mark_seen=False, bulk=True, limit=limit)
        for message in found:
            if message.uid:
                yield Waiting(message.uid, message.size_rfc822, message.from_, message.subject)

    def content(self, key: str) -> bytes:
        typ, data = self.box.client.uid("fetch", key, "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple):
                return item[1]
        raise KeyError(key)

    def move(self, key: str, folder: str) -> None:
        try:
            self.box.move(key, folder)
        except ImapToolsError:
            if self.box.uids(AND(uid=key)):
                raise
            # Moved by another reader meanwhile.

    def close(self) -> None:
        try:
            self.box.logout()
        except Exception:  # noqa: BLE001 — the connection may already be gone
            logger.debug("IMAP logout failed.", exc_info=True)


def open_source() -> Source:
    if settings.INBOUND_IMAP_URL:
        try:
            return ImapSource(settings.INBOUND_IMAP_URL)
        except MailboxFolderSelectError as error:
            raise RuntimeError(f"The capture mailbox has no folder {error}.") from error
    return MaildirSource(Path(settings.LIAISON_INBOX_DIR))
