"""URLs of the portal.  Customer pages sit under i18n_patterns: Dutch without a prefix, English under /en/."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language
from netrex.views import healthz

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Netrex beheer"
admin.site.site_title = "Netrex beheer"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("", include("accounts.urls")),
    prefix_default_language=False,
)
