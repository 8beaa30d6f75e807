"""The staff roles and the permissions their work needs.

Groups are created by a data migration; each app's own migration grants its permissions to them
through ``grant`` so that a role never needs a permission of an app that is not installed.
"""

SUPPORT = "support"
FINANCE = "finance"
PRIVACY_OFFICER = "privacy officer"
ROLES = (SUPPORT, FINANCE, PRIVACY_OFFICER)


def grant(apps, schema_editor, app_label: str, grants: dict[str, list[str]]) -> None:
    """Give each role the named permissions (codenames) of ``app_label``, creating them first if needed."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # a migration's app config is a stub; create_permissions needs this set
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"unknown permissions of {app_label}: {sorted(missing)}")
        group.permissions.add(*permissions)


def has_role(user, role: str) -> bool:
    """``user`` holds ``role`` as a group membership: being a superuser is not holding a role."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return role in cached


def privacy_officer_addresses() -> list[str]:
    """Where break-glass and watchdog alerts go: every active privacy officer, else ``PRIVACY_OFFICER_EMAIL``."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    found = (
        get_user_model()
        .objects.filter(groups__name=PRIVACY_OFFICER, is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    addresses = sorted(set(found))
    fallback = getattr(settings, "PRIVACY_OFFICER_EMAIL", "")
    return addresses or ([fallback] if fallback else [])
