"""The secret of a calendar feed is kept only as a SHA-256 hash: shown once, when it is made,
and looked up by its hash; feeds made before keep working through the data migration."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from core.models import StaffProfile
from core.profiles import calendar_token_rotate

PROFILE = reverse("profile")
ROTATE = reverse("calendar_token_rotate")
# The last migration with the token in clear, and the one that hashes it.
BEFORE = ("core", "0005_outbox_moves_to_mail")
HASHED = ("core", "0007_remove_staffprofile_calendar_token")


def feed(token: str) -> str:
    return reverse("outreach:calendar_feed", args=[token])


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def row_values(profile: StaffProfile) -> list[str]:
    table = connection.ops.quote_name(StaffProfile._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE user_id = %s", [profile.pk])
        return [str(value) for value in cursor.fetchone()]


@pytest.mark.django_db
def test_the_database_keeps_a_hash_of_the_token_never_the_token(librarian):
    token = calendar_token_rotate(user=librarian)

    profile = StaffProfile.objects.get(user=librarian)
    assert profile.calendar_token_hash == sha256(token)
    assert not any(token in value for value in row_values(profile))
    assert "calendar_token" not in {field.name for field in StaffProfile._meta.get_fields()}
    assert Client().get(feed(token)).status_code == 200


@pytest.mark.django_db
def test_the_address_is_shown_once_when_made_then_only_replaced(librarian_client, librarian):
    page = librarian_client.get(PROFILE).content.decode()
    assert "/calendar/" not in page
    assert "You have no feed address yet" in page and "Make a feed address" in page

    response = librarian_client.post(ROTATE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    token = page.split("/calendar/", 1)[1].split(".ics", 1)[0]
    assert StaffProfile.objects.get(user=librarian).calendar_token_hash == sha256(token)
    assert "Copy it now" in page
    assert Client().get(feed(token)).status_code == 200

    page = librarian_client.get(PROFILE).content.decode()
    assert token not in page and "/calendar/" not in page
    assert "replace the address to see a new one" in page
    assert "Replace the address" in page


def _one_character_off(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        _one_character_off,
        lambda token: token[:-1],  # a prefix
        lambda token: token[:20],
        lambda token: token.swapcase(),
        lambda token: token.upper(),
        lambda token: token + "A",
        sha256,  # what the database holds is no key either
    ],
    ids=["one-off", "prefix", "short-prefix", "swapcase", "upper", "longer", "the-hash"],
)
def test_anything_but_the_token_itself_is_404(librarian, change):
    token = calendar_token_rotate(user=librarian)
    assert any(char.isalpha() for char in token)  # so that another case is another token
    wrong = change(token)
    assert wrong != token
    assert Client().get(f"/calendar/{wrong}.ics").status_code == 404
    assert Client().get(feed(token)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_feeds_made_before_the_tokens_were_hashed_keep_working():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    user = old.get_model("auth", "User").objects.create(username="alice", is_active=True)
    token = "Old-feed-token_made-before-hashing-0123456789abcdef"
    old.get_model("core", "StaffProfile").objects.create(
        user=user, time_zone="America/New_York", calendar_token=token
    )
    other = old.get_model("auth", "User").objects.create(username="bob", is_active=True)
    old.get_model("core", "StaffProfile").objects.create(
        user=other, time_zone="America/New_York", calendar_token="bob-" + token
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    profile = StaffProfile.objects.get(user_id=user.pk)
    assert profile.calendar_token_hash == sha256(token)
    assert not any(token in value for value in row_values(profile))
    response = Client().get(feed(token))
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content
    assert Client().get(feed("bob-" + token)).status_code == 200
    assert Client().get(feed(token.swapcase())).status_code == 404
