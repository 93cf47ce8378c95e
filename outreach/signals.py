"""Events of the outreach log that higher layers act on, without the log importing them.

Receivers connect in their AppConfig.ready() (notifications emails the new assignee). A signal
is sent inside the service's transaction; a receiver must never fail its sender.
"""

from django.dispatch import Signal

# A follow-up was given to its assignee by someone (`by`, None for Liaison itself): sent with
# followup=, by=. Sent on creation too; the receiver decides whether anyone is told.
followup_assigned = Signal()

# The touchpoints of these organizations changed (logged, corrected, moved): sent with
# organization_ids= (None: every organization, after a bulk load), by the one writer of their
# last touchpoint (services.organization_last_touchpoint_refresh).
touchpoints_changed = Signal()
# A follow-up was marked done, for the first time (a second click records nothing): sent with
# followup= (its status, completed_at and completed_by set), by=. Playbooks schedule the steps
# that wait for it.
followup_completed = Signal()

# An open follow-up was cancelled (outreach.services.followup_cancel): sent with followup=.
# A playbook goes on past a step cancelled by hand, as past one done.
followup_cancelled = Signal()
