"""No-show bans, and lifting one early (the staff override)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator, ScopedHistoryMixin
from portal.masking import mask_name

from ..models import (
    Suspension,
)
from ..services import (
    BookingError,
    suspension_lift,
)
from .common import BULK_LIMIT, local_moment

# --- no-show bans ------------------------------------------------------------------------------------


class SuspensionStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("In force")), ("lifted", _("Lifted early")), ("ended", _("Ended"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
        if self.value() == "lifted":
            return queryset.filter(lifted_at__isnull=False)
        if self.value() == "ended":
            return queryset.filter(lifted_at__isnull=True, ends_at__lte=now)
        return queryset


class BanColumnsMixin:
    """The columns a booking ban's admin shows (spaces' suspensions, care's counselling bans): the
    household masked in lists and in full on its page, the ban's period in Seoul time, who lifted it.
    `change_url_name` names the admin page the masked household links to."""

    change_url_name = ""

    def access_log_subject(self, obj):
        return obj.household.user_id, obj.district

    @admin.display(description=_("household"))
    def household_masked(self, obj) -> str:
        url = reverse(self.change_url_name, args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, mask_name(obj.household.name) or "—")

    @admin.display(description=_("household"))
    def household_name(self, obj) -> str:
        return obj.household.name or "—"

    @admin.display(description=_("from"), ordering="starts_at")
    def from_local(self, obj) -> str:
        return local_moment(obj.starts_at)

    @admin.display(description=_("until"), ordering="ends_at")
    def until_local(self, obj) -> str:
        return local_moment(obj.ends_at)

    @admin.display(description=_("lifted"), ordering="lifted_at")
    def lifted(self, obj) -> str:
        return local_moment(obj.lifted_at) if obj.lifted_at else gettext("No")

    @admin.display(description=_("lifted by"))
    def lifted_by_name(self, obj) -> str:
        return str(obj.lifted_by) if obj.lifted_by_id else "—"


@admin.register(Suspension)
class SuspensionAdmin(BanColumnsMixin, AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    change_url_name = "admin:spaces_suspension_change"
    list_display = ("household_masked", "district", "from_local", "until_local", "lifted", "reason")
    list_select_related = ("household", "district")
    ordering = ("-starts_at", "-pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ("lift_selected",)
    fields = (
        "household_name",
        "district",
        "from_local",
        "until_local",
        "reason",
        "created_at",
        "lifted",
        "lifted_by_name",
        "bookings_link",
    )

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("household__user", "district", "lifted_by")
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Suspension.DoesNotExist, ValidationError, ValueError):
            return None

    def get_list_filter(self, request):
        return (
            (SuspensionStateFilter, "district")
            if request.user.sees_all_districts
            else (SuspensionStateFilter,)
        )

    def has_add_permission(self, request) -> bool:
        return False  # bans start from no-shows (spaces.services)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lifted, never deleted: the record stays

    def save_model(self, request, obj, form, change) -> None:
        """Nothing is editable: a ban is lifted through the action (suspension_lift)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    access_log_action = "booking.suspension_viewed"

    @admin.display(description=_("bookings"))
    def bookings_link(self, obj: Suspension) -> str:
        url = (
            reverse("admin:spaces_booking_changelist")
            + "?"
            + urlencode({"household__id__exact": obj.household_id})
        )
        return format_html('<a href="{}">{}</a>', url, _("This household's bookings in the district"))

    @admin.action(description=_("Lift the booking ban (override)"), permissions=["change"])
    def lift_selected(self, request, queryset):
        done, skipped = 0, []
        for suspension in queryset.select_related("household").order_by("pk")[:BULK_LIMIT]:
            if suspension.lifted_at is not None:
                skipped.append(
                    gettext("%(household)s: already lifted")
                    % {"household": mask_name(suspension.household.name)}
                )
                continue
            try:
                suspension_lift(actor=request.user, suspension_id=suspension.pk, request=request)
            except BookingError as error:
                skipped.append(f"{mask_name(suspension.household.name)}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d ban lifted: the household may book again and is told so.",
                    "%(count)d bans lifted: the households may book again and are told so.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d ban was left as it is. %(details)s",
                    "%(count)d bans were left as they are. %(details)s",
                    len(skipped),
                )
                % {"count": len(skipped), "details": " · ".join(skipped)},
                messages.WARNING,
            )
