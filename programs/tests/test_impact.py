"""The impact summary: one program, or one partner and the library, over a chosen period."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from core.periods import period_in_words, quick_periods
from core.profiles import profile_update
from outreach.models import Meeting, Touchpoint
from outreach.tests.factories import MeetingFactory, TouchpointFactory
from partners.models import Organization
from partners.tests.factories import OrganizationFactory
from programs.models import Outcome, Program, ProgramPartner, ProgramSession, Story
from programs.selectors.impact import impact_summary

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
LOS_ANGELES = "America/Los_Angeles"
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}
URL = reverse("programs:impact_summary")
SECRET = "Please do not repeat what I said about my landlord"


def at(day: dt.date, hour: int = 18, minute: int = 0, zone: str = NEW_YORK) -> dt.datetime:
    """An aware moment on a local wall clock."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def session(program: Program, day: dt.date, attendance: int | None, **wall) -> ProgramSession:
    return ProgramSession.objects.create(
        program=program, starts_at=at(day, **wall), attendance=attendance
    )


def outcome(program: Program, day: dt.date, metric: str, value: str, unit: str = "") -> Outcome:
    return Outcome.objects.create(
        program=program, metric=metric, value=value, unit=unit, measured_on=day
    )


def story(program: Program, day: dt.date, text: str, *, consent: bool, who: str = "") -> Story:
    return Story.objects.create(
        program=program,
        text=text,
        who=who or "Anonymous participant",
        told_on=day,
        consent_to_share=consent,
    )


@pytest.fixture
def health():
    return OrganizationFactory(name="Riverside County Health Department")


@pytest.fixture
def data(health, librarian):
    """Two programs with Riverside Health in both (lead of one, venue of the other), one without.

    In January–June 2026 (New York days): program A has sessions of 20 and 15 people and one
    not yet counted, program B one of 30; sessions before and after the period do not count.
    """
    school = OrganizationFactory(name="Eastside Elementary School")
    a = Program.objects.create(
        title="Health literacy workshops",
        status=Program.Status.ACTIVE,
        start_date=dt.date(2025, 9, 1),
    )
    b = Program.objects.create(
        title="Summer reading at the clinic",
        kind=Program.Kind.EVENT_SERIES,
        status=Program.Status.ACTIVE,
        start_date=dt.date(2026, 3, 1),
    )
    elsewhere = Program.objects.create(title="Coding club", status=Program.Status.ACTIVE)
    ProgramPartner.objects.create(program=a, organization=health, role=ProgramPartner.Role.LEAD)
    ProgramPartner.objects.create(program=a, organization=school, role=ProgramPartner.Role.CO_HOST)
    ProgramPartner.objects.create(program=b, organization=health, role=ProgramPartner.Role.VENUE)
    ProgramPartner.objects.create(
        program=elsewhere, organization=school, role=ProgramPartner.Role.LEAD
    )

    session(a, dt.date(2025, 12, 15), 99)  # before
    session(a, dt.date(2026, 2, 10), 20)
    session(a, dt.date(2026, 3, 5), 15)
    session(a, dt.date(2026, 4, 1), None)  # head count not in yet
    session(a, dt.date(2026, 7, 2), 50)  # after
    session(b, dt.date(2026, 3, 20), 30)
    session(elsewhere, dt.date(2026, 3, 20), 500)  # not a program of Riverside Health

    outcome(a, dt.date(2026, 3, 31), "Participants reporting more confidence", "78", "%")
    outcome(a, dt.date(2025, 12, 1), "Last year's survey", "50", "%")  # before
    outcome(b, dt.date(2026, 5, 1), "Books checked out", "1200", "books")
    outcome(b, dt.date(2026, 7, 1), "Later count", "3", "books")  # after

    story(a, dt.date(2026, 4, 10), "I finally understood my prescriptions.", consent=True)
    story(a, dt.date(2026, 4, 11), SECRET, consent=False, who="Jane Doe")
    story(b, dt.date(2025, 11, 1), "Old story from last year.", consent=True)  # before

    for day in (dt.date(2026, 1, 5), dt.date(2026, 6, 30), dt.date(2026, 7, 1)):
        TouchpointFactory(organization=health, staff=librarian, occurred_on=day)
    MeetingFactory(organization=health, starts_at=at(dt.date(2026, 2, 2)), status="held")
    MeetingFactory(organization=health, starts_at=at(dt.date(2026, 2, 9)))  # only scheduled
    joint = MeetingFactory(organization=school, starts_at=at(dt.date(2026, 5, 5)), status="held")
    joint.other_organizations.add(health)
    MeetingFactory(organization=health, starts_at=at(dt.date(2026, 8, 1)), status="held")
    return {"a": a, "b": b, "elsewhere": elsewhere, "school": school}


