"""Every write to the outreach log and to programs goes through these functions.

The outreach log (touchpoints, meetings, follow-ups) is re-exported here, so callers write
`services.touchpoint_log(...)`; programs, grants and surveys live in their own modules.
"""

from outreach.services.log import *  # noqa: F403
from outreach.services.log import _check_contacts_belong  # noqa: F401
