"""Counselling no-show bans, and lifting one early (the staff override, audited by ban_lift).

Built like spaces' booking-ban admin, whose state filter and helpers it reuses."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator
from portal.errors import DomainError
from portal.masking import mask_name
from spaces.admin.common import BULK_LIMIT
from spaces.admin.suspensions import BanColumnsMixin, SuspensionStateFilter

from ..models import CounsellingBan
from ..services.bans import ban_lift


@admin.register(CounsellingBan)
class CounsellingBanAdmin(BanColumnsMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    change_url_name = "admin:care_counsellingban_change"
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
        "appointments_link",
    )
    access_log_action = "care.ban.viewed"

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return CounsellingBan.objects.visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("household__user", "district", "lifted_by")
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (CounsellingBan.DoesNotExist, ValidationError, ValueError):
            return None

    def get_list_filter(self, request):
        if request.user.sees_all_districts:
            return (SuspensionStateFilter, "district")
        return (SuspensionStateFilter,)

    def has_add_permission(self, request) -> bool:
        return False  # bans start from no-shows (care.services.bans)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lifted, never deleted: the record stays

    def save_model(self, request, obj, form, change) -> None:
        """Nothing is editable: a ban is lifted through the action (ban_lift)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("appointments"))
    def appointments_link(self, obj: CounsellingBan) -> str:
        url = (
            reverse("admin:care_appointment_changelist")
            + "?"
            + urlencode({"household__id__exact": obj.household_id, "status__exact": "no_show"})
        )
        return format_html('<a href="{}">{}</a>', url, _("This household's missed appointments"))

    @admin.action(description=_("Lift the counselling booking ban (override)"), permissions=["change"])
    def lift_selected(self, request, queryset):
        done, skipped = 0, []
        for ban in queryset.select_related("household").order_by("pk")[:BULK_LIMIT]:
            if ban.lifted_at is not None:
                skipped.append(
                    gettext("%(household)s: already lifted") % {"household": mask_name(ban.household.name)}
                )
                continue
            try:
                ban_lift(actor=request.user, ban_id=ban.pk, request=request)
            except DomainError as error:
                skipped.append(f"{mask_name(ban.household.name)}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d counselling ban lifted: the household may book again and is told so.",
                    "%(count)d counselling bans lifted: the households may book again and are told so.",
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
