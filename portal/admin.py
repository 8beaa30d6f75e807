"""Staff views of the activity log: evidence, read and never edited or deleted here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal import activity
from portal.models import Activity


def customer_column(field: str = "user"):
    """A list column of the row's customer, headed "customer" in the reader's language.

    A bare ``user`` foreign key is headed by its field name ("User", in English on a Dutch page); the
    admin using this must ``list_select_related`` the field, as for the bare key.
    """

    @admin.display(description=_("customer"), ordering=field)
    def customer(obj):
        return getattr(obj, field) or "—"

    return customer


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

    list_display = ("created_at", customer_column(), "action_label", "ip_address", "actor")
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
