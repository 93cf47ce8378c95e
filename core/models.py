from django.db import models


class TimeStampedModel(models.Model):
    """Base for Liaison's records: when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def new_calendar_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


def calendar_token_hash(token: str) -> str:
    """What Liaison keeps of a calendar-feed token: its SHA-256, in hex.

    The token is 256 random bits, so a fast unsalted hash is enough: nobody can guess one from
    a copy of the database, and an indexed equality on the hash finds the profile (a lookup
    that compares nothing secret character by character).
    """
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def validate_time_zone(value: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from django.core.exceptions import ValidationError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"“{value}” is not a time zone Liaison knows.") from error


class StaffProfile(models.Model):
    """Per-person settings of a staff member: time zone, calendar-feed secret, which emails."""

    class Digest(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKDAYS = "weekdays", "Weekdays only (Monday to Friday)"
        OFF = "off", "Never"

    user = models.OneToOneField(
        "auth.User", on_delete=models.CASCADE, related_name="profile", primary_key=True
    )
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    # The SHA-256 of the secret in the private calendar-feed URL (calendar_token_hash()). The
    # secret itself is shown once, when it is made, and kept nowhere; making a new one kills
    # the old URL. Null: no feed address yet.
    calendar_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # Addresses other than the account's that the person writes from (one per line, lower-cased):
    # email they send from them and BCC to the capture mailbox is theirs (inbox).
    other_email_addresses = models.TextField(blank=True)
    # Ends the emails they write in Liaison ({sender_signature}); blank: their name and the
    # library's.
    email_signature = models.TextField(max_length=1000, blank=True)
    # Email preferences: the daily digest at 08:00 local time, reminders, the manager summary.
    digest = models.CharField(
        "daily digest", max_length=10, choices=Digest.choices, default=Digest.DAILY
    )
    meeting_reminders = models.BooleanField("meeting reminders the afternoon before", default=True)
    followup_assigned_emails = models.BooleanField(
        "an email when someone else gives me a follow-up", default=True
    )
    manager_summary = models.BooleanField(
        "the weekly manager summary (managers only)", default=True
    )
    # Whose weekly summary mentions this person's follow-ups once they are a week overdue;
    # empty means every manager's.
    reports_to = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="manager",
        help_text="The manager told about this person's follow-ups a week overdue. "
        "Leave empty to tell every manager.",
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def other_addresses(self) -> list[str]:
        return [line for line in self.other_email_addresses.splitlines() if line.strip()]
