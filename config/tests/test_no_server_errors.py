"""Every page, fed hostile input by GET and by POST, answers without a server error.

The walk covers every named URL outside the admin, so a new page is crawled the day it is added.
Parameters are filled with real rows from the demo data set, so the views run their real code.
"""

import pytest

from config.tests.routes import ROUTES, concrete

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
