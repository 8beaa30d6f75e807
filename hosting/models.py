"""The customer's services (hosting, domain registrations, certificates) and what they set for them.

The rows below a service (aliases, DNS records, mail forwarders, PHP version, HTTPS) are the
*desired* state the customer asked for; each request is a ``Change`` that a Celery task hands to the
provisioning adapter, which applies it to the control panel and marks it applied or failed.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceQuerySet(models.QuerySet):
    def for_user(self, user) -> "ServiceQuerySet":
        return self.filter(user=user)

    def live(self) -> "ServiceQuerySet":
        return self.exclude(state=Service.State.ENDED)

    def due_to_end(self, today) -> "ServiceQuerySet":
        return self.live().filter(ends_on__isnull=False, ends_on__lte=today)


class Service(models.Model):
    """One product a customer pays for, from a paid order line or a subscription."""

    class Kind(models.TextChoices):
        HOSTING = "hosting", _("Hosting package")
        DOMAIN = "domain", _("Domain registration")
        CERTIFICATE = "certificate", _("Certificate")

    class State(models.TextChoices):
        SETTING_UP = "setting_up", _("Being set up")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    domain = models.CharField(_("domain"), max_length=253, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SETTING_UP)
    state_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # "order_line:<id>" or "subscription:<id>": a redelivered signal never creates a second service.
    source = models.CharField(_("source"), max_length=60, unique=True)
    php_version = models.CharField(_("PHP version"), max_length=10, blank=True)
    https_enabled = models.BooleanField(_("HTTPS certificate"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="service_user_recent"),
            models.Index(fields=["ends_on"], name="service_ends_on", condition=models.Q(ends_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.domain}"

    def get_absolute_url(self) -> str:
        return reverse("services:detail", args=[self.pk])

    @property
    def is_hosting(self) -> bool:
        return self.kind == self.Kind.HOSTING

    @property
    def accepts_changes(self) -> bool:
        return self.state in (self.State.SETTING_UP, self.State.ACTIVE)


class Change(models.Model):
    """One requested change of a service's desired state, and what the control panel made of it."""

    class Kind(models.TextChoices):
        SERVICE_SETUP = "service_setup", _("Set up the service")
        SERVICE_SUSPEND = "service_suspend", _("Suspend the service")
        SERVICE_REACTIVATE = "service_reactivate", _("Reactivate the service")
        SERVICE_END = "service_end", _("End the service")
        DOMAIN_SET = "domain_set", _("Set the domain")
        ALIAS_ADD = "alias_add", _("Add domain alias")
        ALIAS_REMOVE = "alias_remove", _("Remove domain alias")
        DNS_ADD = "dns_add", _("Add DNS record")
        DNS_REMOVE = "dns_remove", _("Remove DNS record")
        FORWARDER_ADD = "forwarder_add", _("Add mail forwarder")
        FORWARDER_REMOVE = "forwarder_remove", _("Remove mail forwarder")
        PHP_SET = "php_set", _("Change PHP version")
        HTTPS_SET = "https_set", _("Switch HTTPS certificate")
        BACKUP_RESTORE = "backup_restore", _("Restore backup")
        ADDON_ADD = "addon_add", _("Add an add-on")
        ADDON_SUSPEND = "addon_suspend", _("Suspend an add-on")
        ADDON_REACTIVATE = "addon_reactivate", _("Reactivate an add-on")
        ADDON_END = "addon_end", _("End an add-on")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=500)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    result = models.JSONField(_("applied payload"), default=dict, blank=True)
    # Set on requests that a double submit must not repeat (a paid backup restore).
    request_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service", "-created_at"], name="change_service_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary} ({self.status})"


class DomainAlias(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("domain name"), max_length=253)
    change = models.ForeignKey(Change, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("domain alias")
        verbose_name_plural = _("domain aliases")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="alias_unique_per_service")]

    def __str__(self) -> str:
        return self.name


class DnsRecord(models.Model):
    class Type(models.TextChoices):
        A = "A", "A"
        AAAA = "AAAA", "AAAA"
        CNAME = "CNAME", "CNAME"
        MX = "MX", "MX"
        TXT = "TXT", "TXT"
        CAA = "CAA", "CAA"
        SRV = "SRV", "SRV"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dns_records")
    # Absolute name without the trailing dot, lower case ("www.example.nl").
    name = models.CharField(_("name"), max_length=253)
    rtype = models.CharField(_("type"), max_length=10, choices=Type.choices)
    value = models.CharField(_("value"), max_length=1000)
    ttl = models.PositiveIntegerField(_("TTL (seconds)"), default=3600)
    change = models.ForeignKey(Change, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("DNS record")
        verbose_name_plural = _("DNS records")
        ordering = ["name", "rtype", "value"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name", "rtype", "value"], name="dns_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.ttl} {self.rtype} {self.value}"


class MailForwarder(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="forwarders")
    local_part = models.CharField(_("address"), max_length=64)
    domain = models.CharField(_("domain"), max_length=253)
    destination = models.EmailField(_("forward to"))
    change = models.ForeignKey(Change, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mail forwarder")
        verbose_name_plural = _("mail forwarders")
        ordering = ["domain", "local_part", "destination"]
        constraints = [
            models.UniqueConstraint(fields=["service", "local_part", "domain", "destination"], name="forwarder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.address} → {self.destination}"

    @property
    def address(self) -> str:
        return f"{self.local_part}@{self.domain}"


class Backup(models.Model):
    """A backup of a hosting package that the control panel reported (restorable for credits)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="backups")
    reference = models.CharField(_("reference"), max_length=100)
    taken_at = models.DateTimeField(_("taken at"))
    size_bytes = models.BigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-taken_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["service", "reference"], name="backup_unique_reference")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.taken_at:%Y-%m-%d %H:%M})"


class ServiceAddonQuerySet(models.QuerySet):
    def live(self) -> "ServiceAddonQuerySet":
        return self.filter(ended_at__isnull=True)

    def due_to_end(self, today) -> "ServiceAddonQuerySet":
        return self.live().filter(ends_on__isnull=False, ends_on__lte=today)


class ServiceAddon(models.Model):
    """Something bought *for* a hosting package: an add-on or certificate order line, or a plan.

    It runs with its package (it ends when the package ends, and goes with it on the package's clock);
    a plan's add-on also ends on its own when the paid period of a cancelled subscription is over.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="addons", verbose_name=_("service"))
    title = models.CharField(_("title"), max_length=255)
    # "order_line:<id>" or "subscription:<id>": a redelivered signal never attaches it twice.
    source = models.CharField(_("source"), max_length=60, unique=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = ServiceAddonQuerySet.as_manager()

    class Meta:
        verbose_name = _("add-on")
        verbose_name_plural = _("add-ons")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["ends_on"], name="addon_ends_on", condition=models.Q(ends_on__isnull=False))]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        """The add-on's state, in the service's terms (shown with the service's state labels)."""
        if self.ended_at:
            return Service.State.ENDED
        return Service.State.SUSPENDED if self.suspended_at else Service.State.ACTIVE

    def get_state_display(self) -> str:
        return str(Service.State(self.state).label)


class ServiceClock(models.Model):
    """When the customer's last service ended: the start of the register's "service_ended" clock (C08).

    ``service_ended_at`` is empty while any service of theirs is live; a new service stops the clock.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_clock")
    service_ended_at = models.DateTimeField(_("last service ended"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("service clock")
        verbose_name_plural = _("service clocks")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.service_ended_at or '-'}"
