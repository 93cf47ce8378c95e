"""Every page needs a login, except logging in and resetting a password."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Signed links work without a login: the secret in the URL is the credential. A wrong secret
# shows nothing: the calendar feed answers 404, the unsubscribe link 400 (a partner clicked a
# damaged link from an email, and is told so).
SIGNED = {"outreach:calendar_feed": 404, "updates:unsubscribe": 400}

PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def concrete_urls(resolver=None, prefix=""):
    """(name, path) of every named URL outside the admin, with sample values for parameters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            ns = f"{entry.namespace}:" if entry.namespace else ""
            yield from (
                (ns + name if name else name, path)
                for name, path in concrete_urls(entry, prefix + route)
            )
        elif isinstance(entry, URLPattern) and entry.name:
            path = prefix + route
            for converter in ("<int:pk>", "<int:org_pk>"):
                path = path.replace(converter, "1")
            path = path.replace("<uidb64>", "MQ").replace("<token>", "set-password")
            path = path.replace("<str:token>", "not-a-real-token")
            path = path.replace("<slug:page>/<slug:name>", "dashboard/my-followups")
            yield entry.name, "/" + path


ALL_URLS = sorted(set(concrete_urls()))


def test_the_walk_finds_the_pages():
    names = {name for name, _ in ALL_URLS}
    assert {"home", "partners:organization_list", "partners:contact_detail", "logout"} <= names


@pytest.mark.parametrize(("name", "path"), ALL_URLS)
def test_anonymous_users_are_sent_to_login(client, name, path):
    if name in SIGNED:
        assert client.get(path).status_code == SIGNED[name]
        # A POST with a wrong secret does no better (405 where the link is only read).
        assert client.post(path).status_code in (SIGNED[name], 405)
        return
    if name in PUBLIC:
        response = client.get(path)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
        return
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, (name, method)
        assert response.url.startswith(reverse("login") + "?next="), (name, response.url)


def test_admin_is_for_the_admin_role(client):
    client.force_login(UserFactory(username="lib", role="Librarian"))
    assert client.get("/admin/", follow=True).status_code == 403
    client.force_login(UserFactory(username="boss", role="Manager"))
    assert client.get("/admin/", follow=True).status_code == 403
    client.force_login(UserFactory(username="root", role="Admin"))
    assert client.get("/admin/").status_code == 200
    from django.apps import apps
    from django.contrib import admin

    for app in ("core", "partners", "outreach", "reports", "imports"):
        for model in apps.get_app_config(app).get_models():
            # Every Liaison model is in the admin, with a working list and search.
            assert model in admin.site._registry, model
            url = f"/admin/{app}/{model._meta.model_name}/"
            assert client.get(url).status_code == 200, url
            assert client.get(url + "?q=clinic").status_code == 200, url


def test_anonymous_admin_goes_to_liaison_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_roles_exist_after_migrations():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Librarian", "Manager", "Admin"}