def test_organization_totals_add_up_by_hand(data, health):
    with timezone.override(NEW_YORK):
        summary = impact_summary(organization=health, start=START, end=END)

    assert summary.heading == "What Riverside County Health Department and the library did together"
    assert summary.period_in_words == "January 1 – June 30, 2026"
    # Newest program first.
    assert [p.program.title for p in summary.programs] == [
        "Summer reading at the clinic",
        "Health literacy workshops",
    ]
    b, a = summary.programs
    assert (a.role, b.role) == ("Lead", "Venue")
    assert (a.sessions, a.attendance, a.unknown_attendance) == (3, 35, 1)
    assert (b.sessions, b.attendance, b.unknown_attendance) == (1, 30, 0)
    assert [o.metric for o in a.outcomes] == ["Participants reporting more confidence"]
    assert [o.metric for o in b.outcomes] == ["Books checked out"]
    assert [(p.organization.name, p.get_role_display()) for p in a.partners] == [
        ("Eastside Elementary School", "Co-host"),
        ("Riverside County Health Department", "Lead"),
    ]
    assert (summary.sessions, summary.attendance, summary.unknown_attendance) == (4, 65, 1)
    assert (summary.outcomes, summary.stories) == (2, 1)
    assert summary.attendance_over_time == [
        ("Jan 2026", 0),
        ("Feb 2026", 20),
        ("Mar 2026", 45),
        ("Apr 2026", 0),
        ("May 2026", 0),
        ("Jun 2026", 0),
    ]
    # Two touchpoints in the period; two held meetings, one of them a joint one.
    assert (summary.touchpoints, summary.meetings) == (2, 2)


def test_program_summary_is_that_program_alone(data):
    with timezone.override(NEW_YORK):
        summary = impact_summary(program=data["a"], start=START, end=END)
    assert summary.heading == "Impact of Health literacy workshops"
    assert [p.program for p in summary.programs] == [data["a"]]
    assert summary.programs[0].role == ""
    assert (summary.sessions, summary.attendance, summary.outcomes) == (3, 35, 1)
    assert summary.touchpoints is None and summary.meetings is None


def test_stories_without_consent_never_appear_in_the_impact_summary(data, health, librarian_client):
    with timezone.override(NEW_YORK):
        for summary in (
            impact_summary(organization=health, start=START, end=END),
            impact_summary(program=data["a"], start=START, end=END),
        ):
            stories = [s for p in summary.programs for s in p.stories]
            assert [s.text for s in stories] == ["I finally understood my prescriptions."]
            assert all(s.consent_to_share for s in stories)

    for subject in ({"organization": health.pk}, {"program": data["a"].pk}):
        response = librarian_client.get(URL, subject | PERIOD)
        assert response.status_code == 200
        html = response.content.decode()
        assert "I finally understood my prescriptions." in html
        assert SECRET not in html
        assert "Jane Doe" not in html


@pytest.mark.parametrize(
    ("zone", "counted"),
    [(LOS_ANGELES, True), (NEW_YORK, False)],
    ids=["23:30 in Los Angeles", "02:30 next day in New York"],
)
def test_session_on_the_last_evening_counts_by_local_date(zone, counted):
    program = Program.objects.create(title="Evening ESL conversation")
    # 23:30 on June 30 in Los Angeles is July 1, 06:30 UTC: stored as the next day.
    late = ProgramSession.objects.create(
        program=program, starts_at=dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC), attendance=12
    )
    # 23:30 on December 31 in Los Angeles: before the period there, in it in New York.
    ProgramSession.objects.create(
        program=program, starts_at=dt.datetime(2026, 1, 1, 7, 30, tzinfo=dt.UTC), attendance=5
    )
    assert late.starts_at.date() == dt.date(2026, 7, 1)
    with timezone.override(zone):
        summary = impact_summary(program=program, start=START, end=END)
    if counted:
        assert (summary.sessions, summary.attendance) == (1, 12)
        assert summary.attendance_over_time[-1] == ("Jun 2026", 12)
    else:
        assert (summary.sessions, summary.attendance) == (1, 5)
        assert summary.attendance_over_time[0] == ("Jan 2026", 5)


