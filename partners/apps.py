from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnersConfig(AppConfig):
    """Organizations, contacts, affiliations, focus areas, the pipeline and merging."""

    name = "partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from core.profiles import ADDRESS_OWNERS
        from partners import panels  # noqa: F401  (the dashboard's pipeline panel)
        from partners.search import sqlite_repair_after_migrate
        from partners.selectors import contact_addresses_among
        from partners.tally import stage_tally_repair_after_migrate

        # SQLite's name search and stage tally triggers, put back if a migration rebuilt their
        # table.
        post_migrate.connect(sqlite_repair_after_migrate, sender=self)
        post_migrate.connect(stage_tally_repair_after_migrate, sender=self)
        # A staff member's other addresses are never a partner's (core.profiles).
        if contact_addresses_among not in ADDRESS_OWNERS:
            ADDRESS_OWNERS.append(contact_addresses_among)
