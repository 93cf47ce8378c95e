"""What merging two organizations moves of partnership health (partners.merge): the other's
weekly records, each week once (the survivor's own record of a week is kept)."""

from health.models import WeeklyHealth
from partners.merge import Link, links_register

links_register(
    organization=[
        Link(WeeklyHealth, "organization", "weekly health records", unique_with="week"),
    ],
)
