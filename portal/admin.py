"""Admin for the core: staff accounts and roles (city admins), reference data, the audit log, and the
two outboxes (notifications, queued tasks) where staff see what failed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_otp.conf import settings as otp_settings
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OTPTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_tools import CappedCountPaginator
from .masking import mask_email, mask_phone
from .models import AuditEvent, City, District, Neighbourhood, Notification, QueuedTask, User
from .notifications import notification_resend
from .roles import user_set_role

admin.site.site_header = _("Hana administration")
admin.site.site_title = _("Hana admin")
admin.site.index_title = _("District work")


class StaffCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class StaffChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    ordering = ("email",)
    list_display = ("masked_email", "display_name", "role", "district", "is_active", "last_login")
    list_filter = ("role", "district", "is_active")
    list_select_related = ("district",)
    search_fields = ("email", "display_name")
    show_full_result_count = False
    paginator = CappedCountPaginator
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Staff details"), {"fields": ("display_name", "role", "district", "department")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
        (_("Staff details"), {"fields": ("display_name", "role", "district", "department")}),
    )
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description=_("email address"), ordering="email")
    def masked_email(self, obj: User) -> str:
        return mask_email(obj.email)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Staff flags, superuser flag and permission group always follow the role.
        user_set_role(user=obj, role=obj.role, district=obj.district)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "city")
    list_filter = ("city",)
    list_select_related = ("city",)
    search_fields = ("name", "name_en", "code")


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "district")
    list_filter = ("district__city", "district")
    list_select_related = ("district",)
    search_fields = ("name", "name_en", "code")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit log that could be edited would prove nothing."""

    list_display = ("created_at", "action", "actor", "target_type", "target_id", "district", "ip_address")
    list_filter = ("action", "district")
    list_select_related = ("actor", "district")
    search_fields = ("action", "target_id")
    date_hierarchy = "created_at"
    show_full_result_count = False
    paginator = CappedCountPaginator  # the log grows by every view and change, kept for years

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnly):
    """The message outbox, for city admins (the role with the view permission): every row ends sent,
    failed or cancelled, and the "Failed" filter is where staff find what did not reach a resident.
    The stored context is not shown: a pickup code lives there until its text message is sent."""

    list_display = (
        "created_at",
        "template",
        "channel",
        "masked_address",
        "status",
        "held",
        "attempts",
        "error",
    )
    list_filter = ("status", "held", "channel", "template")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    show_full_result_count = False
    paginator = CappedCountPaginator  # a row per message per channel: millions
    fields = (
        "user",
        "template",
        "channel",
        "masked_address",
        "event_key",
        "status",
        "held",
        "attempts",
        "last_error",
        "message_id",
        "created_at",
        "claimed_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("address"))
    def masked_address(self, obj: Notification) -> str:
        if obj.channel == Notification.Channel.SMS:
            return mask_phone(obj.address)
        return mask_email(obj.address) if obj.address else ""

    @admin.display(description=_("last error"))
    def error(self, obj: Notification) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Send the selected failed messages again"), permissions=["change"])
    def send_again(self, request, queryset) -> None:
        # Only failed rows: a sent one must never go twice, a cancelled one was replaced on purpose.
        ids = list(queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True))
        sent = sum(notification_resend(notification_id=pk) for pk in ids)
        self.message_user(
            request,
            _("%(count)d message(s) queued to be sent again; rows that had not failed were left alone.")
            % {"count": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # The action needs it; the form itself stays read-only (every field is).
        return request.user.has_perm("portal.change_notification")


@admin.register(QueuedTask)
class QueuedTaskAdmin(_ReadOnly):
    """The task outbox: tasks recorded with a change and published to Celery. "Waiting to be published"
    rows that grow old mean the broker or the relay (celery beat) is down; "Failed" ones name a task the
    workers do not know."""

    list_display = ("created_at", "name", "args", "status", "attempts", "dispatched_at", "last_error")
    list_filter = ("status", "name")
    date_hierarchy = "created_at"
    show_full_result_count = False
    paginator = CappedCountPaginator


class TOTPDeviceAdmin(OTPTOTPDeviceAdmin):
    """django-otp's TOTP device admin, with its QR-code pages answering 404 for a device the staff
    member may not see as for one that does not exist: django-otp's own answered a missing id with a
    500 (DoesNotExist) and another user's with a 403, so device ids could be probed."""

    def _device_or_404(self, request, pk: int) -> None:
        device = TOTPDevice.objects.filter(pk=pk).first()
        if device is None or not self.has_view_or_change_permission(request, device):
            raise Http404

    def config_view(self, request, pk):
        if not otp_settings.OTP_ADMIN_HIDE_SENSITIVE_DATA:
            self._device_or_404(request, pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        if not otp_settings.OTP_ADMIN_HIDE_SENSITIVE_DATA:
            self._device_or_404(request, pk)
        return super().qrcode_view(request, pk)


# django-otp registers its own admin when its module is imported (first, or when its app is discovered):
# replace it either way.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
