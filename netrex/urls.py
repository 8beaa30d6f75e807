"""URLs of the portal.  Customer pages sit under i18n_patterns: Dutch without a prefix, English under /en/."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language
from netrex.views import healthz, readyz

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Netrex beheer"
admin.site.site_title = "Netrex beheer"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("payments.webhook_urls")),
]
if settings.MOLLIE_SIMULATOR:
    urlpatterns += [path("mollie-sim/", include("mollie_sim.urls"))]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("rights.urls")),
    path("", include("consent.urls")),
    path("", include("hosting.urls")),
    path("", include("payments.urls")),
    path("", include("subscriptions.urls")),
    path("orders/", include("orders.urls")),
    path("credits/", include("credits.urls")),
    path("", include("newsletter.urls")),
    path("", include("contact.urls")),
    path("", include("stats.urls")),
    prefix_default_language=False,
)