def test_page_counts_sessions_by_the_librarians_own_days(librarian, librarian_client):
    profile_update(user=librarian, time_zone=LOS_ANGELES)
    program = Program.objects.create(title="Evening ESL conversation")
    ProgramSession.objects.create(
        program=program, starts_at=dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC), attendance=12
    )
    response = librarian_client.get(URL, {"program": program.pk} | PERIOD)
    assert response.context["summary"].sessions == 1


def test_partner_programs_without_activity_are_left_out_unless_running(health):
    def program(title: str, status: str, start=None, end=None) -> Program:
        made = Program.objects.create(title=title, status=status, start_date=start, end_date=end)
        ProgramPartner.objects.create(program=made, organization=health)
        return made

    program("Grant with us", "active", dt.date(2025, 10, 1))
    program("Finished last year", "completed", dt.date(2024, 1, 1), dt.date(2025, 6, 1))
    program("Idea only", "proposed", dt.date(2026, 2, 1))
    program("Called off", "cancelled", dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    program("Ran in spring", "completed", dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    program("Not scheduled", "planning")
    with timezone.override(NEW_YORK):
        summary = impact_summary(organization=health, start=START, end=END)
    assert sorted(p.program.title for p in summary.programs) == ["Grant with us", "Ran in spring"]


def test_impact_page_shows_figures_outcomes_stories_and_chart(data, health, librarian_client):
    response = librarian_client.get(URL, {"organization": health.pk} | PERIOD)
    html = response.content.decode()
    assert "What Riverside County Health Department and the library did together" in html
    assert "January 1 – June 30, 2026" in html
    assert "Participants reporting more confidence" in html
    assert "78%" in html and "1,200 books" in html
    assert "<blockquote" in html
    assert html.count('class="chart-bar"') == 6
    assert "Riverside County Health Department’s role: <strong>Venue</strong>" in html
    assert 'href="/static/css/print.css" media="print"' in html
    assert 'id="print-button"' in html
    assert "Coding club" not in html


def test_a_partner_whose_name_ends_in_s_has_its_role_without_an_extra_s(
    data, health, librarian_client
):
    health.name = "Riverside Pediatric Associates"
    health.save(update_fields=["name"])
    response = librarian_client.get(URL, {"organization": health.pk} | PERIOD)
    html = response.content.decode()
    assert "Riverside Pediatric Associates’ role: <strong>Venue</strong>" in html
    assert "Associates’s" not in html and "Associates's" not in html


def test_default_period_is_this_year_so_far(data, health, librarian_client):
    with time_machine.travel(dt.datetime(2026, 5, 20, 16, tzinfo=dt.UTC), tick=False):
        response = librarian_client.get(URL, {"organization": health.pk})
    summary = response.context["summary"]
    assert (summary.start, summary.end) == (dt.date(2026, 1, 1), dt.date(2026, 5, 20))
    assert [p["label"] for p in response.context["quick_periods"] if p["current"]] == ["This year"]


@pytest.mark.parametrize(
    ("dates", "period"),
    [
        # Over: exactly its dates, a story told last year included.
        ((dt.date(2025, 10, 22), dt.date(2026, 3, 20)), (dt.date(2025, 10, 22), None)),
        # Running without an end date: up to today.
        ((dt.date(2025, 9, 1), None), (dt.date(2025, 9, 1), dt.date(2026, 5, 20))),
        # Only an end date: from the first of January of its year.
        ((None, dt.date(2026, 3, 20)), (dt.date(2026, 1, 1), dt.date(2026, 3, 20))),
        # Not started yet: its first day.
        ((dt.date(2026, 9, 1), None), (dt.date(2026, 9, 1), dt.date(2026, 9, 1))),
    ],
)
def test_a_programs_summary_covers_the_programs_own_dates_by_default(
    librarian_client, dates, period
):
    start, end = dates
    program = Program.objects.create(
        title="Reading at the clinic", status=Program.Status.ACTIVE, start_date=start, end_date=end
    )
    story(program, dt.date(2025, 11, 1), "My son asks for his book every night.", consent=True)
    expected = (period[0], period[1] or end)
    with time_machine.travel(dt.datetime(2026, 5, 20, 16, tzinfo=dt.UTC), tick=False):
        response = librarian_client.get(URL, {"program": program.pk})
    html = response.content.decode()
    assert (response.context["summary"].start, response.context["summary"].end) == expected
    assert f'name="start" value="{expected[0].isoformat()}"' in html
    assert f'name="end" value="{expected[1].isoformat()}"' in html
    whole_program = (
        f'<a class="nav-link active" aria-current="page" href="?program={program.pk}'
        f'&amp;start={expected[0].isoformat()}&amp;end={expected[1].isoformat()}">Whole program</a>'
    )
    assert whole_program in html
    assert html.count('aria-current="page" href="?') == 1
    told_last_year = expected[0] <= dt.date(2025, 11, 1) <= expected[1]
    assert ("My son asks for his book every night." in html) == told_last_year


def test_a_program_without_dates_and_a_partner_cover_the_year_so_far(health, librarian_client):
    undated = Program.objects.create(title="Coding club at the branch", status="planning")
    for subject in ({"program": undated.pk}, {"organization": health.pk}):
        with time_machine.travel(dt.datetime(2026, 5, 20, 16, tzinfo=dt.UTC), tick=False):
            response = librarian_client.get(URL, subject)
        summary = response.context["summary"]
        assert (summary.start, summary.end) == (dt.date(2026, 1, 1), dt.date(2026, 5, 20))
        labels = [p["label"] for p in response.context["quick_periods"]]
        assert "Whole program" not in labels
        assert [p["label"] for p in response.context["quick_periods"] if p["current"]] == [
            "This year"
        ]


def test_quick_periods_end_today_or_cover_whole_months_and_quarters():
    assert quick_periods(dt.date(2026, 5, 20)) == [
        ("This year", dt.date(2026, 1, 1), dt.date(2026, 5, 20)),
        ("Last year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("Last 12 months", dt.date(2025, 6, 1), dt.date(2026, 5, 20)),
        ("This quarter", dt.date(2026, 4, 1), dt.date(2026, 5, 20)),
        ("Last quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ]
    assert quick_periods(dt.date(2026, 1, 3))[4] == (
        "Last quarter",
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
    )


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (dt.date(2026, 3, 5), dt.date(2026, 3, 5), "March 5, 2026"),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), "March 1–31, 2026"),
        (dt.date(2025, 12, 1), dt.date(2026, 2, 28), "December 1, 2025 – February 28, 2026"),
    ],
)
def test_period_in_words(start, end, words):
    assert period_in_words(start, end) == words


def test_long_periods_chart_years_instead_of_months():
    program = Program.objects.create(title="Long-running book club")
    session(program, dt.date(2019, 5, 5), 7)
    with timezone.override(NEW_YORK):
        summary = impact_summary(
            program=program, start=dt.date(2015, 1, 1), end=dt.date(2026, 6, 30)
        )
    assert summary.over_time_by == "year"
    assert len(summary.attendance_over_time) == 12
    assert ("2019", 7) in summary.attendance_over_time


# The chart tag, as the program page uses it.


def render_chart(points, caption="") -> str:
    return Template("{% load impact %}{% attendance_chart points caption %}").render(
        Context({"points": points, "caption": caption})
    )


@pytest.mark.parametrize("count", [1, 5, 12, 30, 60])
def test_chart_has_one_bar_per_point_and_the_same_numbers_in_a_table(count):
    points = [(f"Session {i + 1}", (i * 37) % 101 + 1 + 1000 * (i == 3)) for i in range(count)]
    html = render_chart(points, "Attendance at each session")

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<rect ") == count
    assert 'role="img"' in svg and "aria-label=" in svg and "<title>" in svg
    axis_labels = re.findall(r'class="chart-label"[^>]*>([^<]*)<', svg)
    assert 1 <= len(axis_labels) <= max(count, 1)
    if count >= 30:
        assert len(axis_labels) < count  # thinned

    table = html[html.index("<table") : html.index("</table>")]
    assert "<caption" in table and "Attendance at each session" in table
    rows = re.findall(r'<th scope="row"[^>]*>([^<]*)</th><td[^>]*>([^<]*)</td>', table)
    assert rows[:-1] == [(label, f"{value:,}") for label, value in points]
    assert rows[-1] == ("Total", f"{sum(v for _l, v in points):,}")
    assert "Show the numbers" in html


def test_chart_bars_scale_to_the_highest_value():
    html = render_chart([("Jan 2026", 10), ("Feb 2026", 40), ("Mar 2026", 20)])
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', html)]
    assert heights[1] == max(heights)
    assert heights[0] == pytest.approx(heights[1] / 4, abs=0.2)
    assert heights[2] == pytest.approx(heights[1] / 2, abs=0.2)
    assert "<caption" in html and ">Attendance</caption>" in html


@pytest.mark.parametrize("points", [[], [("Jan 2026", 0), ("Feb 2026", 0)]])
def test_chart_without_attendance_says_so(points):
    html = render_chart(points)
    assert "No attendance recorded yet." in html
    assert "<svg" not in html


# Whatever is in the address, the page answers 200 or 404, never 500.


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"program": "abc"},
        {"program": "0"},
        {"program": "-1"},
        {"program": "1.5"},
        {"program": "99999999999999999999999999"},
        {"program": "1\x00"},
        {"organization": "abc"},
        {"organization": "999999"},
        {"program": "{program}", "organization": "{organization}"},
    ],
)
def test_page_without_one_real_subject_is_not_found(data, health, librarian_client, params):
    params = {k: v.format(program=data["a"].pk, organization=health.pk) for k, v in params.items()}
    # A NUL character is refused by core.middleware before the view: 400.
    expected = 400 if any("\x00" in v for v in params.values()) else 404
    assert librarian_client.get(URL, params).status_code == expected


