"""Staff side: legal holds (privacy officer) and the read-only run log, which warns when the sweep stalls."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.models import LegalHold
from retention import selectors, services
from retention.models import AccountClosure, RetentionRuleResult, RetentionRun


def _warn_if_stale(request) -> None:
    if selectors.sweep_is_stale():
        messages.warning(
            request,
            _(
                "No retention sweep has finished successfully in the last %(hours)d hours. Check the Celery beat "
                "worker and the latest runs below."
            )
            % {"hours": settings.RETENTION_STALE_AFTER_HOURS},
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RetentionRuleResultInline(admin.TabularInline):
    model = RetentionRuleResult
    extra = 0
    can_delete = False
    fields = (
        "rule",
        "purpose",
        "model_label",
        "action",
        "examined",
        "due",
        "deleted",
        "anonymised",
        "skipped_by_hold",
        "errors",
        "error_pks",
        "batches",
        "longest_batch_ms",
        "failure",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at", "status", "dry_run", "full")
    list_filter = ("status", "dry_run", "full")
    date_hierarchy = "started_at"
    fields = ("started_at", "finished_at", "status", "dry_run", "full", "rules_requested", "error")
    readonly_fields = fields
    inlines = [RetentionRuleResultInline]

    def changelist_view(self, request, extra_context=None):
        _warn_if_stale(request)
        return super().changelist_view(request, extra_context)


@admin.register(AccountClosure)
class AccountClosureAdmin(ReadOnlyAdmin):
    list_display = ("closed_at",)
    date_hierarchy = "closed_at"
    fields = ("closed_at", "counts")
    readonly_fields = fields


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "content_type", "object_id", "placed_at", "placed_by", "released_at")
    list_filter = (("released_at", admin.EmptyFieldListFilter), "content_type")
    raw_id_fields = ("user",)
    fields = ("user", "content_type", "object_id", "reason", "placed_by", "placed_at", "released_by", "released_at")
    readonly_fields = ("placed_by", "placed_at", "released_by", "released_at")
    actions = ["release"]

    def has_delete_permission(self, request, obj=None):
        return False  # a hold is evidence: it is released, never deleted

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("user", "content_type", "object_id", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["reason"])
            return
        record = None
        if obj.content_type_id:
            model = obj.content_type.model_class()
            record = model._default_manager.filter(pk=obj.object_id).first() if model else None
            if record is None:
                # The form validated the shape; the record may be gone already: hold the id as given.
                obj.placed_by = request.user
                obj.save()
                return
        hold = services.legal_hold_place(actor=request.user, reason=obj.reason, user=obj.user, record=record)
        obj.pk = hold.pk
        obj.placed_by = hold.placed_by
        obj.placed_at = hold.placed_at

    @admin.action(description=_("Release the selected holds"), permissions=["change"])
    def release(self, request, queryset):
        released = sum(services.legal_hold_release(hold=hold, actor=request.user) for hold in queryset.active())
        self.message_user(
            request,
            ngettext("%(n)d hold released.", "%(n)d holds released.", released) % {"n": released},
            messages.SUCCESS,
        )

    def changelist_view(self, request, extra_context=None):
        _warn_if_stale(request)
        return super().changelist_view(request, extra_context)
