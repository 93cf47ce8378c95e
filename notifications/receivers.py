"""What staff email listens for in the layers below it (connected in NotificationsConfig.ready)."""

from typing import Any

from django.contrib.auth.models import User
from django.dispatch import receiver

from notifications.services import followup_assigned_email_queue
from outreach.models import FollowUp
from outreach.signals import followup_assigned


@receiver(followup_assigned, dispatch_uid="notifications.followup_assigned")
def tell_the_assignee(sender: Any, *, followup: FollowUp, by: User | None, **kwargs: Any) -> None:
    followup_assigned_email_queue(followup=followup, by=by)
