"""A session's head count, recorded from the program's page: one box, in place."""

from typing import Any

from django import forms

from programs.models import MAX_ATTENDANCE, ProgramSession
from programs.services.programs import FUTURE_SESSION, future_session_warning


class HeadCountField(forms.IntegerField):
    """A whole number typed in a text box ("1,200" and " 42 " too).

    A text box, not <input type=number>: a browser sends an empty value for what a number box
    cannot read ("4e", "12-"), which would quietly clear the count; this way Liaison sees what
    was typed and says what is wrong with it.
    """

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "class": "form-control-sm"}
    )

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No min/max attributes: the text box has none, and the errors say the limits.
        return {}


class SessionAttendanceForm(forms.Form):
    attendance = HeadCountField(
        label="Attendance",
        required=False,
        min_value=0,
        max_value=MAX_ATTENDANCE,
        error_messages={
            "invalid": "Enter the head count as a whole number, like 42.",
            "min_value": "Attendance cannot be below 0.",
            "max_value": f"Enter a head count up to {MAX_ATTENDANCE:,}: check for a typo.",
        },
    )
    future_confirmed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, session: ProgramSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session

    def _errors_of(self, *, future: bool) -> list[str]:
        if not self.is_bound:
            return []
        return [
            message
            for error in self.errors.as_data().get("attendance", [])
            if (error.code == FUTURE_SESSION) == future
            for message in error.messages
        ]

    @property
    def problem(self) -> str:
        """What is wrong with the count typed, to show next to the box; "" if nothing."""
        return " ".join(self._errors_of(future=False))

    @property
    def warning(self) -> str:
        """The question for a count typed for a session after today, with a box to tick: once
        asked, it stays while the count is not saved (another error meanwhile keeps the tick)."""
        if self._errors_of(future=True) or (self.is_bound and self.data.get("future_confirmed")):
            return future_session_warning(self.session)
        return ""
