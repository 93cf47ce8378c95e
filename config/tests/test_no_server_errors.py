"""Every page, fed hostile input by GET and by POST, answers without a server error.

The walk covers every named URL outside the admin, so a new page is crawled the day it is added.
Parameters are filled with real rows from the demo data set, so the views run their real code.
"""

import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from core.profiles import profile_for
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Affiliation, Contact, Organization
from programs.models import Program, SurveyResult
from updates.models import ProgressSubscription, ProgressUpdate
from updates.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db

NUL = "\x00"
HOSTILE_QUERY = {
    "page": "-1",
    "q": f"<script>alert(1)</script>{NUL}' OR 1=1 --",
    "name": f"x{NUL}y",
    "start": "2026-99-99",
    "end": "not-a-date",
    "month": "abc",
    "year": "99999999999999999999",
    "sort": "../../etc/passwd",
    "assignee": "1; DROP TABLE auth_user",
    "organization": "abc",
    "program": "9" * 30,
    "kind": "spaceship",
    "status": "nope",
    "stage": "nope",
    "date_from": "31/31/2020",
    "date_to": "0000-00-00",
    "column": "99999",
    "values": ["nope", NUL],
    "find": "partners-999",
    "partners-999-organization": f"{NUL}",
    "org_q": "'\"<>",
    "who": "everyone-ever",
    "when": "yesterday-ish",
    "staff": "x",
    "owner": "-5",
    "focus_area": "1.5",
    "timeline": "0",
    "touchpoints": "NaN",
    "meetings": "Infinity",
    "exclude": "e",
    "archived": "maybe",
    "partner": NUL,
    "next": "https://evil.example/",
}
HOSTILE_POST = {
    "name": "x" * 300,
    "title": "<script>alert(1)</script>",
    "subject": NUL,
    "email": "not-an-email",
    "due_on": "bad",
    "days": "99999999999",
    "until": "0000-00-00",
    "to_stage": "zzz",
    "note": NUL,
    "date": "2026-02-30",
    "start_time": "25:61",
    "end_time": "-1",
    "occurred_on": "9999-12-31",
    "follow_up": "date",
    "follow_up_on": "1-1-1",
    "value": "1e400",
    "budget": "-99999999999999999",
    "amount_requested": "NaN",
    "attendance": "-3",
    "contact": "999999999",
    "contacts": ["x", "999999999"],
    "assignee": "0",
    "time_zone": "Mars/Olympus_Mons",
    "partners-TOTAL_FORMS": "100000",
    "partners-INITIAL_FORMS": "x",
    "sessions-TOTAL_FORMS": "-1",
    "sessions-INITIAL_FORMS": "0",
    "deliverables-TOTAL_FORMS": "1",
    "deliverables-INITIAL_FORMS": "0",
    "deliverables-0-id": "999999",
    "letters-TOTAL_FORMS": "abc",
    "next": "//evil.example",
}


def walk(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                ns = f"{entry.namespace}:" if entry.namespace else ""
                yield from ((ns + name, path) for name, path in walk(entry, prefix + route))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, prefix + route


@pytest.fixture
def demo(settings, librarian):
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    program = Program.objects.filter(kind=Program.Kind.GRANT).first()
    survey = SurveyResult.objects.create(
        program=program, file="surveys/none.csv", original_name="none.csv", responses=0
    )
    return {
        "organizations": Organization.objects.filter(affiliations__isnull=False).first().pk,
        "contacts": Contact.objects.first().pk,
        "affiliations": Affiliation.objects.filter(end_date__isnull=True).first().pk,
        "meetings": Meeting.objects.first().pk,
        "touchpoints": Touchpoint.objects.first().pk,
        "followups": FollowUp.objects.filter(status="open").first().pk,
        "programs": program.pk,
        "surveys": survey.pk,
        "imports": _an_import_run(librarian).pk,
        "progress": ProgressUpdate.objects.filter(status="draft").first().pk,
        "subscriptions": ProgressSubscription.objects.first().pk,
        "token": profile_for(librarian).calendar_token,
        "email": _an_outgoing_email().pk,
        "unsubscribe": unsubscribe_token(Contact.objects.exclude(email="").first()),
    }


def _an_import_run(user):
    from django.utils import timezone

    from transfer.models import ImportRun

    return ImportRun.objects.create(
        kind=ImportRun.Kind.ORGANIZATIONS,
        file="imports/none.csv",
        original_name="none.csv",
        uploaded_by=user,
        status=ImportRun.Status.DONE,
        confirmed_at=timezone.now(),
    )


def _an_outgoing_email():
    from mail import outbox
    from mail.models import OutgoingEmail

    outbox.email_queue(
        outbox.Email(
            kind=OutgoingEmail.Kind.TEST, key="crawl", to_address="crawl@example.org",
            subject="Crawl", body_text="Body",
        )
    )  # fmt: skip
    return OutgoingEmail.objects.get(idempotency_key="crawl")


def concrete(route: str, demo: dict) -> str:
    path = "/" + route.replace("<int:org_pk>", str(demo["organizations"]))
    if path.startswith("/unsubscribe/"):
        path = path.replace("<str:token>", demo["unsubscribe"])
    path = path.replace("<str:token>", demo["token"])
    path = path.replace("<uidb64>", "MQ").replace("<token>", "set-password")
    match = re.match(r"/(\w+)/<int:pk>", path)
    if match:
        path = path.replace("<int:pk>", str(demo[match.group(1)]))
    assert "<" not in path, path
    return path


ROUTES = sorted(set(walk()))


@pytest.mark.parametrize("as_manager", [False, True], ids=["librarian", "manager"])
def test_no_page_answers_with_a_server_error(client, librarian, manager, demo, as_manager):
    client.raise_request_exception = False
    client.force_login(manager if as_manager else librarian)
    failures = []
    for name, route in ROUTES:
        if name == "logout":
            continue
        path = concrete(route, demo)
        for method, data in (
            ("GET", HOSTILE_QUERY),
            ("POST", HOSTILE_POST),
            ("POST", {}),
        ):
            response = (
                client.get(path, data) if method == "GET" else client.post(path + "?q=%00", data)
            )
            if response.status_code >= 500:
                failures.append(f"{method} {path} ({name}) → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_nul_character_in_any_parameter_is_a_bad_request(librarian_client):
    for response in (
        librarian_client.get("/organizations/", {"q": "county\x00"}),
        librarian_client.get("/contacts/", {"x\x00": "1"}),
        librarian_client.post("/organizations/new/", {"name": "Clinic\x00"}),
    ):
        assert response.status_code == 400
        assert b"That request could not be read" in response.content
