"""Survey uploads: summaries checked against hand-computed numbers, files that fail leave
nothing behind, and a summary line becomes an Outcome of the program."""

import codecs
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from programs import surveys
from programs.models import Outcome, Program, SurveyResult
from programs.selectors.programs import program_results
from programs.services import surveys as survey_services

# Uploads land in a temporary folder (the root conftest), never in var/media.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "good_responses.csv").read_bytes()
CONFIDENCE = "How confident do you feel finding health information? (1 = not at all, 5 = very)"
AGREEMENT = "I feel more confident finding health information"


@pytest.fixture
def program():
    return Program.objects.create(
        title="Finding health information",
        kind=Program.Kind.WORKSHOP,
        status=Program.Status.ACTIVE,
        start_date=dt.date(2026, 9, 1),
    )


def upload_url(program) -> str:
    return reverse("programs:survey_upload", args=[program.pk])


def post_file(client, program, content: bytes, name: str = "responses.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(upload_url(program), {"file": file})


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def assert_nothing_stored(media_root: Path) -> None:
    assert SurveyResult.objects.count() == 0
    assert stored_files(media_root) == []


def line_of(survey: SurveyResult, column: str) -> dict:
    return next(line for line in survey.summary if line["column"] == column)


def upload_good_file(client, program) -> SurveyResult:
    response = post_file(client, program, GOOD, name="Workshop survey (Responses).csv")
    survey = SurveyResult.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("programs:survey_detail", args=[survey.pk])
    return survey


# The good file: 10 responses (and one blank row) from a Google Forms export.


def test_good_file_is_stored_and_summarised_with_hand_computed_numbers(
    librarian_client, librarian, program, media_root
):
    response = post_file(librarian_client, program, GOOD, name="Workshop survey (Responses).csv")

    survey = SurveyResult.objects.get()
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["10 responses summarised."]
    assert survey.program == program
    assert survey.uploaded_by == librarian
    assert survey.original_name == "Workshop survey (Responses).csv"
    assert survey.responses == 10
    [stored] = stored_files(media_root)
    assert stored.read_bytes() == GOOD
    assert stored.relative_to(media_root).parts[0] == "surveys"
    assert survey.file.name.startswith("surveys/")

    # Timestamp and Email Address are metadata; "What would you change?" is free text
    # (7 answers, all different).
    assert [line["column"] for line in survey.summary] == [
        CONFIDENCE,
        "Did you learn something new?",
        "Age",
        AGREEMENT,
    ]
    # 5, 4, 4, 3, 5, 2, 4, (blank), 5, 1: 33 / 9 = 3.666… → 3.67.
    assert line_of(survey, CONFIDENCE) == {
        "index": 2,
        "column": CONFIDENCE,
        "kind": "numeric",
        "count": 9,
        "blanks": 1,
        "mean": 3.67,
        "min": 1,
        "max": 5,
        "unit": "",
        "distribution": [
            {"value": "1", "count": 1, "percent": 11.1},
            {"value": "2", "count": 1, "percent": 11.1},
            {"value": "3", "count": 1, "percent": 11.1},
            {"value": "4", "count": 3, "percent": 33.3},
            {"value": "5", "count": 3, "percent": 33.3},
        ],
    }
    # "Yes " with a trailing space is the same answer as "Yes".
    assert line_of(survey, "Did you learn something new?") == {
        "index": 3,
        "column": "Did you learn something new?",
        "kind": "choice",
        "count": 10,
        "blanks": 0,
        "distribution": [
            {"value": "Yes", "count": 7, "percent": 70.0},
            {"value": "No", "count": 3, "percent": 30.0},
        ],
    }
    # 34 + 61 + 45 + 29 + 72 + 38 + 51 + 66 + 23 = 419; 419 / 9 = 46.555… → 46.56.
    # Ages span 49 years: a mean without a distribution.
    assert line_of(survey, "Age") == {
        "index": 4,
        "column": "Age",
        "kind": "numeric",
        "count": 9,
        "blanks": 1,
        "mean": 46.56,
        "min": 23,
        "max": 72,
        "unit": "",
        "distribution": [],
    }
    # Most frequent first.
    assert line_of(survey, AGREEMENT)["distribution"] == [
        {"value": "Agree", "count": 4, "percent": 40.0},
        {"value": "Strongly agree", "count": 3, "percent": 30.0},
        {"value": "Neutral", "count": 2, "percent": 20.0},
        {"value": "Disagree", "count": 1, "percent": 10.0},
    ]


def test_file_with_byte_order_mark_reads_like_plain_utf8(librarian_client, program):
    # Excel's "CSV UTF-8" and Microsoft Forms start the file with a byte-order mark.
    post_file(librarian_client, program, codecs.BOM_UTF8 + GOOD)

    survey = SurveyResult.objects.get()
    assert survey.responses == 10
    plain = surveys.summarise(surveys.read_survey(GOOD))
    assert survey.summary == plain


def test_semicolon_separated_file_is_read(librarian_client, program):
    # Excel in many European locales separates with semicolons; "Sehr gut, danke" keeps its comma.
    post_file(librarian_client, program, (DATA / "semicolon.csv").read_bytes())

    survey = SurveyResult.objects.get()
    assert survey.responses == 4
    assert [(line["column"], line["kind"], line["count"]) for line in survey.summary] == [
        ("Rating", "numeric", 4),
        ("Would you come again?", "choice", 4),
    ]
    assert line_of(survey, "Rating")["mean"] == 4.25  # (4 + 5 + 3 + 5) / 4


def test_percentages_multiple_select_cells_and_ties_are_summarised_as_documented():
    table = surveys.read_survey(
        b"Share of sessions attended,Resources used,Favorite\n"
        b"50%,Books;Databases,Talk\n"
        b"100%,Books,Handout\n"
        b"75%,Books;Databases,Talk\n"
        b"100%,Books,Handout\n"
    )
    lines = {line["column"]: line for line in surveys.summarise(table)}

    assert lines["Share of sessions attended"]["mean"] == 81.25
    assert lines["Share of sessions attended"]["unit"] == "%"
    # A checkbox question's cell is one answer, as written.
    assert [item["value"] for item in lines["Resources used"]["distribution"]] == [
        "Books;Databases",
        "Books",
    ]
    # Equal counts keep the order of first appearance.
    assert [item["value"] for item in lines["Favorite"]["distribution"]] == ["Talk", "Handout"]


# Files that fail: a clear message on the form, and nothing stored.


BAD_FILES = {
    "latin-1": (
        b"Did you learn something new?,Comments\nYes,Caf\xe9 was great\n",
        "The file is not UTF-8 text. Export it again as CSV UTF-8. (The first character that "
        "is not UTF-8 is in row 2, column 2 (“Comments”).)",
    ),
    "empty": (
        b"",
        "The file is empty. Export the survey responses as CSV, with the questions in the "
        "first row.",
    ),
    "only blank lines": (b"\r\n\r\n,,\r\n", "The file is empty."),
    "header only": (b"Rating,Comments\r\n", "The file has a header row but no responses."),
    "no header": (
        b"5,Yes,34\n4,No,61\n",
        "Row 1 should name the columns, but it holds answers (5, 34).",
    ),
    "empty column name": (
        b"Rating,,Comments\n4,Yes,Fine\n",
        "Column 2 (B) has no name in the header (row 1). Give every column a name, or delete "
        "the empty column.",
    ),
    "duplicate column names": (
        b"Age,Rating,age\n34,4,35\n",
        "Columns 1 (A) and 3 (C) are both named “age”. Give each column its own name.",
    ),
    "too few values": (
        b"Rating,Learned,Age\n4,Yes,34\n5,No\n",
        "Row 3 has 2 values but the header has 3 columns.",
    ),
    "too many values": (
        b"Rating,Learned\n4,Yes\n5,No,61\n",
        "Row 3 has 3 values but the header has 2 columns.",
    ),
    "unclosed quotation mark": (
        b'Rating,Comments\n4,"Fine\n5,Good\n',
        "Row 2 opens a quotation mark that is never closed.",
    ),
    "quotation mark inside a value": (
        b'Rating,Comments\n4,"Fine" indeed\n',
        "Row 2 has a quotation mark inside a value.",
    ),
    "NUL bytes": (
        b"Rating,Comments\n4,\x00\x00\x00\n",
        "The file holds binary data (row 2, column 2 (“Comments”)), so it is not a CSV file.",
    ),
    "UTF-16": (
        "Rating,Comments\n4,Fine\n".encode("utf-16"),
        "The file is UTF-16 text. Export it again as CSV UTF-8.",
    ),
    "Excel workbook": (
        b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml",
        "This is a spreadsheet workbook (or another packed file), not a CSV file.",
    ),
}


@pytest.mark.parametrize(("content", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_unreadable_file_gets_a_clear_message_and_nothing_is_stored(
    librarian_client, program, media_root, content, message
):
    response = post_file(librarian_client, program, content)

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith(message)
    assert "is-invalid" in response.content.decode()  # shown next to the field
    assert_nothing_stored(media_root)


def test_ragged_row_is_named_as_a_spreadsheet_numbers_it(librarian_client, program, media_root):
    # Row 3 runs over two lines and row 4 is blank: the short row is line 8 but row 7.
    response = post_file(librarian_client, program, (DATA / "ragged_rows.csv").read_bytes())

    assert response.context["form"].errors["file"] == [
        "Row 7 has 5 values but the header has 6 columns."
    ]
    assert_nothing_stored(media_root)


def test_20_mb_file_is_refused_on_its_size_before_it_is_read(
    librarian_client, program, media_root, monkeypatch
):
    def must_not_read(data):
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr(surveys, "read_survey", must_not_read)
    content = (b"Rating\n" + b"4\n" * (10 * 1024 * 1024))[: 20 * 1024 * 1024]
    assert len(content) == 20 * 1024 * 1024

    response = post_file(librarian_client, program, content)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is 20.0 MB; the limit is 5 MB."]
    assert_nothing_stored(media_root)


def test_service_refuses_a_large_file_without_the_form(program, librarian, media_root):
    upload = SimpleUploadedFile("big.csv", b"x" * (surveys.MAX_BYTES + 1))

    with pytest.raises(ValidationError) as caught:
        survey_services.survey_upload(program=program, upload=upload, by=librarian)

    assert caught.value.message_dict == {"file": ["The file is 5.1 MB; the limit is 5 MB."]}
    assert_nothing_stored(media_root)


def test_more_than_20000_responses_are_refused(librarian_client, program, media_root):
    content = b"Rating\n" + b"4\n" * (surveys.MAX_RESPONSES + 1)

    response = post_file(librarian_client, program, content)

    assert response.context["form"].errors["file"] == [
        "The file has more than 20,000 responses; the limit is 20,000. Split it into smaller files."
    ]
    assert_nothing_stored(media_root)


def test_file_is_removed_again_when_the_row_cannot_be_saved(
    program, librarian, media_root, monkeypatch
):
    def failing_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(SurveyResult, "save", failing_save)
    upload = SimpleUploadedFile("responses.csv", GOOD)

    with pytest.raises(DatabaseError):
        survey_services.survey_upload(program=program, upload=upload, by=librarian)

    assert_nothing_stored(media_root)


# Pages


def test_upload_page_explains_the_expected_file(librarian_client, program):
    response = librarian_client.get(upload_url(program))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'accept=".csv,text/csv"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "Survey responses (CSV file)" in page
    assert "questions in the first row and one row per response" in page


def test_pages_need_a_login(client, program):
    response = client.get(upload_url(program))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_upload_for_a_missing_program_is_not_found(librarian_client):
    assert librarian_client.get(reverse("programs:survey_upload", args=[999])).status_code == 404


def test_detail_page_shows_each_line_with_its_table_and_outcome_button(
    librarian_client, program, django_assert_num_queries
):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_detail", args=[survey.pk])

    # The user with their roles and time zone; the survey with its program and uploader.
    with django_assert_num_queries(2):
        response = librarian_client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Record as an outcome<span") == 4
    assert "3.67" in page  # mean of the rating
    assert "46.56" in page  # mean of the ages
    assert "33.3 %" in page
    assert 'name="values" value="Strongly agree"' in page
    assert "ana@example.org" not in page
    assert "Parking was hard" not in page


def test_choice_line_becomes_an_outcome_with_the_percent_of_the_ticked_answers(
    librarian_client, program
):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk])
    query = "?column=6&values=Agree&values=Strongly+agree"

    response = librarian_client.get(url + query)

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["metric"] == f"“{AGREEMENT}”: agree or strongly agree"
    assert initial["value"] == Decimal("70.0")  # (4 + 3) of 10
    assert initial["unit"] == "%"
    assert initial["method"] == Outcome.Method.SURVEY
    assert initial["measured_on"] == timezone.localdate(survey.uploaded_at)

    response = librarian_client.post(
        url + query,
        {
            "metric": "Feel more confident finding health information",
            "value": "70.0",
            "unit": "%",
            "measured_on": "2026-10-02",
            "method": "survey",
            "note": initial["note"],
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("programs:program_detail", args=[program.pk])
    outcome = Outcome.objects.get()
    assert outcome.program == program
    assert outcome.metric == "Feel more confident finding health information"
    assert outcome.value == Decimal("70.00")
    assert outcome.unit == "%"
    assert outcome.measured_on == dt.date(2026, 10, 2)
    assert outcome.method == Outcome.Method.SURVEY
    assert "7 of the 10 people who answered" in outcome.note


def test_numeric_line_becomes_an_outcome_with_its_mean(librarian_client, program):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk]) + "?column=4"

    initial = librarian_client.get(url).context["form"].initial
    librarian_client.post(
        url,
        {
            "metric": initial["metric"],
            "value": str(initial["value"]),
            "unit": initial["unit"],
            "measured_on": initial["measured_on"].isoformat(),
            "method": initial["method"],
        },
    )

    outcome = Outcome.objects.get()
    assert outcome.metric == "Mean of “Age”"
    assert outcome.value == Decimal("46.56")
    assert outcome.unit == ""


def test_rating_scale_gives_the_mean_or_the_percent_of_the_ticked_values(librarian_client, program):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk])

    mean = librarian_client.get(url + "?column=2").context["form"].initial
    share = librarian_client.get(url + "?column=2&values=4&values=5").context["form"].initial

    assert (mean["metric"], mean["value"]) == (f"Mean of “{CONFIDENCE}”", Decimal("3.67"))
    # 3 + 3 of the 9 who answered: 66.666… → 66.7.
    assert (share["metric"], share["value"]) == (f"“{CONFIDENCE}”: 4 or 5", Decimal("66.7"))


