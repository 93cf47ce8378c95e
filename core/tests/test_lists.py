"""What every list page shares: pages that count only so far, cheap record URLs, fast selects."""

import re

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from core.forms import FastSelect, OneQueryModelChoiceField, time_zone_choices
from core.http import ListPaginator, paginate, pk_url
from core.prepared import Prepared, PreparedList, PreparedLists

pytestmark = pytest.mark.django_db


def groups(n: int):
    Group.objects.bulk_create(Group(name=f"Group {i:03}") for i in range(n))
    return Group.objects.filter(name__startswith="Group ").order_by("name")


def page_of(queryset, number: int | str, *, per_page: int = 5, limit: int | None = 10):
    request = RequestFactory().get("/", {"page": number})
    return paginate(request, queryset, per_page, count_limit=limit)


def names(page) -> list[str]:
    return [group.name for group in page.object_list]


def every_page(rows):
    """The names on every page, following "Next" from the first, and the last page."""
    seen, number = [], 1
    while True:
        page = page_of(rows, number)
        seen += names(page)
        if not page.has_next():
            return seen, page
        number = page.next_page_number()


def test_without_a_limit_it_pages_like_djangos_paginator():
    rows = groups(12)
    ours, django = ListPaginator(rows, 5), Paginator(rows, 5)
    assert (ours.count, ours.num_pages, ours.open_ended) == (django.count, django.num_pages, False)
    assert ours.count_text == "12"
    assert names(ours.get_page(3)) == names(django.get_page(3)) == ["Group 010", "Group 011"]


def test_a_list_within_the_limit_is_counted_exactly():
    page = page_of(groups(10), 2)
    assert (page.paginator.count, page.paginator.count_text, page.paginator.open_ended) == (
        10,
        "10",
        False,
    )
    assert names(page) == [f"Group {i:03}" for i in range(5, 10)]
    assert not page.has_next() and page.has_previous()


def test_counting_a_long_list_stops_at_the_limit():
    rows = groups(23)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(rows, 1)
    count_sql = queries.captured_queries[0]["sql"]
    assert "COUNT(" in count_sql and "LIMIT 11" in count_sql  # limit + 1 rows read, at most
    assert page.paginator.open_ended
    assert page.paginator.count_text == "more than 10"
    assert names(page) == [f"Group {i:03}" for i in range(5)]


def test_an_open_ended_list_pages_on_to_its_last_row():
    seen, page = every_page(groups(23))
    assert seen == [f"Group {i:03}" for i in range(23)]
    assert page.number == 5 and page.start_index() == 21 and page.end_index() == 23


def test_a_page_number_past_the_end_gives_the_last_page_as_djangos_paginator_does():
    rows = groups(23)
    page = page_of(rows, 99)
    assert page.number == 5 and names(page) == ["Group 020", "Group 021", "Group 022"]
    assert page_of(rows, "not a number").number == 1
    assert names(page_of(rows, 0))  # a page with rows, as Django gives


def test_a_list_counted_elsewhere_is_not_counted_again():
    rows = groups(7)
    with CaptureQueriesContext(connection) as queries:
        page = paginate(RequestFactory().get("/"), rows, 5, count=7)
        names(page)
    assert len(queries) == 1 and "COUNT" not in queries.captured_queries[0]["sql"]
    assert page.paginator.num_pages == 2


# The same list read through prepared queries (core.prepared.PreparedList): the list pages
# read their rows so unless searched by text.
_GROUPS = Prepared(lambda first: Group.objects.filter(pk__gte=first).order_by("name"))
_GROUP_IDS = Prepared(lambda first: Group.objects.filter(pk__gte=first).values_list("pk"))


def prepared_groups(n: int) -> PreparedList:
    rows = groups(n)
    return PreparedList(_GROUPS, _GROUP_IDS, {"first": min(group.pk for group in rows)})


def test_a_prepared_list_pages_as_its_queryset_does():
    rows = prepared_groups(23)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(rows, 1)
    assert len(queries) == 2  # the count, as far as it counts, then the page
    # limit + 1 ids counted, at most (EXECUTE …(first, 11, 0) on PostgreSQL, LIMIT 11 elsewhere).
    assert re.search(r"\b11\b", queries.captured_queries[0]["sql"])
    assert page.paginator.open_ended and page.paginator.count_text == "more than 10"
    assert names(page) == [f"Group {i:03}" for i in range(5)]
    seen, page = every_page(rows)
    assert seen == [f"Group {i:03}" for i in range(23)]
    assert page.number == 5 and page.end_index() == 23


def test_a_prepared_list_past_its_end_and_within_its_limit():
    rows = prepared_groups(23)
    page = page_of(rows, 99)
    assert page.number == 5 and names(page) == ["Group 020", "Group 021", "Group 022"]
    assert page_of(rows, "not a number").number == 1
    short = page_of(PreparedList(_GROUPS, _GROUP_IDS, rows.values), 2, limit=None)
    assert (short.paginator.count, short.paginator.num_pages) == (23, 5)
    assert len(rows) == 23 and rows[22].name == "Group 022"
    with pytest.raises(IndexError):
        rows[23]


