from celery import shared_task

from agreements.services import agreements_expire


@shared_task(name="agreements.expire")
def expire() -> int:
    """Agreements past their end date become expired (hourly; running twice changes nothing)."""
    return agreements_expire()
