"""Recording a session's attendance from the program's page: in place with htmx (the session's
row, the program's reach and chart), or as a plain POST back to the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, announce
from programs.forms.attendance import SessionAttendanceForm
from programs.models import ProgramSession
from programs.selectors import programs as selectors
from programs.services import programs as services

ROW = "programs/partials/session_row.html"


def _said(session: ProgramSession) -> str:
    day = services.session_day(session, weekday=True)
    if session.attendance is None:
        return f"Attendance cleared for {day}."
    return f"Attendance {session.attendance:,} saved for {day}."


def _recorded(request: HttpRequest, session: ProgramSession) -> HttpResponse:
    """Back to the program's row, or (htmx) the row, the reach and the chart as they are now."""
    said = _said(session)
    if not request.headers.get("HX-Request"):
        messages.success(request, said)
        return redirect(f"{session.program.get_absolute_url()}#session-{session.pk}")
    reach, points = selectors.attendance_totals(session.program)
    context = {"session": session, "reach": reach, "chart_points": points, "totals_oob": True}
    response = render(request, ROW, context)
    # The program's History panel shows who recorded it (core.panels: refresh_on).
    announce(response, said, changed=("attendance",))
    return response


def _not_recorded(
    request: HttpRequest, session: ProgramSession, form: SessionAttendanceForm
) -> HttpResponse:
    """The row again (htmx), or a page of its own, with what is wrong or the question to
    confirm a session after today, next to the box; nothing was saved."""
    context = {"session": session, "attendance_form": form, "program": session.program}
    if not request.headers.get("HX-Request"):
        return render(request, "programs/session_attendance.html", context)
    response = render(request, ROW, context)
    announce(response, f"Not saved: {form.problem or form.warning}")
    return response


def session_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the head count of one session (GET: its form on a page of its own)."""
    try:
        session = selectors.session_row(pk)
    except ProgramSession.DoesNotExist as error:
        raise Http404("No such session.") from error
    if request.method != "POST":
        form = SessionAttendanceForm(session=session)
        context = {"session": session, "attendance_form": form, "program": session.program}
        return render(request, "programs/session_attendance.html", context)
    form = SessionAttendanceForm(request.POST, session=session)
    if form.is_valid():
        try:
            recorded = services.session_attendance_record(
                session=session,
                attendance=form.cleaned_data["attendance"],
                future_confirmed=form.cleaned_data["future_confirmed"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            recorded.program, recorded.meeting = session.program, session.meeting
            return _recorded(request, recorded)
    return _not_recorded(request, session, form)
