from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Liaison core"

    def ready(self) -> None:
        # Signal receivers: a login stamps the session for the idle timeout.
        from core import sessions  # noqa: F401
        from core.lookups import register

        register()


class LiaisonAdminConfig(admin_apps.AdminConfig):
    """The Django admin, restricted to the Admin role (see core.sites.LiaisonAdminSite)."""

    default = False
    default_site = "core.sites.LiaisonAdminSite"
