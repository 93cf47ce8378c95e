"""Events of the partners layer that higher layers act on, without partners importing them.

Receivers connect in their AppConfig.ready(). A signal is sent inside the service's
transaction: what a receiver writes is kept or rolled back with the change itself.
"""

from django.dispatch import Signal

# An organization moved to another stage (partners.services.stage_change): sent with
# organization=, change= (the StageChange recorded), by= (None for Liaison itself). Playbooks
# apply those set to start at that stage.
stage_changed = Signal()
