"""What the consent app stores: statement versions, who was told of them, consents, cookie choices, disclosures.

The purposes themselves are code (``privacy.register``); these models only record facts about
people and versions, so that consent can be proven (GDPR art. 7(1)) and disclosures accounted for
(C28).  Consent records, cookie choices and disclosures are append-only: a change is a new row.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy import register


class StatementVersionQuerySet(models.QuerySet):
    def published(self) -> "StatementVersionQuerySet":
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class StatementVersion(models.Model):
    """One version of the privacy statement: its number, its date and what changed (C37).

    Staff write a draft in the admin and publish it; publishing keeps a rendered copy of the page in
    both languages so the archive shows exactly what was published, even after the code changed.
    """

    number = models.PositiveIntegerField(_("version"), unique=True)
    date = models.DateField(_("date of the statement"))
    summary_nl = models.TextField(_("summary of changes (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary of changes (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    content_nl = models.TextField(_("published text (Dutch)"), blank=True, editable=False)
    content_en = models.TextField(_("published text (English)"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = StatementVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy statement version")
        verbose_name_plural = _("privacy statement versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("consent:statement_version", args=[self.number])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def summary(self, language: str) -> str:
        return self.summary_en if language.startswith("en") else self.summary_nl

    def content(self, language: str) -> str:
        return self.content_en if language.startswith("en") else self.content_nl


class StatementNotice(models.Model):
    """That ``user`` was emailed about ``version`` and when they read it; one row per person and version."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statement_notices")
    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="notices")
    emailed_at = models.DateTimeField(_("announcement emailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement notice")
        verbose_name_plural = _("statement notices")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="statement_notice_once")]

    def __str__(self) -> str:
        return f"{self.user_id} v{self.version_id}"


class Method(models.TextChoices):
    """How a consent was given or withdrawn."""

    SIGNUP = "signup", _("sign-up form")
    PRIVACY_PAGE = "privacy_page", _("switch on the privacy page")
    PORTAL = "portal", _("preferences page in the portal")
    BANNER_ACCEPT = "banner_accept", _("cookie banner: accept all")
    BANNER_REJECT = "banner_reject", _("cookie banner: refuse all")
    BANNER_SAVE = "banner_save", _("cookie banner: own choice saved")
    GPC = "gpc", _("Global Privacy Control signal of the browser")
    STAFF_PHONE = "staff_phone", _("by phone, recorded by staff")
    STAFF_SOCIAL = "staff_social", _("on social media, recorded by staff")
    STAFF_OTHER = "staff_other", _("by letter or another way, recorded by staff")
    LINK = "link", _("link in an email")
    BANNER = "banner", _("cookie banner")  # choices recorded before the banner's methods were told apart


# The ways a choice reaches us through a staff member, who records it in the admin and says which.
STAFF_METHODS = (Method.STAFF_PHONE, Method.STAFF_SOCIAL, Method.STAFF_OTHER)


class AppendOnly(models.Model):
    """A row that proves something is never changed: a new choice is a new row (GDPR art. 7(1))."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"A {self._meta.verbose_name} is proof: it is never changed, a new choice is a new row.")
        super().save(*args, **kwargs)


class ConsentRecordQuerySet(models.QuerySet):
    def latest_per_purpose(self, user) -> dict[str, "ConsentRecord"]:
        """The newest whole-purpose record of each purpose of ``user``: two queries however long the history is."""
        last_ids = (
            self.filter(user=user, scope="")
            .values("purpose")
            .annotate(last=models.Max("id"))
            .values_list("last", flat=True)
        )
        return {record.purpose: record for record in self.filter(id__in=list(last_ids))}


class ConsentRecord(AppendOnly):
    """One giving or withdrawal of consent for one purpose (GDPR art. 7): who, what, when, how, where, on which text.

    The current state of a purpose is its latest record; no record means "not given".  ``scope`` narrows a
    record to a part of the purpose (an advertising channel of P10); ``ground`` names what it rests on: an
    opt-in consent or the customer exception's opt-out (Telecommunicatiewet art. 11.7).  No IP address.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.CharField(_("purpose"), max_length=4, choices=[(p.id, p.name_en) for p in register.PURPOSES])
    scope = models.CharField(_("part of the purpose"), max_length=16, blank=True, default="")
    given = models.BooleanField(_("given"))
    ground = models.CharField(_("ground"), max_length=20, choices=register.Ground.choices, blank=True, default="")
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    statement_version = models.ForeignKey(
        StatementVersion, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("statement version")
    )
    text_version = models.CharField(_("version of the text shown"), max_length=20, blank=True, default="")
    page = models.CharField(_("page"), max_length=200, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by staff member"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-id"], name="consent_user_purpose")]

    def __str__(self) -> str:
        scope = f"/{self.scope}" if self.scope else ""
        return f"{self.user_id} {self.purpose}{scope} {gettext('given') if self.given else gettext('withdrawn')}"


class CookieConsent(AppendOnly):
    """One choice made in the cookie banner: proof of what was allowed and refused, how, where and on which text.

    Who is a random id kept in a first-party cookie (and the account, when the visitor was logged in); no IP.
    """

    visitor = models.UUIDField(_("anonymous visitor id"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cookie_choices",
        verbose_name=_("account"),
    )
    tools = models.JSONField(_("tools allowed"), default=list)
    refused = models.JSONField(_("tools refused"), default=list)
    method = models.CharField(_("how"), max_length=16, choices=Method.choices, default=Method.BANNER)
    page = models.CharField(_("page"), max_length=200, blank=True, default="")
    statement_version = models.PositiveIntegerField(_("statement version"), null=True, blank=True)
    banner_version = models.CharField(_("banner version"), max_length=20)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("cookie choice")
        verbose_name_plural = _("cookie choices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.visitor} {','.join(self.tools) or '-'}"

    @staticmethod
    def new_visitor() -> uuid.UUID:
        return uuid.uuid4()


class Disclosure(models.Model):
    """A disclosure of personal data to an authority under a legal duty (C28).  Never changed, never deleted."""

    authority = models.CharField(_("who asked"), max_length=200)
    legal_ground = models.TextField(_("legal ground"))
    data_disclosed = models.TextField(_("what data"))
    subject_description = models.CharField(_("of whom"), max_length=200)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer account"),
    )
    disclosed_at = models.DateTimeField(_("disclosed at"))
    reference = models.CharField(_("reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure register")
        ordering = ["-recorded_at", "-id"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return f"{self.reference} · {self.authority}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("A disclosure is never changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A disclosure is never deleted.")


class ProcessingActivity(models.Model):
    """No table: gives the processing register (code) its place in the admin, with a view permission."""

    class Meta:
        managed = False
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing register")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
