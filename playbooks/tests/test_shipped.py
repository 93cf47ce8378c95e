"""The four playbooks Liaison ships, made by migration in every database."""

import pytest

from playbooks.models import Playbook

pytestmark = pytest.mark.django_db


def test_the_four_shipped_playbooks_exist_after_migrate():
    shipped = {p.name: p for p in Playbook.objects.prefetch_related("steps")}
    assert set(shipped) >= {
        "New government partner",
        "New health partner",
        "Joint grant application",
        "Annual partnership review",
    }
    health = shipped["New health partner"]
    assert (health.kind, health.auto_apply_stage) == ("health", "contacted")
    assert [s.title for s in health.steps.all()][:3] == [
        "Research their services and the populations they serve",
        "Phone call",
        "Email",
    ]
    government = [s.title for s in shipped["New government partner"].steps.all()]
    assert "Attend a council or board meeting" in government
