"""Playbooks: a named sequence of steps for a kind of partnership, and each application of one
to an organization (a run), whose steps become follow-ups as they fall due."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.http import pk_url
from core.models import TimeStampedModel
from outreach.models import FollowUp
from partners.models import LONG_TEXT, Organization, Stage

# The longest wait a step may have: ten years (the follow-up's due day must stay in range).
MAX_OFFSET_DAYS = 3650


class CountedFrom(models.TextChoices):
    START = "start", "After the start"
    PREVIOUS = "previous", "After the step before is done"


class DoneBy(models.TextChoices):
    OWNER = "owner", "The organization's owner"
    APPLIER = "applier", "Whoever applies the playbook"
    MANAGER = "manager", "A manager"
    PERSON = "person", "A named person"


class Playbook(TimeStampedModel):
    """What the team does, step by step, with a kind of partner: "New health partner"."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(max_length=LONG_TEXT, blank=True)
    kind = models.CharField(
        "for organizations of kind",
        max_length=20,
        choices=Organization.Kind.choices,
        blank=True,
        help_text="Leave empty for any kind of organization.",
    )
    auto_apply_stage = models.CharField(
        "apply by itself when an organization enters",
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text="An organization of the kind above entering this stage gets the playbook.",
    )
    # Retired: no longer offered nor applied by itself; its runs go on. Never deleted.
    is_retired = models.BooleanField("retired", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("playbooks:playbook_detail", self.pk)


class StepFields(models.Model):
    """What a step says: on a playbook, and copied onto each run when it is applied (a run
    follows the playbook as it was then, whatever a manager edits later)."""

    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    details = models.TextField(max_length=LONG_TEXT, blank=True)
    offset_days = models.PositiveSmallIntegerField("days after")
    counted_from = models.CharField(
        "counted", max_length=10, choices=CountedFrom.choices, default=CountedFrom.START
    )
    done_by = models.CharField(max_length=10, choices=DoneBy.choices, default=DoneBy.OWNER)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only when a named person does it.",
    )
    moves_to_stage = models.CharField(
        "when done, move the partner to",
        max_length=20,
        choices=Stage.choices,
        blank=True,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


def _step_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(offset_days__lte=MAX_OFFSET_DAYS), name=f"{prefix}_offset_in_range"
        ),
        models.CheckConstraint(
            condition=Q(done_by="person", person__isnull=False)
            | (~Q(done_by="person") & Q(person__isnull=True)),
            name=f"{prefix}_person_iff_named",
        ),
    ]


class PlaybookStep(StepFields):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")

    class Meta:
        ordering = ["playbook", "position"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "position"], name="playbook_step_position"),
            *_step_constraints("playbook_step"),
        ]


class PlaybookRun(TimeStampedModel):
    """A playbook applied to an organization: running until its last step is done (finished)
    or someone stops it (its open steps cancelled, kept)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        STOPPED = "stopped", "Stopped"

    playbook = models.ForeignKey(Playbook, on_delete=models.PROTECT, related_name="runs")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="playbook_runs"
    )
    started_on = models.DateField("start date")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    finished_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField("why", max_length=500, blank=True)

    # Applied once at a time per organization (playbooks.services.playbook_apply checks it with
    # the organization locked). Not a unique constraint: merging two organizations that both
    # run a playbook keeps both runs and their history, never drops one.
    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [
            # The Playbooks section of an organization's page: its runs, newest first.
            models.Index(fields=["organization", "-started_on"], name="playbook_run_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="stopped", stopped_at__isnull=False)
                | (~Q(status="stopped") & Q(stopped_at__isnull=True)),
                name="playbook_run_stopped_at_iff_stopped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.playbook} for {self.organization}"


class RunStep(StepFields):
    """A step of a run, and the follow-up made for it once it was scheduled (None: waiting for
    the step before it, or never scheduled because the run stopped)."""

    run = models.ForeignKey(PlaybookRun, on_delete=models.CASCADE, related_name="steps")
    followup = models.OneToOneField(
        FollowUp,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="playbook_step",
    )

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="run_step_position"),
            *_step_constraints("run_step"),
        ]
