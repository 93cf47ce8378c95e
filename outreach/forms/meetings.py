"""Meeting forms: times typed in the user's own time zone, and marking a meeting held."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.conflicts import VersionedForm
from core.dates import FIRST_YEAR, LAST_YEAR
from core.forms import form_field, staff_users
from core.people import display_name
from outreach.forms.other_partners import (
    IdsOnly,
    OtherPartnersMixin,
    other_organizations_field,
)
from outreach.forms.touchpoints import ContactsOfOrganizationField, attendee_contacts
from outreach.models import Meeting
from partners.models import LONG_TEXT, Contact, Organization

GAP_MESSAGE = "That time does not exist on this day: the clocks change."


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime | None:
    """The wall-clock time in the current time zone, or None if the clocks skip it.

    An ambiguous time (the repeated hour when clocks go back) is its first occurrence.
    """
    zone = timezone.get_current_timezone()
    naive = dt.datetime.combine(day, time.replace(second=0, microsecond=0))
    aware = timezone.make_aware(naive, zone)
    # Through UTC: astimezone() to the datetime's own zone would return it unchanged.
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return aware


class AttendeeContactsField(IdsOnly, ContactsOfOrganizationField):
    pass


class StaffMultipleChoiceField(IdsOnly, forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return display_name(obj)


class MeetingForm(OtherPartnersMixin, VersionedForm, forms.ModelForm):
    """Schedule or change a meeting. Further partners come from a search, never a full list."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label="End time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    video_link = forms.URLField(
        label="Video link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Zoom, Teams or Meet address, if the meeting is online.",
    )
    contacts = AttendeeContactsField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Partner attendees",
        error_messages={
            "invalid_choice": "Someone ticked is not a contact of this organization or of the "
            "other partners at the meeting."
        },
    )
    staff = StaffMultipleChoiceField(
        queryset=staff_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Library attendees",
        help_text="The meeting appears in their calendar feeds.",
    )
    other_organizations = other_organizations_field("Other partners at this meeting")

    class Meta:
        model = Meeting
        fields = ["title", "location", "video_link", "agenda"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": "What the meeting is about"}
        help_texts = {"location": "Address or room, if the meeting is in person."}

    def __init__(
        self, *args: Any, organization: Organization | None, user: User, **kwargs: Any
    ) -> None:
        """`organization` is None on the New menu's page until one is chosen."""
        super().__init__(*args, **kwargs)
        self.organization = organization
        meeting = self.instance
        self.other_partners_init(organization)
        contacts = form_field(self, "contacts", AttendeeContactsField)
        if organization is None:
            # Nobody to tick yet, and ticks posted for another organization ignored.
            contacts.queryset = Contact.objects.none()
            contacts.disabled = True
        else:
            contacts.queryset = attendee_contacts(organization, self.other_ids)
        if meeting.pk:
            start = timezone.localtime(meeting.starts_at)
            self.initial.setdefault("date", start.date())
            self.initial.setdefault("start_time", start.time())
            self.initial.setdefault("end_time", timezone.localtime(meeting.ends_at).time())
            self.initial.setdefault("contacts", [c.pk for c in meeting.contacts.all()])
            self.initial.setdefault("staff", [u.pk for u in meeting.staff.all()])
        else:
            self.initial.setdefault("staff", [user.pk])

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(f"Pick a day between {FIRST_YEAR} and {LAST_YEAR}.")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        day = cleaned.get("date")
        if day is None:
            return cleaned
        for field, key in (("start_time", "starts_at"), ("end_time", "ends_at")):
            if cleaned.get(field) is None:
                continue
            moment = local_datetime(day, cleaned[field])
            if moment is None:
                self.add_error(field, GAP_MESSAGE)
            else:
                cleaned[key] = moment
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("end_time", "The meeting must end after it starts.")
        return cleaned

    def apply_to(self, meeting: Meeting) -> Meeting:
        """Put the cleaned values on the meeting (unsaved): the service saves it."""
        assert self.organization is not None  # chosen before the form is saved
        meeting.organization = self.organization
        for name in self.Meta.fields:
            setattr(meeting, name, self.cleaned_data[name])
        meeting.starts_at = self.cleaned_data["starts_at"]
        meeting.ends_at = self.cleaned_data["ends_at"]
        return meeting


class MeetingHeldForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What was discussed, decided and promised.",
    )
    log_touchpoint = forms.BooleanField(
        label="Also log this meeting as a touchpoint",
        required=False,
        initial=True,
        help_text="With these minutes as its notes, and the partner attendees as its contacts.",
    )

    def __init__(self, *args: Any, meeting: Meeting, already_logged: bool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"minutes": meeting.minutes})
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if already_logged:
            del self.fields["log_touchpoint"]
        elif meeting.status != Meeting.Status.SCHEDULED:
            # Correcting the minutes of a meeting held without a touchpoint: logging is opt-in.
            self.fields["log_touchpoint"].initial = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if self.meeting.starts_at > timezone.now():
            raise ValidationError(
                "This meeting has not started yet. If it took place earlier, correct its date "
                "first."
            )
        return cleaned
