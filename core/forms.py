import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError next to the matching field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Most Liaison libraries are in the United States: their zones come first, by everyday name.
COMMON_TIME_ZONES = [
    ("America/New_York", "Eastern Time (New York)"),
    ("America/Chicago", "Central Time (Chicago)"),
    ("America/Denver", "Mountain Time (Denver)"),
    ("America/Phoenix", "Mountain Time without daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific Time (Los Angeles)"),
    ("America/Anchorage", "Alaska Time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii Time (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic Time (Puerto Rico)"),
]
# Legacy aliases and internal files of the time zone database, not places people live in.
_NOT_PLACES = ("Etc/", "SystemV/", "posix", "right/", "US/", "Canada/", "Mexico/", "Brazil/")


@cache
def time_zone_choices() -> list:
    common = {name for name, _ in COMMON_TIME_ZONES}
    others = sorted(
        name
        for name in zoneinfo.available_timezones()
        if name not in common and "/" in name and not name.startswith(_NOT_PLACES)
    )
    return [
        ("Common in the United States", COMMON_TIME_ZONES),
        ("All time zones", [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in others)]),
    ]


def _all_names(choices: list) -> set[str]:
    return {name for _, group in choices for name, _ in group}


class ProfileForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Meeting times and due times are shown and typed in this time zone.",
    )

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = time_zone_choices()
        if current not in _all_names(choices):
            # A zone set elsewhere (the library default, the admin) stays selectable.
            choices = [("Current", [(current, current.replace("_", " "))]), *choices]
        self.fields["time_zone"].choices = choices
        self.fields["time_zone"].initial = current
