from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from core.models import StaffProfile
from core.prepared import Prepared
from core.roles import ADMIN, ALL_ROLES, role_names


def _user_with_roles(user_id: int) -> QuerySet[User]:
    """The user, their profile's time zone and one flag per role."""
    in_role = {
        f"in_role_{index}": Exists(Group.objects.filter(user=OuterRef("pk"), name=role))
        for index, role in enumerate(ALL_ROLES)
    }
    time_zone = StaffProfile.objects.filter(user=OuterRef("pk")).values("time_zone")[:1]
    return User._default_manager.filter(pk=user_id).annotate(
        profile_time_zone=Subquery(time_zone), **in_role
    )


USER_WITH_ROLES = Prepared(_user_with_roles)


class RoleBackend(ModelBackend):
    """Django's model backend, plus: members of the Admin group hold every permission.

    This lets the Admin role use the Django admin without keeping per-model permission rows in
    step with every new model.
    """

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user with their time zone and roles, in one query.

        Every page needs all three: read through the ORM one by one they were three queries,
        and compiled on each visit this one cost more than running it, so it is prepared once
        (core.prepared); the profile itself is loaded where a page needs more of it
        (core.profiles.profile_for).
        """
        try:
            rows = USER_WITH_ROLES.objects(user_id=int(user_id))
        except (TypeError, ValueError):  # a session from elsewhere
            return None
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        user = rows[0]
        roles = [role for index, role in enumerate(ALL_ROLES) if getattr(user, f"in_role_{index}")]
        user._liaison_roles = frozenset(roles)  # core.roles
        user._liaison_time_zone = user.profile_time_zone
        return user

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if user_obj.is_active and ADMIN in role_names(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if user_obj.is_active and ADMIN in role_names(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)
