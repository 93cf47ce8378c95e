"""The Content-Security-Policy: on every page, strict, and nothing in the templates it would block.

The browser check (test_browser_csp.py) visits every page; these run in the fast suite.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
OUR_JS = Path(settings.BASE_DIR) / "static" / "js"


def directives(policy: str) -> dict[str, set[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


@pytest.mark.parametrize("logged_in", [False, True], ids=["login page", "dashboard"])
def test_every_page_carries_a_strict_policy(client, librarian, logged_in):
    if logged_in:
        client.force_login(librarian)
    response = client.get(reverse("home" if logged_in else "login"))

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["default-src"] == {"'self'"}
    for name in ("script-src", "style-src"):
        assert policy[name] == {"'self'"}, name
        assert "'unsafe-inline'" not in policy[name] and "'unsafe-eval'" not in policy[name]
    assert policy["object-src"] == {"'none'"}
    assert policy["img-src"] == {"'self'", "data:"}


# What a strict policy blocks, in markup. Email templates keep their inline styles: mail clients
# need them, and the app shows them only from their own address with their own policy.
BLOCKED_IN_MARKUP = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "hx-on (htmx evaluates it)": re.compile(r"\s(hx|data-hx)-on[:-]", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
    "a srcdoc frame (it takes the page's policy)": re.compile(r"\ssrcdoc\s*=", re.I),
}


TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)


def test_no_page_template_uses_what_the_policy_blocks():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] == "emails":
            continue
        text = TEMPLATE_COMMENT.sub("", path.read_text())
        found += [
            f"{path.relative_to(TEMPLATES)}: {what}"
            for what, pattern in BLOCKED_IN_MARKUP.items()
            if pattern.search(text)
        ]
    assert not found, "\n".join(found)


def test_our_javascript_never_evaluates_strings():
    evaluating = re.compile(r"\beval\s*\(|new\s+Function\s*\(|setTimeout\s*\(\s*[\"'`]")
    found = [
        path.name for path in sorted(OUR_JS.glob("*.js")) if evaluating.search(path.read_text())
    ]
    assert not found
