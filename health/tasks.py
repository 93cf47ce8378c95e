"""Partnership health kept current, and recorded once a week."""

from celery import shared_task

from health.services import health_refresh, health_week_record


@shared_task(name="health.refresh", ignore_result=True)
def refresh() -> str:
    """Compute every assessed partnership's health and keep the levels that changed (beat,
    every 15 minutes: days pass, follow-ups fall overdue, agreements near their end). Safe to
    run twice or in two workers at once: a level is written only where it differs."""
    return str(health_refresh())


@shared_task(name="health.record_week", ignore_result=True)
def record_week() -> str:
    """Record this week's health of every assessed partnership (beat, hourly): the first run
    in a week writes it, the others find it written."""
    return f"{health_week_record()} recorded"
