"""Real local services for the email tests and `make bench-email`.

An SMTP server (aiosmtpd) on 127.0.0.1 that records what it receives, a private Redis server on
its own port that a test may stop and start, and Celery workers as subprocesses. Nothing here is
imported by Liaison itself; aiosmtpd is a development dependency.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.05, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"Gave up after {timeout:.0f} s waiting for {what or predicate}")


_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class SmtpSink:
    """An SMTP server on loopback that keeps every message it accepts (parsed on demand)."""

    def __init__(self, port: int | None = None, delay: float = 0.0) -> None:
        self.port = port or free_port()
        self.delay = delay
        self._raw: list[bytes] = []
        # For each message: whom the envelope named (To, Cc and Bcc) and when it arrived.
        self._envelopes: list[tuple[list[str], float]] = []
        self._ids: Counter = Counter()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        if self.delay:
            time.sleep(self.delay)  # a slower server: blocks this sink's own event loop only
        raw = envelope.original_content or envelope.content
        head = raw.split(b"\r\n\r\n", 1)[0]
        match = _MESSAGE_ID.search(head)
        with self._lock:
            self._raw.append(raw)
            self._envelopes.append((list(envelope.rcpt_tos), time.monotonic()))
            self._ids[match.group(1).decode() if match else None] += 1
        return "250 Message accepted for delivery"

    def start(self) -> "SmtpSink":
        import logging

        from aiosmtpd.controller import Controller

        # aiosmtpd logs every SMTP command at INFO: thousands of lines, and time, per run.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def count(self) -> int:
        with self._lock:
            return len(self._raw)

    def message_ids(self) -> Counter:
        """How many times each Message-ID arrived."""
        with self._lock:
            return Counter(self._ids)

    @property
    def envelopes(self) -> list[tuple[list[str], float]]:
        """(envelope recipients, time.monotonic() of arrival) of each message, in order."""
        with self._lock:
            return list(self._envelopes)

    @property
    def raw(self) -> list[bytes]:
        with self._lock:
            return list(self._raw)

    @property
    def messages(self) -> list[Message]:
        with self._lock:
            raw = list(self._raw)
        return [message_from_bytes(item, policy=policy.default) for item in raw]


class _ServerProcess:
    """A server this process started, with its files in a temporary `directory`."""

    process: subprocess.Popen | None
    directory: Path

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class RedisServer(_ServerProcess):
    """A private redis-server on its own port, with nothing kept on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.directory = Path(tempfile.mkdtemp(prefix="liaison-redis-"))

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server to start")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def database_url() -> str:
    """The URL of the database this process uses (a test database, in a test)."""
    from django.db import connection

    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def service_env(*, database_url: str, redis_url: str, email_url: str, **extra: str) -> dict:
    """The environment of a Liaison worker pointed at the given services."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "EMAIL_", "LIAISON_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_URL=email_url,
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


class Worker:
    """`celery -A config worker` in its own process group, its log kept in a file."""

    def __init__(self, name: str, env: dict, *, pool: str = "solo", concurrency: int = 1) -> None:
        self.name = name
        self.env = env
        self.pool = pool
        self.concurrency = concurrency
        self.log_path = Path(tempfile.mkstemp(prefix=f"liaison-{name}-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            "worker", "-l", "info", "-n", f"{self.name}@%h", "--pool", self.pool,
            "--concurrency", str(self.concurrency),
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip

    def start(self, *, wait: bool = True) -> "Worker":
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *self.command()],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        if wait:
            wait_for(self.ready, timeout=60, interval=0.1, what=f"{self.name} to start")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"Worker {self.name} exited:\n{self.log()[-3000:]}")
        return " ready." in self.log()

    def kill(self) -> None:
        """SIGKILL, the whole process group: no chance to finish or clean up anything."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)


class Beat(Worker):
    """`celery -A config beat` with a throw-away schedule file."""

    def command(self) -> list[str]:
        schedule = Path(tempfile.mkdtemp(prefix="liaison-beat-")) / "schedule"
        return ["beat", "-l", "info", "-s", str(schedule)]

    def ready(self) -> bool:
        return "beat: Starting" in self.log()


def point_celery_at(broker_url: str) -> None:
    """Make this process publish to another broker (the Celery app caches its connections)."""
    from config.celery import app

    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


class DovecotServer(_ServerProcess):
    """Debian's Dovecot (dovecot-imapd) on a free loopback port, IMAP over TLS only, with one
    mailbox user; its configuration, certificate and mail all live in a temporary directory."""

    USER = "liaison"
    PASSWORD = "capture-test-password"

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="liaison-dovecot-"))
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("dovecot") is not None and shutil.which("openssl") is not None

    @property
    def url(self) -> str:
        return f"imaps://{self.USER}:{self.PASSWORD}@127.0.0.1:{self.port}/INBOX"

    @property
    def ca_file(self) -> str:
        return str(self.directory / "cert.pem")

    def _configure(self) -> Path:
        d = self.directory
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(d / "key.pem"),
                "-out",
                str(d / "cert.pem"),
            ],  # fmt: skip
            check=True,
            capture_output=True,
        )
        # Dovecot's auth process (user dovecot) reads the password file.
        d.chmod(0o755)
        (d / "passwd").write_text(f"{self.USER}:{{PLAIN}}{self.PASSWORD}::::::\n")
        (d / "home").mkdir()
        uid, gid = os.getuid(), os.getgid()
        if uid == 0:
            # Dovecot never keeps mail as root: as root (CI), the mailbox belongs to its user.
            import pwd

            account = pwd.getpwnam("dovecot")
            uid, gid = account.pw_uid, account.pw_gid
            os.chown(d / "home", uid, gid)
        config = d / "dovecot.conf"
        config.write_text(
            f"""
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
auth_mechanisms = plain
first_valid_uid = 1
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
        )
        return config

    def start(self) -> "DovecotServer":
        config = self._configure()
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

        def listening() -> bool:
            if self.process is not None and self.process.poll() is not None:
                log = self.directory / "dovecot.log"
                raise RuntimeError(log.read_text() if log.exists() else "dovecot exited")
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", self.port)) == 0

        wait_for(listening, timeout=20, what="dovecot to listen")
        return self
