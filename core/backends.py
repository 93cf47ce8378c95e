from typing import Any

from django.contrib.auth.backends import ModelBackend

from core.roles import ADMIN, role_names


class RoleBackend(ModelBackend):
    """Django's model backend, plus: members of the Admin group hold every permission.

    This lets the Admin role use the Django admin without keeping per-model permission rows in
    step with every new model.
    """

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if user_obj.is_active and ADMIN in role_names(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if user_obj.is_active and ADMIN in role_names(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)
