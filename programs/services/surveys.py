"""Survey uploads and the outcomes recorded from their summaries.

A file that fails leaves nothing behind: it is read, checked and summarised in full before
anything is written, and the stored file is removed again if the row cannot be saved.
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.tabular import read_upload, upload_name
from programs import surveys
from programs.models import Outcome, Program, SurveyResult
from programs.services.programs import outcome_add

NAME_LENGTH = SurveyResult._meta.get_field("original_name").max_length


def survey_upload(*, program: Program, upload: UploadedFile, by: User | None) -> SurveyResult:
    """Store a CSV of survey responses for the program with the summary of its columns.

    Raises ValidationError({"file": message}) for a file that is too large or cannot be read;
    then nothing is stored.
    """
    data = read_upload(upload, surveys.MAX_BYTES)
    try:
        table = surveys.read_survey(data)
    except surveys.SurveyFileError as error:
        raise ValidationError({"file": str(error)}, code="unreadable") from None
    survey = SurveyResult(
        program=program,
        original_name=upload_name(upload.name, default="survey.csv", length=NAME_LENGTH),
        uploaded_by=by,
        responses=len(table.rows),
        summary=surveys.summarise(table),
    )
    survey.full_clean(exclude=["file"])
    # A name of our own: the librarian's file name is kept in original_name, never used as a
    # path, and stored files cannot be guessed.
    survey.file.save(f"{uuid.uuid4().hex}.csv", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            survey.save()
    except BaseException:
        survey.file.delete(save=False)
        raise
    return survey


def survey_outcome_record(
    *,
    survey: SurveyResult,
    metric: str,
    value: Decimal,
    measured_on: dt.date,
    unit: str = "",
    method: str = Outcome.Method.SURVEY,
    note: str = "",
) -> Outcome:
    """Record a line of the survey's summary, as the librarian worded it, for its program.

    Through the programs' own outcome service, so every outcome is checked the same way.
    """
    return outcome_add(
        program=survey.program,
        metric=metric,
        value=value,
        measured_on=measured_on,
        unit=unit,
        method=method,
        note=note,
    )
