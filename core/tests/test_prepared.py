"""Queries compiled once per process (core.prepared), on whichever database the tests run."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Count, Value

from core.prepared import Prepared
from core.tests.factories import UserFactory
from core.tests.test_unions import COLUMNS
from core.unions import column, union_part

pytestmark = pytest.mark.django_db


def _people_and_groups(user_id: int, group_id: int):
    users = union_part(
        User.objects.filter(pk=user_id),
        COLUMNS,
        kind=Value("user"),
        id="pk",
        name="username",
        joined="date_joined",
        staff="is_staff",
    )
    groups = union_part(Group.objects.filter(pk=group_id), COLUMNS, kind=Value("group"), id="pk")
    return users.union(groups, all=True).order_by(column("kind"), column("id"))


def test_a_prepared_query_gives_the_querysets_rows_for_each_visits_ids(
    django_assert_num_queries,
):
    people = Prepared(_people_and_groups)
    ana = UserFactory(username="ana", date_joined=dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC))
    ben = UserFactory(username="ben", is_staff=True)
    outreach, board = Group.objects.create(name="Outreach"), Group.objects.create(name="Board")
    for user, group in ((ana, outreach), (ben, board), (ben, outreach)):
        with django_assert_num_queries(1):
            rows = people.rows(limit=10, user_id=user.pk, group_id=group.pk)
        assert rows == list(_people_and_groups(user.pk, group.pk))
        # Typed as the ORM types them (SQLite keeps datetimes as text).
        assert isinstance(rows[1][3], dt.datetime)
    assert people.rows(limit=1, offset=1, user_id=ana.pk, group_id=board.pk) == [
        ("user", ana.pk, "ana", ana.date_joined, False)
    ]
    # Compiled once: the ids change, the SQL does not.
    assert people._compiled.cache_info().misses == 1


def test_a_prepared_query_refuses_an_id_it_does_not_use_as_a_value():
    unused = Prepared(lambda user_id, group_id: User.objects.values_list("pk"))
    with pytest.raises(ValueError, match="group_id, user_id"):
        unused.rows(limit=1, user_id=1, group_id=2)


def _members_of(group_id: int):
    return (
        User.objects.filter(groups=group_id)
        .select_related("profile")
        .prefetch_related("groups")
        .annotate(group_count=Count("groups"))
        .order_by("username")
    )


def test_prepared_records_are_what_the_queryset_gives(django_assert_num_queries):
    members = Prepared(_members_of)
    outreach, board = Group.objects.create(name="Outreach"), Group.objects.create(name="Board")
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    ana.groups.add(outreach, board)
    ben.groups.add(board)
    for group, names in ((outreach, ["ana"]), (board, ["ana", "ben"]), (outreach, ["ana"])):
        with django_assert_num_queries(2):  # the users, and their groups (prefetched)
            found = members.objects(group_id=group.pk)
        assert [user.username for user in found] == names
        expected = list(_members_of(group.pk))
        assert [(u.pk, u.group_count) for u in found] == [(u.pk, u.group_count) for u in expected]
        with django_assert_num_queries(0):  # select_related and prefetch_related were read
            assert [sorted(g.name for g in u.groups.all()) for u in found] == [
                sorted(g.name for g in u.groups.all()) for u in expected
            ]
            profiles = [hasattr(u, "profile") for u in found]
            assert profiles == [hasattr(u, "profile") for u in expected]
    assert members._compiled.cache_info().misses == 1
    assert members.objects(group_id=Group.objects.create(name="Empty").pk) == []


def _joined_between(first_day: dt.date, last_moment: dt.datetime):
    return User.objects.filter(
        date_joined__date__gte=first_day, date_joined__lte=last_moment
    ).order_by("username")


def test_dates_and_moments_are_put_in_their_places():
    joined = Prepared(_joined_between)
    UserFactory(username="ana", date_joined=dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC))
    UserFactory(username="ben", date_joined=dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC))
    for first_day, last_moment in (
        (dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)),
        (dt.date(2026, 3, 2), dt.datetime(2026, 4, 1, tzinfo=dt.UTC)),
        (dt.date(2026, 2, 1), dt.datetime(2026, 4, 1, tzinfo=dt.UTC)),
    ):
        found = joined.objects(first_day=first_day, last_moment=last_moment)
        assert found == list(_joined_between(first_day, last_moment))
    assert [u.username for u in found] == ["ana", "ben"]
    assert joined._compiled.cache_info().misses == 1


def test_a_value_worked_out_from_a_date_is_refused():
    # A week after the day is a value of its own: compiled with it, every other day would
    # read the first visit's week.
    week = Prepared(
        lambda day: User.objects.filter(
            date_joined__date__gte=day, date_joined__date__lte=day + dt.timedelta(days=7)
        )
    )
    with pytest.raises(ValueError, match="worked out"):
        week.objects(day=dt.date(2026, 3, 1))
    with pytest.raises(TypeError):
        week.objects(day="2026-03-01")


def _in_groups(group_ids: list[int], joined_after: dt.datetime):
    return User.objects.filter(groups__any_of=group_ids, date_joined__gt=joined_after).order_by(
        "username"
    )


def test_a_list_of_ids_is_one_value(django_assert_num_queries):
    members = Prepared(_in_groups)
    ana, ben, cy = (UserFactory(username=name) for name in ("ana", "ben", "cy"))
    outreach, board = Group.objects.create(name="Outreach"), Group.objects.create(name="Board")
    ana.groups.add(outreach)
    ben.groups.add(board)
    cy.groups.add(outreach, board)
    long_ago = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    for ids, names in (
        ([outreach.pk], ["ana", "cy"]),
        ([board.pk], ["ben", "cy"]),
        ([outreach.pk, board.pk], ["ana", "ben", "cy", "cy"]),
        ([], []),
    ):
        with django_assert_num_queries(1):
            found = members.objects(group_ids=ids, joined_after=long_ago)
        assert [user.username for user in found] == names
        assert found == list(_in_groups(ids, long_ago))
    with pytest.raises(TypeError):
        members.objects(group_ids=["ana"], joined_after=long_ago)


def test_any_of_matches_what_in_matches():
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    UserFactory(username="cy")
    for ids in ([], [ana.pk], [ana.pk, ben.pk], [ben.pk, ben.pk, 10**9]):
        assert list(User.objects.filter(pk__any_of=ids).order_by("pk")) == list(
            User.objects.filter(pk__in=ids).order_by("pk")
        )


def test_on_postgresql_each_connection_prepares_the_statement_once(django_assert_num_queries):
    if connection.vendor != "postgresql":
        pytest.skip("PREPARE is PostgreSQL's (set DATABASE_URL)")
    people = Prepared(_people_and_groups)
    ana = UserFactory(username="ana")
    board = Group.objects.create(name="Board")
    for _visit in range(3):
        with django_assert_num_queries(1) as captured:
            rows = people.rows(limit=10, user_id=ana.pk, group_id=board.pk)
        assert [row[2] for row in rows] == [None, "ana"]
        assert captured.captured_queries[0]["sql"].startswith("EXECUTE liaison_")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'liaison_%%'")
        prepared_here = cursor.fetchone()[0]
    assert prepared_here >= 1


def test_the_sql_of_a_query_sent_with_its_values_runs_inside_another():
    """Prepared.sql: the compiled SQL with this visit's values, for a query of one's own to
    hold (search.results sends every kind's first results as one); a query prepared on the
    server has no SQL to lend."""
    people = Prepared(_people_and_groups, on_server=False)
    ana = UserFactory(username="ana")
    board = Group.objects.create(name="Board")
    sql, params = people.sql(limit=10, user_id=ana.pk, group_id=board.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) found", params)
        assert cursor.fetchone()[0] == 2
    with pytest.raises(ValueError, match="rows()"):
        Prepared(_people_and_groups).sql(limit=10, user_id=ana.pk, group_id=board.pk)
