"""What playbooks do when the outreach log and the partners layer say something happened.

Each runs inside its sender's transaction, in a savepoint of its own: a step that cannot be
scheduled (nobody to give it to, a day past the range) is logged and left waiting, and never
fails the completion or the stage change that set it off.
"""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver

from outreach.signals import followup_cancelled, followup_completed
from partners.signals import stage_changed
from playbooks.services import playbook_step_done, playbooks_apply_on_stage

log = logging.getLogger(__name__)


@receiver(followup_completed, dispatch_uid="playbooks.next_step")
def schedule_next_step(sender: Any, followup: Any, by: Any, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            playbook_step_done(followup=followup, by=by)
    except ValidationError as error:
        log.warning("Playbook step after follow-up %s not scheduled: %s", followup.pk, error)


@receiver(followup_cancelled, dispatch_uid="playbooks.step_cancelled")
def go_on_past_a_cancelled_step(sender: Any, followup: Any, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            playbook_step_done(followup=followup, by=None, cancelled=True)
    except ValidationError as error:
        log.warning("Playbook step after follow-up %s not scheduled: %s", followup.pk, error)


@receiver(stage_changed, dispatch_uid="playbooks.apply_on_stage")
def apply_on_stage(sender: Any, organization: Any, change: Any, by: Any, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            playbooks_apply_on_stage(organization=organization, stage=change.to_stage, by=by)
    except ValidationError as error:
        log.warning("Playbook not applied to organization %s: %s", organization.pk, error)
