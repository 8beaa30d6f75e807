"""The portal's activity log (C07): one row per action of a customer, written by every app.

The table keeps its first name, ``accounts_activity``: the model moved here from the accounts app by
state alone (``migrations/0001_initial.py``), so no live database renames a table.  Each app names
its own actions in its ``activity.py`` (``class Action``) and registers them with ``portal.activity``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivityQuerySet(models.QuerySet):
    def for_user(self, user) -> "ActivityQuerySet":
        return self.filter(user=user).select_related("actor")


class Activity(models.Model):
    """One action of a customer in the portal, kept as evidence (C07).

    ``detail`` names what changed (field names, ids) and never holds the old values.  ``actor`` is
    set when a staff member acted on the customer's behalf.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    action = models.CharField(_("action"), max_length=40, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by staff member"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        db_table = "accounts_activity"
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="activity_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def get_action_display(self) -> str:
        from portal import activity

        return activity.label(self.action)
