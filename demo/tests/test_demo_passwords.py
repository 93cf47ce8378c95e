"""The demo password passes the site's password rules (at least 12 characters, not common, not
like the username), and logs in through the real login page (django-axes in front)."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse

from demo.tests.helpers import seed


@pytest.mark.parametrize("username", ["librarian", "manager"])
def test_the_demo_password_meets_the_password_rules(demo_mode, username):
    seed()
    user = User.objects.get(username=username)

    validate_password("liaison-demo", user=user)  # raises ValidationError if not


def test_a_demo_user_logs_in_through_the_login_page(demo_mode, client):
    seed()

    response = client.post(reverse("login"), {"username": "librarian", "password": "liaison-demo"})

    assert response.status_code == 302 and response.url == reverse("home")
