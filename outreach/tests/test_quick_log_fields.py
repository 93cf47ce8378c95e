"""The quick log's empty fields are drawn once for each organization's people and day
(outreach/templatetags/quick_log.py), and are exactly what drawing them afresh gives."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.template import Context
from django.template.loader import render_to_string

from outreach.forms.touchpoints import TouchpointForm
from outreach.templatetags import quick_log
from partners.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    quick_log._kept.clear()
    yield
    quick_log._kept.clear()


def empty_form(organization, people):
    return TouchpointForm(organization=organization, people=people)


def afresh(form):
    return render_to_string(quick_log.TEMPLATE, {"form": form})


def fields(organization, people, form=None):
    """As an organization's page draws them: no form, its organization and people."""
    context = Context({"organization": organization, "people": people})
    return quick_log.quick_log_fields(context, form)


def test_an_empty_form_is_drawn_once_for_the_same_people_and_day(county):
    ana, ben = ContactFactory(name="Ana Ortiz"), ContactFactory(name="Ben Lau")
    with mock.patch.object(quick_log, "_drawn", wraps=quick_log._drawn) as drawn:
        first = fields(county, [ana, ben])
        again = fields(county, [ana, ben])
        # An empty form given (the log page's) is the same drawing.
        given = fields(county, [], empty_form(county, [ana, ben]))

        assert drawn.call_count == 1
        assert given == again == first == afresh(empty_form(county, [ana, ben]))
        assert "Ana Ortiz" in first and "Ben Lau" in first

        # Other people, or a person renamed: drawn for them.
        only_ana = fields(county, [ana])
        ana.name = "Ana Ortiz-Reyes"
        renamed = fields(county, [ana])
        assert drawn.call_count == 3
        assert "Ben Lau" not in only_ana and "Ana Ortiz-Reyes" in renamed


def test_the_next_day_proposes_its_own_date(county):
    with time_machine.travel(dt.datetime(2026, 5, 20, 16, tzinfo=dt.UTC), tick=False):
        today = fields(county, [])
    with time_machine.travel(dt.datetime(2026, 5, 21, 16, tzinfo=dt.UTC), tick=False):
        tomorrow = fields(county, [])

    assert 'value="2026-05-20"' in today and 'value="2026-05-21"' in tomorrow


def test_a_posted_form_is_drawn_afresh_with_its_errors(county):
    posted = {"channel": "phone", "occurred_on": "", "subject": "A call"}
    with mock.patch.object(quick_log, "_drawn", wraps=quick_log._drawn) as drawn:
        for _ in range(2):
            form = TouchpointForm(posted, organization=county, people=[])
            assert not form.is_valid()
            html = fields(county, [], form)
            assert 'value="A call"' in html and "is-invalid" in html

    assert drawn.call_count == 2
    assert not quick_log._kept


def test_people_read_by_the_form_itself_are_not_kept(county):
    form = TouchpointForm(organization=county)  # its choices are a query, read as drawn

    fields(county, [], form)

    assert not quick_log._kept
