"""Staff views of users and the activity log."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import activity
from accounts.models import Activity, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "town", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "language", "country")
    search_fields = ("username", "email", "first_name", "last_name", "nickname", "postal_code", "phone")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
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
    readonly_fields = ("photo", "last_login", "date_joined")


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return activity.choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The activity log is evidence: staff read it, nobody edits or deletes it here."""

    list_display = ("created_at", "user", "action_label", "ip_address", "actor")
    list_filter = (ActionFilter, "created_at")
    search_fields = ("user__username", "user__email", "ip_address")
    date_hierarchy = "created_at"
    list_select_related = ("user", "actor")
    show_full_result_count = False
    raw_id_fields = ("user", "actor")

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, obj: Activity) -> str:
        return obj.get_action_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
