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


def test_the_words_wanted_leave_out_the_words_left_out():
    assert query_read("health -hospital").wanted_tsquery() == "'health'"
    assert query_read('"flu shot" -clinic').wanted_tsquery() == "('flu' <-> 'shot')"


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


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("Dying gardens", "die"),  # a stem ending "ie" from a word with "y"
        ("Clear SKIES ahead", "sky"),
        ("Studies of the libraries", "study library"),
        ("Hoping to relate", "hope relating"),
        ("Organizations, organized", "organization"),
    ],
)
def test_plain_text_marks_every_word_with_a_key_wanted(text, typed):
    """ASCII text is read for the words that begin as a key wanted does (search.marks): the
    same words as reading every word's key."""
    from search.words import split

    wanted = {key(word) for word in typed.split()}
    every = [word for word in split(text) if key(word) in wanted]
    shown = marked(text, wanted)
    assert every and all(f"<mark>{word}</mark>" in shown for word in every)
    assert shown.count("<mark>") == len(every)
    assert marked(text, set()) == text
