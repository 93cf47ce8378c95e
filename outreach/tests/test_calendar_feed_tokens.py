"""Only the exact calendar-feed address opens the feed: a near miss is a 404, like a wrong one.

The address is taken from the page a librarian copies it from (a new feed address, made on the
profile page), so these tests hold however the token is kept in the database.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

FEED_PATH = re.compile(r"/calendar/([A-Za-z0-9_-]+)\.ics")


@pytest.fixture
def token(librarian_client) -> str:
    """A new feed token, as the profile page shows it."""
    response = librarian_client.post(reverse("calendar_token_rotate"), follow=True)
    assert response.status_code == 200
    found = FEED_PATH.search(response.content.decode())
    assert found, "the page shows no feed address"
    return found[1]


def feed(token: str) -> int:
    """The status a calendar app gets for the address with this token (no session)."""
    return Client().get(reverse("outreach:calendar_feed", args=[token])).status_code


def one_character_off(token: str, index: int) -> str:
    index %= len(token)
    replacement = "A" if token[index] != "A" else "B"
    return token[:index] + replacement + token[index + 1 :]


def test_the_exact_address_opens_the_feed(token):
    assert feed(token) == 200


@pytest.mark.parametrize("index", [0, 10, -1], ids=["first", "middle", "last"])
def test_a_token_one_character_off_is_not_found(token, index):
    assert feed(one_character_off(token, index)) == 404


@pytest.mark.parametrize("keep", [-1, 16], ids=["all but the last", "the first 16"])
def test_a_prefix_of_the_token_is_not_found(token, keep):
    assert feed(token[:keep]) == 404


def test_the_token_with_one_more_character_is_not_found(token):
    assert feed(token + "A") == 404


def test_the_token_in_another_case_is_not_found(token):
    letters = [i for i, character in enumerate(token) if character.isalpha()]
    assert letters, "a token without letters cannot be tested for case"
    first = letters[0]
    one_letter = token[:first] + token[first].swapcase() + token[first + 1 :]
    for other_case in (token.swapcase(), token.upper(), token.lower(), one_letter):
        if other_case != token:
            assert feed(other_case) == 404, other_case
