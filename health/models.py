"""Partnership health: how often the library expects to be in touch at each stage, and each
partnership's health recorded once a week (the trend managers read)."""

from django.db import models
from django.db.models import Q

from partners.models import Cadence, Health, Organization, Stage


class StageCadence(models.Model):
    """How often the library expects to be in touch with a partner at a stage, unless the
    organization has its own agreed cadence. Managers set them (health.views)."""

    stage = models.CharField(max_length=20, choices=Stage.choices, unique=True)
    days = models.PositiveSmallIntegerField("cadence", choices=Cadence.choices)

    class Meta:
        ordering = ["stage"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_days_display()}"


class WeeklyHealth(models.Model):
    """One partnership's health in one week (its Monday): written once, by the first run of
    the weekly task in that week, whatever the number of workers (the unique constraint)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="weekly_health"
    )
    week = models.DateField(help_text="The Monday the week starts on.")
    level = models.CharField(max_length=10, choices=Health.choices)
    # The reasons as shown then: [{"text": …, "weight": …}, …].
    reasons = models.JSONField(default=list)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "week"], name="weekly_health_once"),
            models.CheckConstraint(condition=~Q(level=""), name="weekly_health_level_given"),
        ]
        indexes = [
            # The portfolio's trend: each week's count per level.
            models.Index(fields=["week", "level"], name="weekly_health_week_level"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} in the week of {self.week}: {self.level}"