def test_choice_line_without_ticked_answers_asks_which_count(librarian_client, program):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk]) + "?column=3"

    response = librarian_client.get(url)

    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Which answers count?" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?column=",
        "?column=999",
        "?column=abc",
        "?column=-1",
        "?column=1",
        "?column=5",
        "?column=99999999999999999999",
        "?column=2%00",
    ],
)
def test_outcome_for_a_column_without_a_summary_line_is_not_found(librarian_client, program, query):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk]) + query
    # A NUL character is refused by core.middleware before the view: 400.
    expected = 400 if "%00" in query else 404

    assert librarian_client.get(url).status_code == expected
    assert librarian_client.post(url, {"metric": "x", "value": "1"}).status_code == expected
    assert Outcome.objects.count() == 0


def test_answers_a_column_does_not_have_are_left_out_with_a_warning(librarian_client, program):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk])

    response = librarian_client.get(url + "?column=6&values=<script>alert(1)</script>&values=Maybe")

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "not among this column’s answers" in page
    assert "<script>alert(1)</script>" not in page
    response = librarian_client.get(url + "?column=6&values=Agree&values=Nope")
    assert response.context["form"].initial["value"] == Decimal("40.0")


def test_invalid_outcome_is_shown_again_with_its_errors(librarian_client, program):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk]) + "?column=3&values=Yes"

    response = librarian_client.post(url, {"metric": "", "value": "lots", "method": "survey"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"metric", "value", "measured_on"}
    assert Outcome.objects.count() == 0


def test_program_surveys_panel_lists_the_surveys_read_for_the_page_without_queries(
    librarian_client, program, django_assert_num_queries
):
    first = upload_good_file(librarian_client, program)
    post_file(librarian_client, program, (DATA / "semicolon.csv").read_bytes(), "second.csv")
    surveys = program_results(program).surveys

    with django_assert_num_queries(0):
        html = render_to_string(
            "programs/partials/program_surveys.html", {"program": program, "surveys": surveys}
        )

    assert html.index("second.csv") < html.index(first.original_name)  # newest first
    assert "10 responses" in html
    assert "4 responses" in html
    assert reverse("programs:survey_upload", args=[program.pk]) in html
    assert reverse("programs:survey_detail", args=[first.pk]) in html


def test_outcome_goes_through_the_programs_outcome_checks(librarian_client, program):
    survey = upload_good_file(librarian_client, program)
    url = reverse("programs:survey_outcome", args=[survey.pk]) + "?column=4"
    next_year = timezone.localdate() + dt.timedelta(days=366)

    response = librarian_client.post(
        url,
        {"metric": "Mean age", "value": "46.56", "measured_on": next_year, "method": "survey"},
    )

    assert response.status_code == 200
    assert "measured_on" in response.context["form"].errors
    assert Outcome.objects.count() == 0
