"""Subscribers, the suppression list, newsletters and their deliveries, advertising choices per channel.

An address that unsubscribed is never kept in clear: only its keyed hash (``digest``) stays, on the
suppression list, so that it is never added again automatically (C20).  A delivery is one
recipient of one newsletter, unique per newsletter and recipient hash; it is claimed before the
message is sent, so a crash and a resume can never send anyone a second copy.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import roles


class Subscriber(models.Model):
    """An address on the newsletter list (P7).  Mail goes only to confirmed subscribers."""

    class Source(models.TextChoices):
        ACCOUNT = "account", _("added with the account")
        FORM = "form", _("subscription form with confirmation")
        PORTAL = "portal", _("switched on in the portal")

    email = models.EmailField(_("email address"))
    digest = models.CharField(_("address hash"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
        verbose_name=_("account"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    consent_ip = models.GenericIPAddressField(_("confirmed from (masked IP)"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class PendingSubscription(models.Model):
    """A visitor asked for the newsletter and has not followed the emailed link yet (double opt-in).

    The link carries only ``token``, an opaque random value: no address in any URL or access log.  The row
    goes when the link is followed, or after 7 days (the register's rule ``newsletter_unconfirmed``).
    """

    token = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    created_at = models.DateTimeField(_("requested"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pending newsletter sign-up")
        verbose_name_plural = _("pending newsletter sign-ups")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk}"


class Suppression(models.Model):
    """An address that must never be added again automatically, kept only as its keyed hash."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        DECLINED = "declined", _("declined at sign-up")

    digest = models.CharField(_("address hash"), max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    method = models.CharField(_("how"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.digest[:12]}…"


class Newsletter(models.Model):
    """A newsletter or an advertising email, written in Dutch and English by staff."""

    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", _("newsletter (to subscribers)")
        ADVERTISING = "advertising", _("advertising email (to customers who did not object)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWSLETTER)
    subject_nl = models.CharField(_("subject (Dutch)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_nl = models.TextField(_("text (Dutch)"))
    body_en = models.TextField(_("text (English)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject_nl

    def subject(self, language: str) -> str:
        return self.subject_en if language == "en" else self.subject_nl

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_nl


class Delivery(models.Model):
    """One recipient of one newsletter.  ``email`` is blanked the moment the delivery is claimed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        CLAIMED = "claimed", _("handed to the mail server, not confirmed")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("skipped (unsubscribed or objected)")
        FAILED = "failed", _("failed")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField(_("recipient hash"), max_length=64)
    email = models.EmailField(_("email address"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, default="nl")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["newsletter", "recipient"], name="delivery_once_per_recipient")]
        indexes = [models.Index(fields=["newsletter", "status"], name="delivery_newsletter_status")]

    def __str__(self) -> str:
        return f"{self.newsletter_id}:{self.recipient[:12]}"


class Channel(models.TextChoices):
    EMAIL = "email", _("email")
    SOCIAL = "social", _("social media")
    PHONE = "phone", _("phone")


class ChoiceMethod(models.TextChoices):
    SIGNUP = "signup", _("sign-up form")
    PORTAL = "portal", _("preferences page in the portal")
    ACCOUNT = "account", _("account dashboard")
    EMAIL_LINK = "email_link", _("link in an advertising email")
    PHONE = "phone", _("said so on the phone (recorded by staff)")
    SOCIAL = "social", _("blocked us or opted out on social media (recorded by staff)")
    STAFF = "staff", _("by letter or another way (recorded by staff)")
    CONSENT = "consent", _("consent switch on the privacy page")


# The methods by which a choice reaches us through a staff member, who records it in the admin.
STAFF_METHODS = (ChoiceMethod.PHONE, ChoiceMethod.SOCIAL, ChoiceMethod.STAFF)

# How each method reads in a sentence ("objection to advertising by phone (channel: email)").
METHOD_PHRASES = {
    ChoiceMethod.SIGNUP: _("on the sign-up form"),
    ChoiceMethod.PORTAL: _("on the preferences page"),
    ChoiceMethod.ACCOUNT: _("on the account dashboard"),
    ChoiceMethod.EMAIL_LINK: _("with the link in an advertising email"),
    ChoiceMethod.PHONE: _("by phone"),
    ChoiceMethod.SOCIAL: _("on social media"),
    ChoiceMethod.STAFF: _("by letter or another way"),
    ChoiceMethod.CONSENT: _("with the switch on the privacy page"),
}


# The staff roles (``portal.roles``) in the reader's language.
ROLE_LABELS = {
    roles.SUPPORT: _("support"),
    roles.FINANCE: _("finance"),
    roles.PRIVACY_OFFICER: _("privacy officer"),
    "superuser": _("administrator"),
}


class Origin(models.TextChoices):
    """Who made a change: the customer, a staff member (recorded with their role), or the system."""

    CUSTOMER = "customer", _("customer")
    STAFF = "staff", _("staff member")
    SYSTEM = "system", _("system")


class AdvertisingPreference(models.Model):
    """The customer's current choice for one advertising channel (P10).  No row: not objected."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advertising_preferences")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    allowed = models.BooleanField(_("allowed"))
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("advertising preference")
        verbose_name_plural = _("advertising preferences")
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="advertising_one_choice_per_channel")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {'yes' if self.allowed else 'no'}"


class AdvertisingPreferenceChange(models.Model):
    """History of the advertising choices (C27): what, when, how, from which source and by whom."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    allowed = models.BooleanField(_("allowed"))
    method = models.CharField(_("how"), max_length=16, choices=ChoiceMethod.choices)
    origin = models.CharField(_("by"), max_length=16, choices=Origin.choices, default=Origin.CUSTOMER)
    staff_role = models.CharField(_("staff member's role"), max_length=64, blank=True)
    source = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by staff member"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("advertising choice")
        verbose_name_plural = _("advertising choices (history)")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {'yes' if self.allowed else 'no'} ({self.method})"

    @property
    def method_phrase(self) -> str:
        """How the choice reached us, as it reads in a sentence ("by phone")."""
        return str(METHOD_PHRASES.get(self.method, self.get_method_display()))

    @property
    def made_by(self) -> str:
        """Who made the change, as the customer and staff read it: "customer", "staff member (support)", "system"."""
        if self.origin == Origin.STAFF and self.staff_role:
            return f"{self.get_origin_display()} ({ROLE_LABELS.get(self.staff_role, self.staff_role)})"
        return str(self.get_origin_display())
