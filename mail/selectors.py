"""Reads for the delivery log and the scheduler-health panel."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, Min, Q, QuerySet, Value
from django.utils import timezone

from core.periods import local_bounds
from core.prepared import Prepared
from core.sorting import SortColumn, Sorting
from core.unions import ColumnType, union_part
from mail.models import Heartbeat, OutgoingEmail

Status = OutgoingEmail.Status


# Newest first within a kind, a recipient, a subject or a status, either way round. Kind reads
# outbox_kind_recent; the others sort the log's rows, as its default order always has.
NEWEST = ("-created_at", "-id")
DELIVERY_LOG_SORTING = Sorting(
    SortColumn("queued", "Queued", ("created_at", "id")),
    SortColumn("kind", "Kind", ("kind", *NEWEST), ("-kind", *NEWEST)),
    SortColumn(
        "recipient",
        "Recipient",
        ("to_name", "to_address", *NEWEST),
        ("-to_name", "-to_address", *NEWEST),
    ),
    SortColumn("subject", "Subject", ("subject", *NEWEST), ("-subject", *NEWEST)),
    SortColumn("status", "Status", ("status", *NEWEST), ("-status", *NEWEST)),
    default="-queued",
)


def delivery_log(
    *,
    kind: str = "",
    status: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    recipient: str = "",
    sort: str = "",
) -> QuerySet[OutgoingEmail]:
    """Outgoing email, newest first or as sorted, filtered as on the delivery log; dates are
    local days."""
    emails = OutgoingEmail.objects.select_related("user", "contact").defer(
        "body_text", "body_html", "headers"
    )
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    if start:
        emails = emails.filter(created_at__gte=local_bounds(start, start)[0])
    if end:
        emails = emails.filter(created_at__lt=local_bounds(end, end)[1])
    if recipient:
        emails = emails.filter(Q(to_address__icontains=recipient) | Q(to_name__icontains=recipient))
    return emails.order_by(*DELIVERY_LOG_SORTING.order_by(sort))


@dataclass(frozen=True)
class SchedulerHealth:
    beat_last_run: dt.datetime | None
    sender_last_run: dt.datetime | None
    sender_last_result: str
    queued: int
    due: int
    oldest_queued: dt.datetime | None
    sending: int
    failed_last_7_days: int
    beat_silent_minutes: int
    now: dt.datetime

    @property
    def beat_is_silent(self) -> bool:
        """Beat never ran, or not within LIAISON_BEAT_SILENT_MINUTES: no reminder is going out."""
        if self.beat_last_run is None:
            return True
        return self.now - self.beat_last_run > dt.timedelta(minutes=self.beat_silent_minutes)

    @property
    def sender_is_behind(self) -> bool:
        """Email has been due for over 5 minutes: the workers are down or overwhelmed."""
        return bool(self.oldest_due_minutes and self.oldest_due_minutes > 5)

    @property
    def oldest_due_minutes(self) -> int | None:
        if self.oldest_queued is None or not self.due:
            return None
        return int((self.now - self.oldest_queued).total_seconds() // 60)


# One row per heartbeat and one for the outbox's counts, in one query (core.unions).
HEALTH_COLUMNS: dict[str, ColumnType] = {
    "row": models.CharField,  # a heartbeat's name, or "queue"
    "last_run_at": models.DateTimeField,
    "last_result": models.CharField,
    "queued": models.IntegerField,
    "due": models.IntegerField,
    "oldest_queued": models.DateTimeField,
    "sending": models.IntegerField,
    "failed": models.IntegerField,
}


def _health(now: dt.datetime, week_ago: dt.datetime) -> QuerySet:
    """The heartbeats, and the outbox's counts in one row (grouped by a constant: none when
    nothing is queued, sending or failed this week): queued, due, the oldest due, sending,
    failed. status is the leading column of the outbox_due index: each count is an index range."""
    heartbeats = union_part(
        Heartbeat.objects.all(),
        HEALTH_COLUMNS,
        row="name",
        last_run_at="last_run_at",
        last_result="last_result",
    )
    queue = union_part(
        OutgoingEmail.objects.filter(
            Q(status__in=[Status.QUEUED, Status.SENDING])
            | Q(status=Status.FAILED, created_at__gte=week_ago)
        )
        .annotate(everything=Value(1))
        .order_by()
        .values("everything"),
        HEALTH_COLUMNS,
        row=Value("queue"),
        queued=Count("id", filter=Q(status=Status.QUEUED)),
        due=Count("id", filter=Q(status=Status.QUEUED, next_attempt_at__lte=now)),
        oldest_queued=Min("created_at", filter=Q(status=Status.QUEUED, next_attempt_at__lte=now)),
        sending=Count("id", filter=Q(status=Status.SENDING)),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    return heartbeats.union(queue, all=True)


# Compiled once per process (core.prepared): every manager's dashboard reads it.
_HEALTH = Prepared(_health)


def scheduler_health() -> SchedulerHealth:
    """Heartbeats and the queue, in one query whatever the size of the outbox."""
    now = timezone.now()
    rows = _HEALTH.rows(limit=None, now=now, week_ago=now - dt.timedelta(days=7))
    found = {row[0]: row for row in rows}
    beat = found.get(Heartbeat.BEAT)
    sender = found.get(Heartbeat.SENDER)
    # The counts' row is missing when there is nothing to count.
    no_counts = ("queue", None, None, 0, 0, None, 0, 0)
    queued, due, oldest_queued, sending, failed = found.get("queue", no_counts)[3:]
    return SchedulerHealth(
        beat_last_run=beat[1] if beat else None,
        sender_last_run=sender[1] if sender else None,
        sender_last_result=(sender[2] or "") if sender else "",
        queued=queued,
        due=due,
        oldest_queued=oldest_queued,
        sending=sending,
        failed_last_7_days=failed,
        beat_silent_minutes=settings.LIAISON_BEAT_SILENT_MINUTES,
        now=now,
    )
