from celery import shared_task

from inbox.reading import mailbox_read


@shared_task(name="inbox.read_mailbox", ignore_result=True)
def read_mailbox() -> dict[str, int]:
    """Every minute (CELERY_BEAT_SCHEDULE): capture what reached the mailbox since."""
    done = mailbox_read()
    return {
        "captured": done.captured,
        "already": done.already,
        "ignored": done.ignored,
        "unreadable": len(done.unreadable),
        "too_large": done.too_large,
        "busy": int(done.busy),
    }
