"""Every list's columns sort: each heading links to the list sorted by it, and back.

Only a column that holds several names (a contact's organizations, a touchpoint's contacts, a
program's partners, an organization's focus areas), the touchpoint log's "Who" (the "Staff
member" filter does that from an index), the buttons' column and the checkboxes' ("Selected":
the rows ticked for a bulk action) have no order of their own.
Sorting never costs a list a query: the sorted page runs exactly the queries of the default one.
"""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The list pages, and the headings that are rightly not links.
LISTS = {
    "partners:organization_list": {"Focus areas", "Selected"},
    "partners:contact_list": {"Organizations", "Selected"},
    "outreach:touchpoint_list": {"Who", "Contacts"},
    "outreach:meeting_list": set(),
    "programs:program_list": {"Partners"},
    "programs:grant_list": set(),
    "updates:progress_update_list": set(),
    "transfer:import_list": {"Actions"},
    "mail:delivery_log": set(),
}
# Where the demo data set has rows to show (past meetings, everyone's updates).
QUERY = {"outreach:meeting_list": "?when=past", "updates:progress_update_list": "?show=all"}

HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
TH = re.compile(r"<th scope=\"col\"[^>]*>(.*?)</th>", re.S)
LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
TAGS = re.compile(r"<[^>]+>")


def _headings(html: str) -> list[tuple[str, str | None, str]]:
    """(label, sort link or None, the whole <th>) of each column of the list's table."""
    head = HEAD.search(html)
    assert head, "the list shows no table"
    cells = []
    for match in TH.finditer(head.group(1)):
        inner = match.group(1)
        link = LINK.search(inner)
        label = " ".join(TAGS.sub("", inner).replace("▲", "").replace("▼", "").split())
        cells.append((label, unescape(link.group(1)) if link else None, match.group(0)))
    return cells


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_column_of_every_list_sorts_both_ways(manager_client, demo, name):
    base = reverse(name) + QUERY.get(name, "")
    default_queries, html = _queries(manager_client, base)
    headings = _headings(html)
    assert headings
    not_sortable = {label for label, link, _ in headings if link is None}
    assert not_sortable == LISTS[name]
    for label, link, _ in headings:
        if link is None:
            continue
        assert "page=" not in link
        url = reverse(name) + link
        queries, sorted_html = _queries(manager_client, url)
        # Sorting adds no query (a list's count and rows, whatever the order).
        assert queries == default_queries, f"{label}: {queries} queries, not {default_queries}"
        column = {lab: cell for lab, _, cell in _headings(sorted_html)}[label]
        direction = "descending" if "sort=-" in link else "ascending"
        assert f'aria-sort="{direction}"' in column, (label, column)
        # The sorted heading now links to the other way round.
        back = {lab: href for lab, href, _ in _headings(sorted_html)}[label]
        assert back is not None and ("sort=-" in back) != ("sort=-" in link)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_an_unknown_sort_shows_the_list_in_its_usual_order(manager_client, demo, name):
    base = reverse(name) + QUERY.get(name, "")
    joiner = "&" if "?" in base else "?"
    usual = _headings(manager_client.get(base).content.decode())
    odd = manager_client.get(f"{base}{joiner}sort=nonsense")
    assert odd.status_code == 200
    assert _headings(odd.content.decode()) == usual