def test_prepared_lists_compile_each_shape_once():
    first = groups(7).first().pk
    lists = PreparedLists(
        lambda order, *, first: Group.objects.filter(pk__gte=first).order_by(order)
    )

    by_name, again, backwards = (
        lists.of("name", first=first),
        lists.of("name", first=first),
        lists.of("-name", first=first),
    )

    assert (again.records, again.ids) == (by_name.records, by_name.ids)
    assert backwards.records is not by_name.records
    assert [group.name for group in by_name[0:2]] == ["Group 000", "Group 001"]
    assert [group.name for group in backwards[0:2]] == ["Group 006", "Group 005"]
    assert page_of(backwards, 2, limit=None).paginator.count == 7


@pytest.mark.parametrize("on_server", [True, False])
def test_a_prepared_list_is_counted_by_the_database(on_server):
    """The count of a list page is one number from the database (a thousand ids read to count
    them took a millisecond); a list planned for each visit (on_server=False) pages alike."""
    first = groups(23).first().pk
    lists = PreparedLists(
        lambda *, first: Group.objects.filter(pk__gte=first).order_by("name"), on_server=on_server
    )
    rows = lists.of(first=first)
    assert (rows.count_up_to(11), rows.count_up_to(None), len(rows)) == (11, 23, 23)
    with CaptureQueriesContext(connection) as queries:
        rows.count_up_to(11)
    sql = queries.captured_queries[0]["sql"]
    if on_server and connection.vendor == "postgresql":
        name = sql.split()[1].split("(")[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])
            sql = cursor.fetchone()[0]
    assert "SELECT COUNT(*) FROM (" in sql
    assert [group.name for group in rows[20:30]] == ["Group 020", "Group 021", "Group 022"]


@pytest.mark.parametrize(
    "name", ["partners:organization_detail", "partners:contact_detail", "outreach:meeting_detail"]
)
def test_pk_url_is_reverse(name):
    for pk in (1, 42, 2147483646):
        assert pk_url(name, pk) == reverse(name, args=[pk])


def test_pk_url_follows_the_script_prefix():
    set_script_prefix("/liaison/")
    try:
        assert pk_url("partners:organization_detail", 7) == "/liaison/organizations/7/"
    finally:
        set_script_prefix("/")
    assert pk_url("partners:organization_detail", 7) == "/organizations/7/"


DJANGO = DjangoTemplates()
CHOICES = [
    ("", "Any <one>"),
    ("a&b", "A & B"),
    ("Group", [("x", "X"), ("y", 'Y "quoted"')]),
    (3, "three"),
    ("3", "three again"),
]


@pytest.mark.parametrize("value", ["a&b", "y", None, 3, "3", "missing"])
@pytest.mark.parametrize("attrs", [{"class": "form-select", "id": "id_k", "disabled": False}, None])
def test_fast_select_writes_what_djangos_select_does(value, attrs):
    # Character for character as the Django engine writes it (Jinja2's, the forms' renderer,
    # leaves a few more blank lines).
    django = forms.Select(choices=CHOICES, attrs=attrs).render("k", value, renderer=DJANGO)
    assert FastSelect(choices=CHOICES, attrs=attrs).render("k", value) == django


def test_fast_select_of_time_zones_and_of_model_choices():
    zones = time_zone_choices()
    assert FastSelect(choices=zones).render("tz", "America/Chicago") == forms.Select(
        choices=zones
    ).render("tz", "America/Chicago", renderer=DJANGO)
    groups(3)
    field = forms.ModelChoiceField(Group.objects.order_by("name"), empty_label="Any group")
    chosen = Group.objects.get(name="Group 001")

    def rendered(widget_class):
        field.widget = widget_class()
        field.widget.choices = field.choices
        return field.widget.render("group", chosen.pk, renderer=DJANGO)

    assert rendered(FastSelect) == rendered(forms.Select)
    assert f'<option value="{chosen.pk}" selected>Group 001</option>' in rendered(FastSelect)


def test_model_choices_are_read_in_one_round_trip_and_kept_for_the_form():
    groups(3)

    class Choose(forms.Form):
        group = OneQueryModelChoiceField(
            Group.objects.filter(name__startswith="Group ").order_by("name"), widget=FastSelect
        )

    form = Choose({"group": Group.objects.get(name="Group 002").pk})
    assert form.is_valid()  # its own query: the chosen group
    with CaptureQueriesContext(connection) as queries:
        html = str(form["group"])
        assert str(form["group"]) == html  # read again: from the form's copy of the rows
    assert len(queries) == 1 and queries.captured_queries[0]["sql"].startswith("SELECT")
    assert html.count("<option") == 4 and ">Group 002</option>" in html
    # Another form reads them afresh: nothing is kept between requests.
    with CaptureQueriesContext(connection) as queries:
        str(Choose()["group"])
    assert len(queries) == 1
