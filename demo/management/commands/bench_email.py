"""`make bench-email`: how fast two Celery workers drain the outbox into a local SMTP server.

Not a test: a measurement. It queues N emails in the database named by DATABASE_URL (its own
`liaison_bench` database by default, created and migrated if missing; the outbox there is emptied
first), starts a private redis-server, an aiosmtpd server on 127.0.0.1 and two `celery worker`
processes (solo pool: one process each) with Liaison's production settings, then reports
emails per second from the first sender task to the last message received, and checks that
every email arrived exactly once.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from config.celery import app
from mail import outbox
from mail.models import OutgoingEmail


def ensure_database() -> None:
    """Create the bench database if it does not exist yet (PostgreSQL only)."""
    import psycopg2

    db = settings.DATABASES["default"]
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    admin = psycopg2.connect(dbname="postgres", password=db["PASSWORD"], **params)
    admin.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    finally:
        admin.close()


class Command(BaseCommand):
    help = "Measure email delivery: N queued emails, two workers, a local SMTP server."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--emails", type=int, default=10_000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, emails: int, workers: int, **options) -> None:
        from config.realservices import (
            RedisServer,
            SmtpSink,
            Worker,
            database_url,
            point_celery_at,
            service_env,
            wait_for,
        )

        if connection.vendor != "postgresql":
            raise CommandError("The email benchmark needs PostgreSQL: set DATABASE_URL.")
        if not RedisServer.available():
            raise CommandError("redis-server is not installed (apt-get install redis-server).")
        ensure_database()
        call_command("migrate", verbosity=0)
        OutgoingEmail.objects.all().delete()

        redis, sink = RedisServer().start(), SmtpSink().start()
        point_celery_at(redis.url)
        env = service_env(database_url=database_url(), redis_url=redis.url, email_url=sink.url)
        pool = [Worker(f"bench{n}", env) for n in range(workers)]
        try:
            for worker in pool:
                worker.start(wait=False)
            for worker in pool:
                wait_for(worker.ready, timeout=60, interval=0.1, what=f"{worker.name} to start")

            self.stdout.write(
                f"Queueing {emails:,} emails in {settings.DATABASES['default']['NAME']}…"
            )
            started = time.monotonic()
            outbox.emails_queue(
                outbox.Email(
                    kind=OutgoingEmail.Kind.TEST,
                    key=f"bench:{n}",
                    to_address=f"reader{n}@example.org",
                    to_name=f"Reader {n}",
                    subject=f"Benchmark email {n}",
                    body_text=f"Email number {n} of the benchmark.\n" * 10,
                    body_html=f"<p>Email number {n} of the benchmark.</p>" * 10,
                )
                for n in range(emails)
            )
            queued_in = time.monotonic() - started
            expected = set(OutgoingEmail.objects.values_list("message_id", flat=True))
            self.stdout.write(f"Queued in {queued_in:.1f} s ({emails / queued_in:,.0f}/s).")

            started = time.monotonic()
            for _ in range(workers):
                app.send_task("mail.send_emails")
            wait_for(lambda: sink.count() >= emails, timeout=1800, interval=0.02, what="all")
            elapsed = time.monotonic() - started
            time.sleep(2)  # a duplicate, if there were one, would arrive now
        finally:
            for worker in pool:
                worker.close()
            sink.stop()
            redis.close()

        ids = sink.message_ids()
        duplicates = sum(count - 1 for count in ids.values())
        lost = len(expected - set(ids))
        not_sent = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).count()
        rate = emails / elapsed
        self.stdout.write(
            f"Delivered {len(ids):,} emails to the SMTP server in {elapsed:.1f} s with "
            f"{workers} worker processes: {rate:,.0f} emails/s.\n"
            f"Duplicates: {duplicates}. Lost: {lost}. Rows not marked sent: {not_sent}."
        )
        if duplicates or lost or not_sent:
            raise CommandError("Some email was lost or doubled.")
