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


def validate_time_zone(value: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from django.core.exceptions import ValidationError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"“{value}” is not a time zone Liaison knows.") from error


class StaffProfile(models.Model):
    """Per-person settings of a staff member: their time zone and calendar-feed secret."""

    user = models.OneToOneField(
        "auth.User", on_delete=models.CASCADE, related_name="profile", primary_key=True
    )
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    # The secret in the private calendar-feed URL; rotating it kills the old URL.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    def __str__(self) -> str:
        return f"Profile of {self.user}"
