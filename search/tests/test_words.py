"""What was typed, read as web search syntax, and the words found marked."""

import pytest

from search.marks import excerpt, marked
from search.words import key, query_read


@pytest.mark.parametrize(
    ("typed", "tsquery"),
    [
        ("health", "'health'"),
        ("Health  CLINIC", "'health' & 'clinic'"),
        ("health -hospital", "'health' & !'hospital'"),
        ('"flu shot" clinic', "('flu' <-> 'shot') & 'clinic'"),
        ('-"flu shot" clinic', "!('flu' <-> 'shot') & 'clinic'"),
        ("clinic or pantry food", "('clinic' | 'pantry') & 'food'"),
        ("clinic OR pantry", "('clinic' | 'pantry')"),
        ("or clinic", "'clinic'"),  # "or" first is a little word, left out
        ("the clinic that does diabetes classes", "'clinic' & 'diabetes' & 'classes'"),
        # In a phrase the little words keep their places (PostgreSQL skips them itself).
        ('"food for families"', "('food' <-> 'for' <-> 'families')"),
        ("Clínica Niño", "'clinica' & 'nino'"),
        ("co-host", "('co' <-> 'host')"),
        ("rosa@clinic.org", "('rosa' <-> 'clinic' <-> 'org')"),
        ("x & y | ! ( ) : * '", "'x' & 'y'"),  # tsquery's operators are not words
        ('"unclosed phrase', "('unclosed' <-> 'phrase')"),
        ("x" * 3 + " " + "y" * 3, "'xxx' & 'yyy'"),
    ],
)
def test_typed_text_becomes_a_tsquery_of_quoted_words(typed, tsquery):
    assert query_read(typed).tsquery() == tsquery


def test_words_in_a_name_rank_first_without_the_words_left_out():
    assert query_read("health -hospital").named_tsquery() == "'health':A"
    assert query_read('"flu shot"').named_tsquery() == "('flu':A <-> 'shot':A)"


@pytest.mark.parametrize("typed", ["", "   ", "-hospital", "!!! ??", '""', "-a -b", "the of"])
def test_nothing_to_look_for(typed):
    assert not query_read(typed)


def test_only_the_first_ten_terms_count():
    assert query_read(" ".join(f"w{i}" for i in range(30))).tsquery().count("&") == 9


def test_names_like_are_tried_for_plain_words_only():
    assert query_read("tamarak health").plain_words() == ["tamarak", "health"]
    assert query_read("tamarak -health").plain_words() == []
    assert query_read("tamarak or health").plain_words() == []


def test_marks_ignore_case_and_accents_and_escape_the_rest():
    assert marked("<b>Clínica</b> CLINICA", {key("clinica")}) == (
        "&lt;b&gt;<mark>Clínica</mark>&lt;/b&gt; <mark>CLINICA</mark>"
    )
    # By their stems, as PostgreSQL finds them; a word, not the start of one.
    assert marked("Clinics", {"clinic"}) == "<mark>Clinics</mark>"
    assert marked("Clinician", {"clinic"}) == "Clinician"


def test_an_excerpt_is_a_few_words_around_the_first_found():
    text = " ".join(f"w{i}" for i in range(100)) + " diabetes " + " ".join("x" * 50)
    shown = excerpt(["", text], {key("diabetes")})
    assert shown.startswith("… w92") and "<mark>diabetes</mark>" in shown
    assert shown.endswith(" …")
    assert excerpt(["Short text."], {"nothing"}) == "Short text."
