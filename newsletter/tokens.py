"""Signed tokens of the newsletter links and the keyed hash of an address.

The unsubscribe and objection links never expire (they must work from an old email, C19, C27) and
carry no address in clear: the newsletter link carries the address hash, the advertising link the
account id and the channel.  The confirmation link of the double opt-in carries no token of this
module: an opaque random token of a pending record (``PendingSubscription``), valid for
``NEWSLETTER_CONFIRM_DAYS``.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
ADVERTISING_SALT = "newsletter.advertising"


def email_digest(email: str) -> str:
    """HMAC-SHA256 of the normalised address, keyed by ``NEWSLETTER_HASH_KEY`` (``SECRET_KEY`` when empty)."""
    secret = settings.NEWSLETTER_HASH_KEY or settings.SECRET_KEY
    return salted_hmac("newsletter.suppression", email.strip().lower(), secret=secret, algorithm="sha256").hexdigest()


def unsubscribe_token(digest: str) -> str:
    return signing.dumps(digest, salt=UNSUBSCRIBE_SALT)


def unsubscribe_digest(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and len(value) == 64 else None


def advertising_token(user_id: int, channel: str) -> str:
    return signing.dumps([user_id, channel], salt=ADVERTISING_SALT)


def advertising_payload(token: str) -> tuple[int, str] | None:
    try:
        value = signing.loads(token, salt=ADVERTISING_SALT)
    except signing.BadSignature:
        return None
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
        return value[0], value[1]
    return None
