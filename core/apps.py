from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Liaison core"


class LiaisonAdminConfig(admin_apps.AdminConfig):
    """The Django admin, restricted to the Admin role (see core.sites.LiaisonAdminSite)."""

    default = False
    default_site = "core.sites.LiaisonAdminSite"
