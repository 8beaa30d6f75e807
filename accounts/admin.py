"""Staff views of users and the activity log.

Least privilege: a staff role (support, privacy officer) corrects a customer's profile and billing
fields and can send a password-reset email, nothing more.  Login name, email address, password,
staff status, groups and permissions are shown read-only or not at all; changing an e-mail address
or password is the customer's own act, confirmed by mail.  Only a superuser manages staff and
passwords, and every superuser action is break-glass: recorded and mailed to the privacy officer
(``accounts.middleware.BreakGlassMiddleware``).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import staff
from accounts.models import User

PROFILE_FIELDSETS = (
    (
        _("Profile"),
        {
            "fields": (
                "nickname",
                ("street", "postal_code"),
                ("town", "country"),
                "phone",
                "gender",
                "birth_date",
                "language",
                "photo",
            )
        },
    ),
    (
        _("Billing address"),
        {
            "fields": (
                "billing_same_as_address",
                "billing_name",
                "billing_street",
                ("billing_postal_code", "billing_town"),
                "billing_country",
            )
        },
    ),
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "town", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "language", "country")
    search_fields = ("username", "email", "first_name", "last_name", "nickname", "postal_code", "phone")
    # Superusers: Django's fieldsets (password, staff status, groups, permissions) and the profile.
    fieldsets = (*DjangoUserAdmin.fieldsets, *PROFILE_FIELDSETS)
    # Roles: who the customer is (read-only login name and address), the profile and billing fields.
    fieldsets_for_roles = (
        (_("Personal info"), {"fields": ("username", "email", "first_name", "last_name", "last_login", "date_joined")}),
        *PROFILE_FIELDSETS,
    )
    readonly_fields = ("photo", "last_login", "date_joined")
    actions = ["password_reset_send"]

    # --- what a role (not a superuser) may see and change ------------------------------------

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.fieldsets_for_roles

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        return (*self.readonly_fields, "username", "email")

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        # Staff accounts are managed by superusers only: no role edits a colleague or itself.
        return request.user.is_superuser or obj is None or not (obj.is_staff or obj.is_superuser)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return ("is_active", "language")

    @admin.action(description=_("Send a password-reset email"), permissions=["change"])
    def password_reset_send(self, request, queryset):
        sent = staff.password_reset_send(users=queryset, request=request)
        self.message_user(
            request,
            ngettext(
                "A password-reset email is on its way to %(count)d customer.",
                "A password-reset email is on its way to %(count)d customers.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )
