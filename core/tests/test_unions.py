"""Rows of several kinds in one query (core.unions) and names in a record's own query
(core.aggregates), on whichever database the tests run."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.db import models
from django.db.models import OuterRef, Subquery, Value

from core.aggregates import JoinedNames, split_names
from core.tests.factories import UserFactory
from core.unions import column, loaded, union_part

pytestmark = pytest.mark.django_db

COLUMNS = {
    "kind": models.CharField,
    "id": models.IntegerField,
    "name": models.CharField,
    "joined": models.DateTimeField,
    "staff": models.BooleanField,
}


def test_rows_of_two_kinds_come_back_typed_and_in_order():
    joined = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    ana = UserFactory(username="ana", date_joined=joined, is_staff=True)
    group = Group.objects.create(name="Outreach")
    users = union_part(
        User.objects.filter(pk=ana.pk),
        COLUMNS,
        kind=Value("user"),
        id="pk",
        name="username",
        joined="date_joined",
        staff="is_staff",
    )
    # Groups have no date nor flag: their columns are NULL, typed as the users' are.
    groups = union_part(
        Group.objects.filter(pk=group.pk), COLUMNS, kind=Value("group"), id="pk", name="name"
    )

    rows = list(groups.union(users, all=True).order_by(column("-kind")))

    assert rows == [
        ("user", ana.pk, "ana", joined, True),
        ("group", group.pk, "Outreach", None, None),
    ]
    user = loaded(User, id=ana.pk, username="ana")
    assert (user.pk, user.get_username()) == (ana.pk, "ana")
    assert user.get_deferred_fields() >= {"email", "date_joined"}  # reading them would query


def test_joined_names_come_in_the_records_own_query_sorted(django_assert_num_queries):
    user = UserFactory()
    for name in ("Managers", "Librarians Extra", "Admins Extra"):
        user.groups.add(Group.objects.create(name=name))
    names = Subquery(
        Group.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(names=JoinedNames("name"))
        .values("names")
    )
    with django_assert_num_queries(1):
        found = dict(User.objects.annotate(group_names=names).values_list("pk", "group_names"))
    # In the database's own order (its role's group too).
    in_order = list(user.groups.order_by("name").values_list("name", flat=True))
    assert split_names(found[user.pk]) == in_order and len(in_order) == 4
