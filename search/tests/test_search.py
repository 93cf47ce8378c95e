"""The search box: the right record first for what a librarian types, on the fixed data set of
conftest.py (PostgreSQL: the indexed search; SQLite's plain one in test_search_sqlite.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from outreach.models import Meeting, Touchpoint
from partners.models import Affiliation, Contact, Organization
from partners.services import organization_create
from programs.models import Program
from search import selectors
from search.kinds import KINDS, ORGANIZATIONS, TOUCHPOINTS
from search.results import search_groups, search_page
from search.words import query_read

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the search_words columns, their trigger and pg_trgm are PostgreSQL's")


# What a librarian types → the organization that must come first.
FIRST = [
    ("diabetes classes", "Harlow Springs Community Clinic"),
    ("the clinic that does diabetes classes", "Harlow Springs Community Clinic"),
    ("clinics", "Harlow Springs Community Clinic"),
    ("clinica", "Clínica La Esperanza"),
    ("food pantry", "Mill Creek Food Pantry"),
    ("health -hospital", "Tamarack County Health Department"),
    ('"english classes"', "Mill Creek Adult School"),
    ("immigrants", "Mill Creek Center for New Americans"),
    ("broadband", "Tamarack Broadband Cooperative"),
    ("meals seniors", "Port Alden Senior Center"),
    ("council", "Cedar Bend City Council"),
]


def _organizations(text: str) -> list[str]:
    groups = {group.kind.key: group for group in search_groups(query_read(text))}
    group = groups.get("organizations")
    return [hit.url for hit in group.hits] if group else []


def _url(partners, name):
    return partners[name].get_absolute_url()


@pytest.mark.parametrize(("text", "first"), FIRST)
def test_the_right_organization_comes_first(partners, text, first):
    found = _organizations(text)
    assert found, f"nothing found for {text!r}"
    assert found[0] == _url(partners, first), text


def test_a_word_left_out_leaves_out_what_has_it(partners):
    found = _organizations("health -hospital")
    assert _url(partners, "St. Luke's Port Alden Hospital") not in found
    assert _url(partners, "Harlow Springs Community Clinic") in found


def test_a_quoted_phrase_needs_the_words_together(partners):
    found = _organizations('"english classes"')
    assert found == [_url(partners, "Mill Creek Adult School")]  # not "classes in English"


def test_or_finds_either_word(partners):
    found = set(_organizations("pantry or broadband"))
    assert {
        _url(partners, "Mill Creek Food Pantry"),
        _url(partners, "Tamarack Broadband Cooperative"),
    } <= found


def test_the_name_outranks_the_description(partners):
    found = _organizations("broadband")
    assert found == [
        _url(partners, "Tamarack Broadband Cooperative"),
        _url(partners, "Cedar Bend Digital Equity Coalition"),
    ]


def test_mou_in_five_touchpoint_notes_finds_those_five(partners):
    groups = {group.kind.key: group for group in search_groups(query_read("MOU"))}
    touchpoints = groups["touchpoints"]
    assert len(touchpoints.hits) == 5 and not touchpoints.more
    # Newest first, the word marked; "Mountain" is not "MOU".
    assert [hit.title for hit in touchpoints.hits][0] == "Partnership call 5"
    assert "<mark>MOU</mark>" in touchpoints.hits[0].excerpt


def test_the_names_first_by_name_then_the_rest_by_rank_then_the_archived(partners, postgres_only):
    """Both the first results and a kind's own page: the records whose name holds every word,
    alphabetically; then those with the words elsewhere, a word in what they do (services)
    before one in the rest (common ground); archived partners last."""
    for name in ("Zephyr Health Hub", "Aspen Health Alliance"):
        organization_create(by=None, name=name)
    archived = organization_create(by=None, name="Archived Health Partners")
    Organization.objects.filter(pk=archived.pk).update(is_archived=True, archived_at=timezone.now())
    organization_create(by=None, name="Mill Creek Wellness", services="Mental health care.")
    expected = [
        "Aspen Health Alliance",
        "Tamarack County Health Department",
        "Zephyr Health Hub",
        "Mill Creek Wellness",  # services (B)
        "Clínica La Esperanza",  # common ground (C)
        "Harlow Springs Community Clinic",  # common ground (C), its name after
        "Archived Health Partners",
    ]
    query = query_read("health -hospital")
    found = [hit.url for group in search_groups(query) for hit in group.hits
             if group.kind is ORGANIZATIONS]  # fmt: skip
    urls = {o.name: o.get_absolute_url() for o in Organization.objects.all()}
    assert found == [urls[name] for name in expected[:5]]
    page, group = search_page(RequestFactory().get("/search/"), query, ORGANIZATIONS)
    assert [hit.url for hit in group.hits] == [urls[name] for name in expected]


def test_programs_named_by_the_words_come_as_the_program_list_has_them(partners):
    """This season's series before last year's, undated ones after (the program list's order),
    then the programs with the words elsewhere, on the results page and the programs' own."""
    from search.kinds import PROGRAMS

    def program(title, start, **more):
        return Program.objects.create(title=title, start_date=start, **more).get_absolute_url()

    last_year = program("Diabetes prevention series (fall 2025)", dt.date(2025, 9, 1))
    undated = program("Diabetes cooking demo", None)
    this_year = program("Diabetes prevention series (fall 2026)", dt.date(2026, 9, 1))
    described = program("Healthy cooking", dt.date(2026, 10, 1), description="For diabetes.")
    expected = [this_year, last_year, undated, described]
    query = query_read("diabetes")
    groups = {group.kind.key: group for group in search_groups(query)}
    assert [hit.url for hit in groups["programs"].hits] == expected
    _page, group = search_page(RequestFactory().get("/search/"), query, PROGRAMS)
    assert [hit.url for hit in group.hits] == expected


def test_diabetes_in_a_profile_is_found(partners):
    found = _organizations("diabetes")
    assert set(found) == {
        _url(partners, "Harlow Springs Community Clinic"),
        _url(partners, "St. Luke's Port Alden Hospital"),
    }


def test_contacts_by_name_email_and_title(partners):
    rosa = Contact.objects.get(name="Rosa Díaz").get_absolute_url()
    marcus = Contact.objects.get(name="Marcus Lee").get_absolute_url()
    for text, person in [
        ("rosa diaz", rosa),
        ("rdiaz@harlowclinic.example.org", rosa),
        ("harlowclinic", rosa),
        ("school nurse", marcus),
    ]:
        groups = {g.kind.key: g for g in search_groups(query_read(text))}
        assert [hit.url for hit in groups["contacts"].hits] == [person], text
    groups = {g.kind.key: g for g in search_groups(query_read("school nurse"))}
    assert "<mark>School</mark> <mark>nurse</mark>" in groups["contacts"].hits[0].detail


def test_a_contacts_titles_are_kept_with_their_words(partners, postgres_only):
    """A title written, changed, or moved to another contact (a merge) changes which contact
    it finds: the affiliations' trigger keeps their contact's words (search/migrations/0002)."""
    rosa = Contact.objects.get(name="Rosa Díaz")
    marcus = Contact.objects.get(name="Marcus Lee")

    def contacts(text):
        groups = {g.kind.key: g for g in search_groups(query_read(text))}
        return [hit.url for hit in groups["contacts"].hits] if "contacts" in groups else []

    affiliation = Affiliation.objects.get(contact=rosa)
    affiliation.title = "Zymurgy liaison"
    affiliation.save()
    assert contacts("zymurgy") == [rosa.get_absolute_url()]
    assert contacts("diabetes educator") == []
    Affiliation.objects.filter(pk=affiliation.pk).update(contact=marcus)
    assert contacts("zymurgy") == [marcus.get_absolute_url()]
    # Their own words kept: a new name keeps the titles, and the titles the new name.
    Contact.objects.filter(pk=marcus.pk).update(name="Marcus Okafor")
    assert contacts("zymurgy okafor") == [marcus.get_absolute_url()]
    Affiliation.objects.filter(pk=affiliation.pk).delete()
    assert contacts("zymurgy") == []


def test_a_contact_is_shown_with_the_roles_whose_title_has_the_words(partners):
    """Found by a title, a contact is shown with that role, even one that ended; found by two
    titles' words (a school board trustee and a public health nurse, for "school nurse"), with
    both: a librarian sees why they were found."""
    import datetime as dt

    rosa = Contact.objects.get(name="Rosa Díaz")
    board = Organization.objects.get(name="Cedar Bend City Council")
    Affiliation.objects.filter(contact=rosa).update(end_date=dt.date(2026, 1, 23))
    Affiliation.objects.create(contact=rosa, organization=board, title="School board trustee")
    Affiliation.objects.create(contact=rosa, organization=board, title="Public health nurse",
                               end_date=dt.date(2026, 2, 1))  # fmt: skip

    def detail(text):
        groups = {g.kind.key: g for g in search_groups(query_read(text))}
        return {hit.url: str(hit.detail) for hit in groups["contacts"].hits}[
            rosa.get_absolute_url()
        ]

    assert detail("diabetes").startswith(
        "<mark>Diabetes</mark> educator, Harlow Springs Community Clinic (until Jan 23, 2026)"
    )
    assert detail("rosa").startswith("School board trustee, Cedar Bend City Council ·")
    assert detail("rosa school nurse") == (
        "<mark>School</mark> board trustee, Cedar Bend City Council; Public health "
        "<mark>nurse</mark>, Cedar Bend City Council (until Feb 1, 2026)"
        " · rdiaz@harlowclinic.example.org"
    )


def test_a_mistyped_name_offers_names_like_it(partners, postgres_only):
    groups = {g.kind.key: g for g in search_groups(query_read("tamarak"))}
    group = groups["organizations"]
    assert group.similar
    assert all("Tamarack" in hit.title for hit in group.hits)
    # Every word like a word of the name: the one with both first.
    assert _organizations("tamarak health")[0] == _url(
        partners, "Tamarack County Health Department"
    )


def test_no_words_no_search(partners):
    assert not query_read("-hospital")
    assert not query_read("  !!! ")
    assert search_groups(query_read("zzzzqqq")) == []


def test_what_is_found_is_escaped(partners):
    Organization.objects.filter(pk=partners["Mill Creek Food Pantry"].pk).update(
        name="<script>alert(1)</script> Pantry"
    )
    groups = {g.kind.key: g for g in search_groups(query_read("pantry"))}
    titles = " ".join(hit.title for hit in groups["organizations"].hits)
    assert "<script>" not in titles and "&lt;script&gt;" in titles


def test_every_way_of_writing_keeps_the_words(partners):
    """The trigger keeps search_words on an update, a bulk update and a bulk insert alike."""
    pantry = partners["Mill Creek Food Pantry"]
    Organization.objects.filter(pk=pantry.pk).update(initiatives="Xylophone lessons")
    assert _organizations("xylophone") == [pantry.get_absolute_url()]
    Organization.objects.bulk_create([Organization(name="Quokka Society", normalized_name="q")])
    assert len(_organizations("quokka")) == 1
    Organization.objects.filter(pk=pantry.pk).update(initiatives="")
    assert _organizations("xylophone") == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_every_column_searched_is_kept_by_the_trigger(partners, kind, postgres_only):
    """search.kinds reads each of these columns: the migration's trigger must keep each one."""
    record = kind.model._default_manager.order_by("pk").first() or _one(kind)
    for column in kind.text_columns():
        word = f"zq{column.replace('_', '')}x"
        kind.model._default_manager.filter(pk=record.pk).update(
            **{column: f"{word}@a.org" if column == "email" else word}
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_words @@ to_tsquery('english_unaccent', %s) FROM {kind.table} "
                "WHERE id = %s",
                [word, record.pk],
            )
            assert cursor.fetchone() == (True,), f"{kind.table}.{column}"


def _one(kind):
    organization = Organization.objects.order_by("pk")[0]
    if kind.model is Meeting:
        import datetime as dt

        from django.utils import timezone

        start = timezone.now()
        return Meeting.objects.create(
            organization=organization,
            title="M",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )
    if kind.model is Program:
        return Program.objects.create(title="P")
    if kind.model is Document:
        return Document.objects.create(
            title="D",
            organization=organization,
            file_name="d.pdf",
            content_type="application/pdf",
            size=1,
        )
    raise AssertionError(kind)


def test_the_index_serves_the_search(partners, postgres_only):
    """The planner can answer from the GIN index (with reading the table, or a whole btree,
    ruled out: a few rows would rather be read whole)."""
    asked = selectors.asked(query_read("diabetes"))
    found = selectors.matching(ORGANIZATIONS, asked, Organization.objects.all())
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor a btree read in full
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "partners_organization_search_words" in plan


def test_the_first_results_read_their_parts_in_turn(partners, postgres_only):
    """selectors.first: a plain Append of its parts, which PostgreSQL runs in turn until the
    LIMIT has its rows, never a part in a parallel worker (a part with a LIMIT of its own is
    not run in one), however cheap parallel work is made to look."""
    asked = selectors.asked(query_read("health -hospital"))
    found = selectors.first(ORGANIZATIONS, asked, Organization.objects.values_list("id"), top=6)
    sql, params = found[:6].query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in (
            "parallel_setup_cost",
            "parallel_tuple_cost",
            "min_parallel_table_scan_size",
        ):
            cursor.execute(f"SET LOCAL {setting} = 0")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Within a part, a scan may be parallel (gathered under the part's own LIMIT): the parts
    # themselves are not, nor gathered out of turn above the Append.
    limit, append = plan.splitlines()[:2]
    assert limit.startswith("Limit") and append.strip().startswith("->  Append")
    assert "Parallel Append" not in plan


def test_a_page_of_one_kind(partners, rf):
    request = rf.get("/search/", {"q": "MOU", "kind": "touchpoints"})
    page, group = search_page(request, query_read("MOU"), TOUCHPOINTS)
    assert page.paginator.count == 5 and len(group.hits) == 5


def test_search_page(librarian_client, partners):
    url = reverse("search:search")
    response = librarian_client.get(url, {"q": "diabetes classes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>diabetes</mark>" in html and "Harlow Springs Community Clinic" in html
    more = librarian_client.get(url, {"q": "MOU", "kind": "touchpoints"})
    assert more.status_code == 200 and more.content.decode().count("Partnership call") == 5
    assert "All results for" in more.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "-hospital"},
        {"q": "x" * 5000},
        {"q": '"unclosed phrase'},
        {"q": "a & b | ! ( ) : * '"},
        {"q": "health", "kind": "nonsense"},
        {"q": "health", "kind": "touchpoints", "page": "abc"},
        {"q": "health", "kind": "touchpoints", "page": "99999"},
    ],
)
def test_any_input_gives_a_page(librarian_client, partners, params):
    response = librarian_client.get(reverse("search:search"), params)
    assert response.status_code == 200


def test_the_page_reads_a_fixed_number_of_queries(
    librarian_client, partners, django_assert_max_num_queries
):
    url = reverse("search:search")
    librarian_client.get(url, {"q": "health"})
    # A contact found (by a title) in both: their roles are one query more.
    with django_assert_max_num_queries(12) as small:
        librarian_client.get(url, {"q": "health or council or mou or nurse"})
    for i in range(30):
        organization = Organization.objects.create(
            name=f"Health Partner {i}", normalized_name=f"hp{i}"
        )
        Touchpoint.objects.create(
            organization=organization, subject="Health MOU", occurred_on="2026-01-01"
        )
        Affiliation.objects.create(
            organization=organization,
            contact=Contact.objects.create(name=f"Health Person {i}"),
            title="Health council",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        librarian_client.get(url, {"q": "health or council or mou or nurse"})


def test_the_top_bar_has_the_search_box(librarian_client):
    html = librarian_client.get(reverse("home")).content.decode()
    assert 'role="search"' in html and 'aria-keyshortcuts="/"' in html


@pytest.mark.parametrize(
    ("notes", "typed"),
    [
        ("Sent the MOU/agreement to their director.", "MOU"),
        ("Dropped off flyers/handouts at the desk.", "flyers"),
        ("Attached mou.pdf to the email.", "MOU"),
        ("Wrote to rosa@harlowclinic.org about dates.", "rosa"),
        ("Their site harlowclinic.org has the hours.", "harlowclinic"),
        ("COVID-19 boosters at the fair.", "covid-19"),
        ("A 3.5 million dollar grant.", "3.5"),
        ("Met on 3/15/2026 at noon.", "3/15/2026"),
        ("Spoke with Søren Madsen and Łucja Wałęsa.", "soren lucja walesa"),
        ("Visited the Cli\u0301nica.", "clinica"),  # an accent written apart from its letter
    ],
)
def test_words_written_with_punctuation_or_accents_are_found(partners, notes, typed):
    council = partners["Cedar Bend City Council"]
    Touchpoint.objects.create(
        organization=council, subject="Note", occurred_on="2026-04-01", notes=notes
    )
    groups = {g.kind.key: g for g in search_groups(query_read(typed))}
    hits = groups["touchpoints"].hits
    assert hits[0].title == "Note", typed  # the newest
    assert "<mark>" in hits[0].excerpt


def test_the_stems_marked_are_the_stems_postgresql_finds(postgres_only):
    """search.words stems as the database does, or a record would be found with nothing marked
    (snowballstemmer 2.2 is PostgreSQL 13–18's English stemmer)."""
    from search.words import key

    words = ["organization", "organizations", "evening", "added", "emergency", "university",
             "classes", "clinics", "diabetes", "immunization", "partnerships", "libraries",
             "generously", "community", "seniors", "running", "the", "does"]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, COALESCE((ts_lexize('english_stem', w))[1], '') FROM unnest(%s) w",
            [words],
        )
        theirs = dict(cursor.fetchall())
    assert {word: key(word) for word in words} == theirs


def test_stems_are_right_from_many_threads_at_once():
    import threading

    from search.words import key

    words = [f"{stem}{ending}" for stem in ("clinic", "class", "organiz", "partner", "librar")
             for ending in ("", "s", "es", "ing", "ed", "ation", "ations", "ies")]  # fmt: skip
    expected = {word: key(word) for word in words}
    key.cache_clear()
    found: dict[str, set[str]] = {word: set() for word in words}
    errors = []

    def stem_all():
        try:
            for _ in range(20):
                for word in words:
                    found[word].add(key.__wrapped__(word))
        except Exception as error:  # noqa: BLE001 - what a race raises is the failure
            errors.append(error)

    threads = [threading.Thread(target=stem_all) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert found == {word: {stem} for word, stem in expected.items()}


def test_a_search_is_planned_for_its_words(partners, postgres_only):
    """Its first results go as one query with its values (not run as a statement prepared with
    one plan for every search), and leave no setting behind."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ran:
        search_groups(query_read("MOU"))
    sent = [query["sql"] for query in ran.captured_queries]
    assert len(sent) == 1
    assert not [sql for sql in sent if sql.startswith(("EXECUTE", "SET"))]


@pytest.mark.parametrize("parallel", [False, True])
def test_the_one_query_gives_each_kind_what_its_own_would(partners, postgres_only, parallel):
    """results._first_rows: every kind's rows in one query, read back from JSON (dates and
    moments too) as each kind's own query gives them, in its order; also were PostgreSQL to
    run the kinds in parallel workers (made to look free here)."""
    from search import results

    starts = timezone.now().replace(microsecond=123456)
    meeting = Meeting.objects.create(
        organization=partners["Cedar Bend City Council"],
        title="MOU review",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
    )
    Touchpoint.objects.create(
        organization=partners["Cedar Bend City Council"], subject="MOU", occurred_on="2026-02-03"
    )
    Program.objects.create(title="MOU signing", start_date=dt.date(2026, 5, 1), budget=1)
    Contact.objects.create(name="Lena Mou", email="lena@council.example.org")
    Organization.objects.create(name="MOU Partners Coalition", normalized_name="mou partners")
    Document.objects.create(
        title="MOU (signed)",
        organization=partners["Cedar Bend City Council"],
        file_name="mou.pdf",
        content_type="application/pdf",
        size=1,
    )
    if parallel:
        with connection.cursor() as cursor:
            for setting in ("parallel_setup_cost", "parallel_tuple_cost"):
                cursor.execute(f"SET LOCAL {setting} = 0")
            cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
    for typed in ("MOU", "health -hospital", "council or nurse", "diabetes"):
        asked = selectors.asked(query_read(typed))
        together = results._first_rows(asked)
        for kind in results.KINDS:
            alone = results.FIRST[kind.key].rows(limit=6, **results._values(kind, asked))
            expected = results._as_dicts(kind, alone)
            shown = [{k: v for k, v in row.items() if k != "rank"} for row in together[kind.key]]
            assert shown == expected, (typed, kind.key)
    mou = results._first_rows(selectors.asked(query_read("MOU")))
    assert [kind.key for kind in results.KINDS if not mou[kind.key]] == []  # each read back
    assert meeting.starts_at in [row["starts_at"] for row in mou["meetings"]]  # to the microsecond
    assert dt.date(2026, 2, 3) in [row["occurred_on"] for row in mou["touchpoints"]]


def test_every_column_a_result_shows_comes_back_from_json():
    """A column added to what a result shows (results.SHOWN) is one JSON gives back, or read
    back from its text (dates, moments): known here, on either database, not at a search that
    finds such a record."""
    from search import results

    for kind in results.KINDS:
        readers = dict(results._read_from_json(kind.key))
        assert all(name in results._fields(kind) for name in readers)
    assert set(dict(results._read_from_json("meetings"))) == {"starts_at"}
    assert set(dict(results._read_from_json("touchpoints"))) == {"occurred_on"}


def test_a_page_of_one_kind_reads_a_fixed_number_of_queries(
    librarian_client, partners, django_assert_max_num_queries
):
    url = reverse("search:search")
    params = {"q": "health or council", "kind": "organizations"}
    librarian_client.get(url, params)
    with django_assert_max_num_queries(12) as small:
        librarian_client.get(url, params)
    for i in range(40):
        Organization.objects.create(name=f"Health Council {i}", normalized_name=f"hc{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = librarian_client.get(url, params)
    assert page.content.decode().count('<li><a href="/organizations/') == 25


def test_the_planner_counts_enough_words_to_tell_a_rare_one(postgres_only):
    """A word missing from the words ANALYZE counted is taken for one in two hundred
    touchpoints under the default target: then PostgreSQL reads all of them, newest first, to
    find the one that has it (search/migrations/0001)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute "
            "WHERE attname = 'search_words' AND NOT attisdropped "
            "AND attrelid IN (SELECT oid FROM pg_class WHERE relkind = 'r')"
        )
        targets = dict(cursor.fetchall())
    assert targets == {kind.table: 1000 for kind in KINDS}
