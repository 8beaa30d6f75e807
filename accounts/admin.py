"""Staff views of users and the activity log.

Least privilege: a staff role (support, privacy officer) corrects a customer's profile and billing
fields and can send a password-reset email, nothing more.  Login name, email address, password,
staff status, groups and permissions are shown read-only or not at all; changing an e-mail address
or password is the customer's own act, confirmed by mail.  Only a superuser manages staff and
passwords, and every superuser action is break-glass: recorded and mailed to the privacy officer
(``accounts.middleware.BreakGlassMiddleware``).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field, flatten_fieldsets
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import staff
from accounts.models import User
from portal import overview

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


# Never shown on the overview: credentials and what only a superuser manages.
OVERVIEW_HIDDEN_FIELDS = {"password", "photo", "groups", "user_permissions"}


class AccountKindFilter(admin.SimpleListFilter):
    """Real customers by default: the demo accounts ``seed_demo`` makes (``is_demo``) only when asked for."""

    title = _("kind of account")
    parameter_name = "kind"
    REAL, DEMO, EVERY = "real", "demo", "all"

    def lookups(self, request, model_admin):
        return ((self.DEMO, _("Demo accounts only")), (self.EVERY, _("All accounts, demo accounts included")))

    def choices(self, changelist):
        value = self.value()
        yield {
            "selected": value in (None, self.REAL),
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Real accounts (default, without demo accounts)"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.DEMO:
            return queryset.filter(is_demo=True)
        if value == self.EVERY:
            return queryset
        return queryset.filter(is_demo=False)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "town", "is_staff", "date_joined", "overview_link")
    # The country is searched, not filtered: a filter would list every country of the world.
    list_filter = (AccountKindFilter, "is_staff", "is_superuser", "is_active", "groups", "language")
    search_fields = ("username", "email", "first_name", "last_name", "nickname", "postal_code", "phone", "=country")
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
        return (AccountKindFilter, "is_active", "language")

    # --- one page per customer: everything the viewer may see of them ----------------------------

    def get_urls(self):
        overview_url = path(
            "<path:object_id>/overview/",
            self.admin_site.admin_view(self.overview_view),
            name="accounts_user_overview",
        )
        return [overview_url, *super().get_urls()]

    @admin.display(description=_("overview"))
    def overview_link(self, obj: User) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:accounts_user_overview", args=[obj.pk]), _("Customer overview")
        )

    def overview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The customer's profile and the latest rows of every model the viewer may see (``portal.overview``)."""
        customer = self.get_object(request, object_id)
        if customer is None:
            raise Http404
        if not self.has_view_permission(request, customer):
            raise PermissionDenied
        fields = [
            name
            for name in flatten_fieldsets(self.get_fieldsets(request, customer))
            if name not in OVERVIEW_HIDDEN_FIELDS
        ]
        profile = []
        for name in fields:
            field = User._meta.get_field(name)
            profile.append((field.verbose_name, display_for_field(getattr(customer, name), field, "—")))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Customer overview: %(name)s") % {"name": customer.get_full_name() or customer.username},
            "subtitle": None,
            "opts": self.opts,
            "original": customer,
            "customer": customer,
            "profile": profile,
            "change_url": reverse("admin:accounts_user_change", args=[customer.pk]),
            "sections": overview.sections_for(request, customer, language=get_language()),
        }
        return TemplateResponse(request, "admin/accounts/user/overview.html", context)

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


# --- allauth's own lists (superusers only), with column names in the staff member's language ----------


def _column(field: str, label, *, ordering: str | None = None):
    def show(obj):
        value = getattr(obj, field)
        return obj.get_type_display() if field == "type" and hasattr(obj, "get_type_display") else value

    show.short_description = label  # type: ignore[attr-defined]
    show.admin_order_field = ordering or field  # type: ignore[attr-defined]
    return show


def _relabel_allauth_lists() -> None:
    """allauth's session and second-factor lists showed "User", "Created at", "Ip" in the Dutch admin."""
    from allauth.mfa.admin import AuthenticatorAdmin
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.admin import UserSessionAdmin
    from allauth.usersessions.models import UserSession

    class SessionAdmin(UserSessionAdmin):
        list_display = (  # type: ignore[assignment]
            _column("user", _("customer")),
            _column("created_at", _("started")),
            _column("last_seen_at", _("last seen")),
            _column("ip", _("IP address")),
            _column("user_agent", _("browser and device")),
        )

    class SecondFactorAdmin(AuthenticatorAdmin):
        list_display = (  # type: ignore[assignment]
            _column("user", _("customer")),
            _column("type", _("kind")),
            _column("created_at", _("set up")),
            _column("last_used_at", _("last used")),
        )

    for model, model_admin in ((UserSession, SessionAdmin), (Authenticator, SecondFactorAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)


_relabel_allauth_lists()
