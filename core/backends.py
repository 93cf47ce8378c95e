from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.db import connection

from core.models import StaffProfile
from core.roles import ADMIN, ALL_ROLES, role_names


@cache
def _user_sql() -> str:
    """SELECT the user, their profile's time zone and one flag per role (parameters: the role
    names, then the user's id)."""
    quote = connection.ops.quote_name
    user, profile = quote(User._meta.db_table), quote(StaffProfile._meta.db_table)
    links, group = quote(User.groups.through._meta.db_table), quote(Group._meta.db_table)
    flags = ", ".join(
        f"EXISTS (SELECT 1 FROM {links} INNER JOIN {group} ON {group}.id = {links}.group_id "
        f"WHERE {links}.user_id = {user}.id AND {group}.name = %s) AS in_role_{index}"
        for index in range(len(ALL_ROLES))
    )
    return (
        f"SELECT {user}.*, (SELECT time_zone FROM {profile} WHERE {profile}.user_id = {user}.id)"
        f" AS profile_time_zone, {flags} FROM {user} WHERE {user}.id = %s"
    )


class RoleBackend(ModelBackend):
    """Django's model backend, plus: members of the Admin group hold every permission.

    This lets the Admin role use the Django admin without keeping per-model permission rows in
    step with every new model.
    """

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user with their time zone and roles, in one query.

        Every page needs all three: read through the ORM they were three queries, and this one
        query compiled by the ORM cost more than running it. So it is written out once, in SQL
        that PostgreSQL and SQLite both read; the profile itself is loaded where a page needs
        more of it (core.profiles.profile_for).
        """
        rows = list(User._default_manager.raw(_user_sql(), [*ALL_ROLES, user_id]))
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        user = rows[0]
        roles = [role for index, role in enumerate(ALL_ROLES) if getattr(user, f"in_role_{index}")]
        user._liaison_roles = frozenset(roles)  # type: ignore[attr-defined]  # core.roles
        user._liaison_time_zone = user.profile_time_zone  # type: ignore[attr-defined]
        return user

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if user_obj.is_active and ADMIN in role_names(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if user_obj.is_active and ADMIN in role_names(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)
