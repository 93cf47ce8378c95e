"""core.sorting: a list's sortable columns, their links and their orders."""

from django.db.models import F
from django.test import RequestFactory

from core.sorting import SortColumn, Sorting

SORTING = Sorting(
    SortColumn("name", "Name", ("name", "pk")),
    SortColumn("people", "People"),  # several names: not sortable
    SortColumn(
        "due",
        "Due",
        (F("due").asc(nulls_last=True), "pk"),
        (F("due").desc(nulls_last=True), "-pk"),
        css="text-end",
    ),
    default="-name",
)


def _request(query: str):
    return RequestFactory().get(f"/list/?{query}")


def test_each_sortable_column_sorts_both_ways_and_an_unknown_sort_is_the_default():
    assert SORTING.keys == ["name", "-name", "due", "-due"]
    assert SORTING.order_by("name") == ("name", "pk")
    assert SORTING.order_by("-name") == ("-name", "-pk")  # each term reversed
    assert SORTING.order_by("-due")[0].descending  # the order given for descending
    for unknown in (None, "", "people", "-people", "nonsense"):
        assert SORTING.chosen(unknown) == "-name"
    assert SORTING.chosen(None, "due") == "due"  # a view's own default


def test_headings_link_to_the_list_sorted_by_them_keeping_the_filters():
    name, people, due = SORTING.headers(_request("q=clinic&page=3&sort=due"), "due")
    # Not sorted by name: its link sorts by it ascending; the page number is dropped.
    assert (name.url, name.aria_sort, name.arrow) == ("?q=clinic&sort=name", "", "")
    assert (people.url, people.label) == ("", "People")
    # Sorted by due: marked so, and its link sorts the other way round.
    assert (due.url, due.aria_sort, due.arrow, due.css) == (
        "?q=clinic&sort=-due",
        "ascending",
        "▲",
        "text-end",
    )


def test_the_default_sort_is_marked_without_a_sort_in_the_address():
    name, _people, due = SORTING.headers(_request(""), None)
    assert (name.url, name.aria_sort) == ("?sort=name", "descending")
    assert due.url == "?sort=due"


def test_the_filter_forms_field_ignores_a_sort_it_does_not_know():
    field = SORTING.field()
    assert field.clean("-due") == "-due"
    assert not field.required
    assert [key for key, _ in field.choices] == SORTING.keys  # type: ignore[union-attr, misc]
