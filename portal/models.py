"""Cross-cutting core: users and roles, cities, districts (시·군·구), neighbourhoods (행정동), audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .i18n import localized
from .scoping import ScopedManager


class City(models.Model):
    """A metropolitan city or province (광역자치단체), e.g. 서울특별시."""

    code = models.CharField(_("administrative code"), max_length=2, unique=True)  # 행정표준코드 prefix
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return localized(self, "name")


class District(models.Model):
    """A 자치구/시/군 (basic local government). Staff belong to one; programs may be owned by one."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts", verbose_name=_("city"))
    code = models.CharField(_("administrative code"), max_length=5, unique=True)  # e.g. 11620 관악구
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)

    # District.objects.visible_to(user): the districts a user may file rows under or report on.
    district_scope = ""
    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return localized(self, "name")

    @property
    def full_name(self) -> str:
        return f"{self.city} {self}"


class Neighbourhood(models.Model):
    """A 행정동 (administrative neighbourhood) of a district."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("district")
    )
    code = models.CharField(_("administrative code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)

    class Meta:
        ordering = ["district_id", "name"]
        verbose_name = _("neighbourhood (haengjeong-dong)")
        verbose_name_plural = _("neighbourhoods (haengjeong-dong)")

    def __str__(self) -> str:
        return localized(self, "name")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True, role=User.Role.CITY_ADMIN)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """Everyone who logs in. Residents sign up with an email address; staff are created by a city admin."""

    class Role(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        CASEWORKER = "caseworker", _("District caseworker")
        PROGRAM_MANAGER = "program_manager", _("Program manager")
        DISTRICT_MANAGER = "district_manager", _("District manager")
        CITY_ADMIN = "city_admin", _("City administrator")
        # The 1인가구 support centre's counsellors (care): their calendar, clients and confidential notes.
        COUNSELLOR = "counsellor", _("Counsellor")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    # Staff are scoped to one district; a city admin (no district) sees every district.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("district"),
        help_text=_("Staff see only this district's residents and requests."),
    )
    department = models.CharField(_("department"), max_length=60, blank=True)
    language = models.CharField(
        _("language for messages"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)

    @property
    def is_resident(self) -> bool:
        return self.role == self.Role.RESIDENT

    @property
    def sees_all_districts(self) -> bool:
        return self.is_superuser or self.role == self.Role.CITY_ADMIN

    @property
    def is_manager(self) -> bool:
        """Staff who see a district's figures (the dashboard, performance reports): district managers and
        city administrators."""
        if not (self.is_active and self.is_staff):
            return False
        return self.sees_all_districts or (
            self.role == self.Role.DISTRICT_MANAGER and self.district_id is not None
        )


class AuditEvent(models.Model):
    """An append-only record of a state change or of a view/export of personal data (PIPA: kept ≥ 2 years).

    `action` is a dotted name such as ``households.profile.updated`` or ``households.data.exported``.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=40, blank=True)
    # Whose personal data was touched, kept as a plain id so the entry survives the account's deletion.
    subject_user_id = models.BigIntegerField(
        _("data subject (user id)"), null=True, blank=True, db_index=True
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        # A core privacy permission, granted to no role by default: whoever holds it may take residents'
        # unmasked personal data out of the portal (the reports app's exports check it), and every such
        # export is written to this log. It was declared on the export job before reports became an app.
        permissions = [("export_personal_data", _("Can export unmasked personal data"))]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Notification(models.Model):
    """The outbox: one row per message per channel, written in the transaction of the change it reports.

    `event_key` names the event ("programs.application.approved:123"); with the channel it is unique,
    so however often the event is replayed or a task retried, a resident gets one message per channel.
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app inbox")
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Ended without being sent, on purpose: e.g. a pickup-code text stuck mid-delivery, replaced by a
        # message with a new code (the row says why in last_error).
        CANCELLED = "cancelled", _("Cancelled")

    # Empty only for a message to a bare address with no account behind it: the answer to a text message
    # from a number no household has verified (inquiries' guest threads; notify_address).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("template"), max_length=80)
    context = models.JSONField(_("context"), default=dict, blank=True)
    event_key = models.CharField(_("event"), max_length=120)
    # Where to send, captured when the event happened (the address in force then).
    address = models.CharField(_("address"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When a worker last claimed the row (pending/failed → sending): how the reaper knows a row has
    # been "sending" for longer than any delivery can take (its worker died mid-send).
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # An email's Message-ID, stored before the first send: a re-send after a crash carries the same
    # one, so a mail system (and the reader) recognises it as the same message.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    # Held for staff: a failed row no task may claim again on its own. The reaper holds a text message
    # that was stuck mid-send (it may have reached the phone): only staff send it again, by hand. Without
    # this, a task message the broker redelivers hours later would repeat it blindly.
    held = models.BooleanField(_("held for staff"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["event_key", "channel"], name="notification_once_per_channel")
        ]
        indexes = [
            models.Index(fields=["user", "channel", "read_at"], name="notification_inbox_idx"),
            models.Index(fields=["status", "created_at"], name="notification_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.get_channel_display()}"


class QueuedTask(models.Model):
    """The task outbox: a Celery task to run after a change, recorded in the change's own transaction.

    portal.outbox writes the row with the change and publishes it once committed; when the broker is
    unreachable the row stays pending and the relay (beat, every 30 s) publishes it later, so a broker
    outage delays the work but never loses it. Tasks queued this way must be idempotent: a row may be
    published twice (a relay that died after publishing, before marking it).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be published")
        DISPATCHED = "dispatched", _("Sent to the queue")
        FAILED = "failed", _("Failed")  # could never be published (an unknown task): staff look

    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    # Optional: at most one pending row per key (a sweep re-queueing work already waiting adds nothing).
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("publish attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("sent to the queue"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(status="pending") & ~models.Q(dedupe_key=""),
                name="queuedtask_one_pending_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="queuedtask_status_idx")]

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)!r}"
