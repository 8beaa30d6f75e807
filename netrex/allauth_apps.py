"""allauth's apps under the names staff read in the admin, in Dutch and English.

allauth calls its account app "Accounts", as we call ours, so the admin showed two "Accounts"
sections; and its session and second-factor models have no verbose names, so the Dutch admin
showed "User sessions" and "Authenticators".  These subclasses (named in ``INSTALLED_APPS``) give
the sections distinct names and the models translated ones.  A model's names are set on ``_meta``
when the app is ready rather than in a ``Meta`` of allauth's: migrations are built from the model's
own ``Meta`` (``_meta.original_attrs``), so this needs, and makes, no migration in allauth.
"""

from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig
from allauth.usersessions.apps import UserSessionsConfig
from django.utils.translation import gettext_lazy as _


def _name_models(config, names: dict) -> None:
    for model_name, (singular, plural) in names.items():
        opts = config.get_model(model_name)._meta
        opts.verbose_name = singular
        opts.verbose_name_plural = plural


class LoginConfig(AccountConfig):
    verbose_name = _("Login and e-mail")


class SecondFactorConfig(MFAConfig):
    verbose_name = _("Two-step verification")

    def ready(self) -> None:
        super().ready()
        _name_models(self, {"Authenticator": (_("second factor"), _("second factors"))})


class LoginSessionsConfig(UserSessionsConfig):
    verbose_name = _("Login sessions")

    def ready(self) -> None:
        super().ready()
        _name_models(self, {"UserSession": (_("login session"), _("login sessions"))})
