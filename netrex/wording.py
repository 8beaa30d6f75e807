"""Django's own strings that customers read, listed so the project catalogue can word them our way.

Django's Dutch catalogue addresses the reader with "u" (the portal says "je" everywhere) and lags
behind some of Django's msgids (the "too short" message).  The
project catalogue (``locale/``, first in ``LOCALE_PATHS``) wins over Django's, so listing these
msgids here lets ``make messages`` extract them and ``locale/nl`` translate them in the portal's
voice.  Nothing imports this module: it exists for the message extractor.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

PASSWORD_HELP_TEXTS = (
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
)

PASSWORD_ERRORS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)

# allauth's label of the login field; its Dutch catalogue leaves it as "Login".
ALLAUTH_LABELS = (pgettext_lazy("field label", "Login"),)
