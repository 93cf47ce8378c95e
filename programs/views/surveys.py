"""Survey pages: uploading a CSV of responses, its summary, and recording a line as an outcome."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest
from programs import surveys as survey_csv
from programs.forms.surveys import SurveyOutcomeForm, SurveyUploadForm
from programs.models import Outcome, Program, SurveyResult
from programs.services import surveys as survey_services

# More than any column has answers to tick (12); bounds the work of a tampered query string.
MAX_VALUES = 50


def survey_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    if request.method == "POST":
        form = SurveyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                survey = survey_services.survey_upload(
                    program=program, upload=form.cleaned_data["file"], by=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                noun = "response" if survey.responses == 1 else "responses"
                messages.success(request, f"{survey.responses:,} {noun} summarised.")
                return redirect("programs:survey_detail", survey.pk)
    else:
        form = SurveyUploadForm()
    return render(request, "programs/survey_upload.html", {"form": form, "program": program})


@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(SurveyResult.objects.select_related("program", "uploaded_by"), pk=pk)
    return render(
        request,
        "programs/survey_detail.html",
        {"survey": survey, "program": survey.program, "lines": survey.summary},
    )


def _outcome_initial(survey: SurveyResult, prefill: dict[str, Any]) -> dict[str, Any]:
    """The outcome form worded from the summary line, dated the day of the upload."""
    return {
        "metric": prefill["metric"],
        "value": prefill["value"],
        "unit": prefill["unit"],
        "method": Outcome.Method.SURVEY,
        "measured_on": timezone.localdate(survey.uploaded_at),
        "note": f"From {survey.original_name} ({survey.responses:,} responses): " + prefill["note"],
    }


def survey_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?column=N[&values=…]: an Outcome form worded from that summary line; POST saves it.

    The answers that count are picked with a plain GET form, so it works without JavaScript.
    """
    survey = get_object_or_404(SurveyResult.objects.select_related("program"), pk=pk)
    line = survey_csv.find_line(survey.summary, request.GET.get("column"))
    if line is None:
        raise Http404("This survey has no summary line for that column.")
    chosen, unknown = survey_csv.chosen_values(line, request.GET.getlist("values")[:MAX_VALUES])
    prefill = survey_csv.outcome_prefill(line, chosen)

    form: SurveyOutcomeForm | None = None
    if request.method == "POST":
        form = SurveyOutcomeForm(request.POST)
        if form.is_valid():
            try:
                outcome = survey_services.survey_outcome_record(survey=survey, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Outcome recorded: {outcome}.")
                return redirect("programs:program_detail", survey.program_id)
    elif prefill is not None:
        form = SurveyOutcomeForm(initial=_outcome_initial(survey, prefill))
    context = {"survey": survey, "program": survey.program, "line": line, "form": form}
    context |= {"chosen": chosen, "unknown": unknown}
    return render(request, "programs/survey_outcome.html", context)
