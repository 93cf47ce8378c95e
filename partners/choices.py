"""The choices of a partnership, apart from its models (partners.models imports them, and
every other module may import them from there): where it stands, how it is doing, how often
we expect to be in touch, what a librarian researches about it."""

from django.db import models


class Stage(models.TextChoices):
    """Where a partnership stands, in pipeline order."""

    IDENTIFIED = "identified", "Identified"
    RESEARCHING = "researching", "Researching"
    CONTACTED = "contacted", "Contacted"
    IN_DISCUSSION = "in_discussion", "In discussion"
    ACTIVE = "active", "Active partner"
    DORMANT = "dormant", "Dormant"
    DECLINED = "declined", "Declined"


class Health(models.TextChoices):
    """How a partnership is doing, from signals a person can check (the health app computes it
    and keeps it here, so that the lists and the board filter and show it without a query per
    row). Blank: not assessed (only partnerships in discussion or active are)."""

    HEALTHY = "healthy", "Healthy"
    ATTENTION = "attention", "Needs attention"
    AT_RISK = "at_risk", "At risk"


class Cadence(models.IntegerChoices):
    """How often the library expects to be in touch with a partner, in days."""

    WEEK = 7, "Every week"
    TWO_WEEKS = 14, "Every 2 weeks"
    THREE_WEEKS = 21, "Every 3 weeks"
    MONTH = 30, "Every month"
    SIX_WEEKS = 42, "Every 6 weeks"
    TWO_MONTHS = 61, "Every 2 months"
    QUARTER = 91, "Every quarter"
    SIX_MONTHS = 182, "Every 6 months"
    YEAR = 365, "Every year"


# Stages at which the library is talking to the partner, so one gone quiet needs a librarian's
# action (the dashboard's quiet partners, the board's amber and red "days ago"): not prospects
# still being identified or researched, and not partnerships already dormant or declined.
TALKING_STAGES = (Stage.CONTACTED, Stage.IN_DISCUSSION, Stage.ACTIVE)


# What a librarian researches about a partner, in the order forms, the merge comparison and
# imports show it.
ORGANIZATION_PROFILE_FIELDS = (
    "website",
    "email",
    "phone",
    "address",
    "mission",
    "initiatives",
    "services",
    "populations_served",
    "common_ground",
)
