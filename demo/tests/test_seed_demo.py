from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from core import roles
from demo.tests.helpers import forget_partners, seed
from partners.models import Affiliation, Contact, Organization, Stage, StageChange


def login_request() -> HttpRequest:
    """django-axes checks every login against the address it comes from."""
    return RequestFactory().post("/accounts/login/")


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "organizations": Organization.objects.count(),
        "contacts": Contact.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "stage_changes": StageChange.objects.count(),
    }


def test_seed_demo_loads_every_kind_and_stage(demo_mode):
    output = seed()

    assert Organization.objects.count() >= 40
    assert Contact.objects.count() >= 100
    assert set(Organization.objects.values_list("kind", flat=True)) == set(Organization.Kind.values)
    assert set(Organization.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert not Organization.objects.exclude(kind="government").exclude(government_level="")
    assert not Organization.objects.filter(kind="government", government_level="")
    focus_counts = Organization.objects.annotate(n=Count("focus_areas")).values_list("n", flat=True)
    assert set(focus_counts) <= {1, 2, 3}
    assert "Demo logins (password: liaison-demo):" in output
    assert "librarian  – Librarian" in output
    assert "Loaded 40 organizations, 120 contacts" in output


def test_every_stage_history_starts_new_and_ends_at_the_current_stage(demo_mode):
    seed()

    for organization in Organization.objects.prefetch_related("stage_changes"):
        history = sorted(organization.stage_changes.all(), key=lambda c: c.changed_at)
        assert history[0].from_stage == ""
        assert history[-1].to_stage == organization.stage
        assert history[-1].changed_at == organization.stage_changed_at
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_stage == before.to_stage
            assert after.changed_at > before.changed_at
        assert history[0].changed_at > timezone.now() - timedelta(days=550)


def test_demo_users_can_sign_in_with_their_roles(demo_mode):
    seed()

    librarian = authenticate(login_request(), username="librarian", password="liaison-demo")
    manager = authenticate(login_request(), username="manager", password="liaison-demo")
    assert librarian is not None and manager is not None
    assert list(librarian.groups.values_list("name", flat=True)) == [roles.LIBRARIAN]
    assert list(manager.groups.values_list("name", flat=True)) == [roles.MANAGER]
    assert librarian.email == "librarian@library.example.org"
    assert librarian.get_full_name() and manager.get_full_name()
    assert set(Organization.objects.values_list("owner__username", flat=True)) == {
        "librarian",
        "manager",
        None,
    }


def test_if_empty_twice_changes_nothing_the_second_time(demo_mode):
    seed("--if-empty")
    after_first = row_counts()

    output = seed("--if-empty")

    assert row_counts() == after_first
    assert "already present" in output
    assert "Demo logins" in output


def test_if_empty_repairs_the_demo_users(demo_mode):
    seed("--if-empty")
    librarian = User.objects.get(username="librarian")
    librarian.set_password("changed")
    librarian.save()
    librarian.groups.clear()

    seed("--if-empty")

    assert authenticate(login_request(), username="librarian", password="liaison-demo") == librarian
    assert list(librarian.groups.values_list("name", flat=True)) == [roles.LIBRARIAN]
    assert User.objects.filter(username="librarian").count() == 1


def test_seeding_again_without_if_empty_is_refused(demo_mode):
    seed()
    before = row_counts()

    with pytest.raises(CommandError, match="--if-empty"):
        seed()

    assert row_counts() == before


def test_seeding_is_refused_outside_debug_and_demo_mode(settings, db):
    settings.DEBUG = False
    settings.LIAISON_DEMO = False

    with pytest.raises(CommandError, match="LIAISON_DEMO=1"):
        seed("--if-empty")

    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_debug_mode_alone_allows_seeding(settings, db):
    settings.DEBUG = True
    settings.LIAISON_DEMO = False

    seed()

    assert User.objects.filter(username__in=["librarian", "manager"]).count() == 2


def test_scale_two_doubles_the_organizations_with_distinct_names(demo_mode):
    seed()
    at_scale_one = Organization.objects.count()
    forget_partners()

    seed("--scale", "2")

    names = list(Organization.objects.values_list("name", flat=True))
    assert len(names) == 2 * at_scale_one
    assert len(set(names)) == len(names)
    normalized = Organization.objects.values_list("normalized_name", flat=True)
    assert len(set(normalized)) == len(names)
    assert Contact.objects.count() >= 200


def test_the_same_seed_gives_the_same_data(demo_mode):
    def snapshot() -> list[tuple]:
        return sorted(
            Organization.objects.values_list("name", "stage", "owner__username", "phone")
        ) + sorted(Contact.objects.values_list("name", "email", "phone", "preferred_channel"))

    seed()
    first = snapshot()
    forget_partners()

    seed()

    assert snapshot() == first


def test_people_and_their_affiliations_look_real(demo_mode):
    seed()

    two_current = Contact.objects.annotate(
        current=Count("affiliations", filter=Q(affiliations__end_date__isnull=True))
    ).filter(current__gte=2)
    assert two_current.exists()
    past = Affiliation.objects.past()
    assert past.exists()
    assert not past.filter(end_date__gt=timezone.localdate())
    assert not Affiliation.objects.filter(start_date__gt=timezone.localdate())
    primaries = Affiliation.objects.current().filter(is_primary=True)
    assert primaries.values("organization").distinct().count() == primaries.count()
    assert Contact.objects.filter(do_not_contact=True).exists()
    opted_out = Contact.objects.filter(opted_out_of_updates=True)
    assert opted_out.exists()
    assert not opted_out.filter(opted_out_at__isnull=True)
    assert set(Contact.objects.values_list("preferred_channel", flat=True)) == set(
        Contact.Channel.values
    )
