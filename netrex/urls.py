"""URLs of the portal.  Customer pages sit under i18n_patterns: Dutch without a prefix, English under /en/.

Each app's routes are given in the page's language by ``netrex.i18n_urls.translated`` (``/profiel/``
and ``/en/profile/``, ``/bestellingen/winkel/`` and ``/en/orders/shop/``); an address in the other
language is redirected by ``netrex.i18n_urls.OtherLanguageAddressMiddleware``.
"""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language
from netrex.i18n_urls import translated
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
    # First: the privacy statement is the page most asked for without an account (no other app's page
    # starts with its prefix, so the order changes no match, only how soon /privacy/ is found).
    translated("", "consent.urls"),
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    translated("", "accounts.urls"),
    translated("", "rights.urls"),
    translated("", "hosting.urls"),
    # Mollie's return address: fixed, the payment was created with it.
    path("", include("payments.urls")),
    translated("", "subscriptions.urls"),
    translated("bestellingen/", "orders.urls"),
    translated("", "billing.urls"),
    translated("credits/", "credits.urls"),
    translated("", "newsletter.urls"),
    translated("", "contact.urls"),
    translated("", "stats.urls"),
    prefix_default_language=False,
)
