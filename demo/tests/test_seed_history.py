"""The demo data is loaded in bulk, yet each record's change history begins with it."""

from demo.tests.helpers import seed
from partners.models import Affiliation, Contact, Organization
from programs.models import Program


def test_every_demo_record_starts_its_change_history(demo_mode):
    seed()

    for model in (Organization, Contact, Affiliation, Program):
        history = model.history.all()
        assert history.count() == model.objects.count() > 0, model
        assert set(history.values_list("history_type", "history_change_reason")) == {
            ("+", "Demo data loaded")
        }
