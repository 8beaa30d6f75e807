"""Page views per day and path (no personal data, C09), and profiling events kept six weeks (C10, C11)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PageView(models.Model):
    """How often a normalised path was viewed on a day: no person, no IP, no query string, no ids."""

    day = models.DateField(_("day"))
    path = models.CharField(_("page"), max_length=255)
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("statistics")
        constraints = [models.UniqueConstraint(fields=["day", "path"], name="pageview_one_row_per_day_and_path")]
        indexes = [models.Index(fields=["day"], name="pageview_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.path} {self.views}"


class ProfilingEvent(models.Model):
    """One page a customer viewed, with email and IP, for profiling (P3): deleted after six weeks."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiling_events")
    email = models.EmailField(_("email address"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=255)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("profiling event")
        verbose_name_plural = _("profiling events")
        indexes = [models.Index(fields=["user", "-created_at"], name="profiling_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.path}"


class ProfilingObjection(models.Model):
    """The customer objected to profiling (C10, C39f): while this row exists nothing is recorded."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiling_objection")
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("profiling objection")
        verbose_name_plural = _("profiling objections")

    def __str__(self) -> str:
        return f"{self.user_id}"
