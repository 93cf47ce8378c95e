import pytest
from django.core import mail
from django.urls import reverse

from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_then_logout(client):
    UserFactory(username="alice")
    response = client.post(reverse("login"), {"username": "alice", "password": "liaison-test"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_says_so_without_saying_which(client):
    UserFactory(username="alice")
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_password_reset_request_answers_check_your_email(client):
    # The email itself goes through the outbox: mail/tests/test_password_reset.py.
    UserFactory(username="alice", email="alice@library.example.org")
    response = client.post(
        reverse("password_reset"), {"email": "alice@library.example.org"}, follow=True
    )
    assert b"Check your email" in response.content
    assert mail.outbox == []


def test_password_change_page(client):
    client.force_login(UserFactory(username="alice"))
    assert client.get(reverse("password_change")).status_code == 200