@pytest.mark.parametrize(
    ("dates", "period", "notice"),
    [
        ({"start": "2026-13-45"}, None, "not a date"),
        ({"start": "2026-02-30", "end": "2026-03-01"}, None, "not a date"),
        ({"start": "abc", "end": "2026-03-01"}, None, "not a date"),
        ({"start": "0001-01-01"}, None, "not a date"),
        ({"end": "9999-12-31"}, None, "not a date"),
        ({"start": "2026-1-1"}, None, "not a date"),
        ({"start": "20260101"}, None, "not a date"),
        ({"start": "2026-W01-1"}, None, "not a date"),
        ({"start": "x" * 5000}, None, "not a date"),
        (
            {"start": "2026-06-30", "end": "2026-01-01"},
            (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
            "swapped",
        ),
        ({"start": "2026-03-01"}, (dt.date(2026, 3, 1), dt.date(2026, 5, 20)), None),
        ({"end": "2025-03-31"}, (dt.date(2025, 1, 1), dt.date(2025, 3, 31)), None),
        ({"start": "", "end": ""}, None, None),
        (
            {"start": "1990-01-01", "end": "2100-12-31"},
            (dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
            None,
        ),
    ],
)
@pytest.mark.parametrize("subject", ["program", "organization"])
def test_page_with_hostile_dates_never_fails(
    data, health, librarian_client, subject, dates, period, notice
):
    pk = data["a"].pk if subject == "program" else health.pk
    with time_machine.travel(dt.datetime(2026, 5, 20, 16, tzinfo=dt.UTC), tick=False):
        response = librarian_client.get(URL, {subject: pk} | dates)
    assert response.status_code == 200
    summary = response.context["summary"]
    # Without a usable period: the program's own dates (from September 1, still running), or
    # a partner's year so far.
    default = {
        "program": (dt.date(2025, 9, 1), dt.date(2026, 5, 20)),
        "organization": (dt.date(2026, 1, 1), dt.date(2026, 5, 20)),
    }
    assert (summary.start, summary.end) == (period or default[subject])
    notices = response.context["notices"]
    if notice:
        assert len(notices) == 1 and notice in notices[0]
        assert notice in response.content.decode()
    else:
        assert notices == []


def test_page_is_read_only(health, librarian_client):
    assert librarian_client.post(URL + f"?organization={health.pk}").status_code == 405


def test_page_needs_a_login(health, client):
    response = client.get(URL, {"organization": health.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# A fixed number of queries with 5 or 60 programs, sessions, outcomes and stories.

# Session, user, roles and the user's time zone (4), the subject (1), then the selector's own:
# programs, their outcomes, stories and partners, sessions by month; for an organization also
# its touchpoints and held meetings (one query).
MAX_QUERIES = {"program": 10, "organization": 11}


def make_busy(rows: int, librarian) -> tuple[Program, Organization]:
    """An organization partner in `rows` programs, one of which has `rows` of everything."""
    organization = OrganizationFactory(name="Busy partner")
    others = [OrganizationFactory(name=f"Other partner {i}") for i in range(rows)]
    programs = []
    for i in range(rows):
        program = Program.objects.create(
            title=f"Program {i:02}", status="active", start_date=dt.date(2026, 1, 1)
        )
        ProgramPartner.objects.create(program=program, organization=organization)
        ProgramPartner.objects.create(program=program, organization=others[i], role="funder")
        day = dt.date(2026, 1 + i % 6, 1 + i % 28)
        session(program, day, i if i % 4 else None)
        outcome(program, day, f"Measure {i}", str(i), "people")
        story(program, day, f"Story {i}", consent=bool(i % 2))
        programs.append(program)
    busy = programs[0]
    for i in range(rows):
        day = dt.date(2026, 1 + i % 6, 1 + i % 28)
        session(busy, day, i)
        outcome(busy, day, f"Extra measure {i}", "1.5", "%")
        story(busy, day, f"Extra story {i}", consent=True)
        ProgramPartner.objects.create(
            program=busy, organization=OrganizationFactory(name=f"Busy program partner {i}")
        )
        TouchpointFactory(organization=organization, staff=librarian, occurred_on=day)
        MeetingFactory(organization=organization, starts_at=at(day), status="held")
    return busy, organization


@pytest.mark.parametrize("rows", [5, 60])
def test_impact_page_queries(librarian, librarian_client, rows, django_assert_max_num_queries):
    busy, organization = make_busy(rows, librarian)
    with django_assert_max_num_queries(MAX_QUERIES["organization"]):
        response = librarian_client.get(URL, {"organization": organization.pk} | PERIOD)
    assert len(response.context["summary"].programs) == rows
    assert response.context["summary"].meetings == rows
    with django_assert_max_num_queries(MAX_QUERIES["program"]):
        response = librarian_client.get(URL, {"program": busy.pk} | PERIOD)
    # Its own first story was told without consent: only the `rows` extra ones count.
    assert response.context["summary"].stories == rows


def test_selector_cost_does_not_grow(librarian, django_assert_num_queries):
    busy, organization = make_busy(20, librarian)
    with timezone.override(NEW_YORK), django_assert_num_queries(6):
        impact_summary(organization=organization, start=START, end=END)
    with timezone.override(NEW_YORK), django_assert_num_queries(5):
        impact_summary(program=busy, start=START, end=END)


def test_selector_wants_exactly_one_subject_and_an_ordered_period(data, health):
    with pytest.raises(ValueError):
        impact_summary(start=START, end=END)
    with pytest.raises(ValueError):
        impact_summary(program=data["a"], organization=health, start=START, end=END)
    with pytest.raises(ValueError):
        impact_summary(program=data["a"], start=END, end=START)


def test_meetings_only_count_when_held(data, health):
    Meeting.objects.filter(status="held").update(status="cancelled")
    with timezone.override(NEW_YORK):
        summary = impact_summary(organization=health, start=START, end=END)
    assert summary.meetings == 0
    assert (
        summary.touchpoints
        == Touchpoint.objects.filter(organization=health, occurred_on__range=(START, END)).count()
    )
