"""Celery tasks of outreach: each takes ids or nothing, and is safe to run twice."""

from outreach.tasks.progress import queue_progress_updates  # noqa: F401
from outreach.tasks.staff import queue_staff_emails  # noqa: F401
