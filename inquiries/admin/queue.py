"""The inquiry queue and the answer page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator, ScopedHistoryMixin
from portal.audit import audit_log
from portal.errors import DomainError
from portal.identifiers import refuse_identifiers
from portal.masking import mask_email, mask_name, mask_phone

from ..models import AnswerTemplate, Inquiry, InquiryStatus, Team
from ..selectors import resident_context, time_left
from ..services import inquiry_answer, inquiry_close


def hours_text(seconds: int) -> str:
    hours, rest = divmod(abs(seconds), 3600)
    text = f"{hours}:{rest // 60:02d}"
    return text if seconds >= 0 else f"−{text}"


class AnswerForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Answer template"), queryset=AnswerTemplate.objects.none(), required=False
    )
    body = forms.CharField(
        label=_("Answer (the resident reads it; a text message if it came by text)"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 70}),
        max_length=2000,
        required=False,
        validators=[refuse_identifiers],
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = (
            AnswerTemplate.objects.filter(is_active=True).filter(
                pk__in=AnswerTemplate.objects.visible_to(staff).values("pk")
            )
            | AnswerTemplate.objects.filter(is_active=True, district__isnull=True)
        ).order_by("topic", "title")


class DueFilter(admin.SimpleListFilter):
    title = _("promise")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("breached", _("Over 48 working hours")),
            ("alerted", _("Over 36 working hours")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "breached":
            return queryset.filter(status=InquiryStatus.OPEN, breached_at__isnull=False)
        if self.value() == "alerted":
            return queryset.filter(status=InquiryStatus.OPEN, alerted_at__isnull=False)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """Open by default: the queue is what waits for an answer."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*InquiryStatus.choices, ("all", _("All"))]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or InquiryStatus.OPEN) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or InquiryStatus.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


class TeamFilter(admin.SimpleListFilter):
    """The teams of the staff member's district only (the plain related filter lists every district's)."""

    title = _("team")
    parameter_name = "team"

    def lookups(self, request, model_admin):
        return [(str(team.pk), team.name) for team in Team.objects.visible_to(request.user).order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(team_id=int(value)) if value and value.isdigit() else queryset


def masked_person(inquiry: Inquiry) -> str:
    if inquiry.user_id is None:
        address = inquiry.guest_address
        if not address:
            return "—"
        return f"{mask_email(address) if '@' in address else mask_phone(address)} ({_('guest')})"
    household = getattr(inquiry.user, "household", None)
    return mask_name(household.name) if household else mask_email(inquiry.user.email)


@admin.register(Inquiry)
class InquiryAdmin(AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ("reference", "title", "person", "team", "channel", "status", "due_at", "left")
    list_display_links = ("reference",)
    list_filter = (StatusFilter, DueFilter, "channel", "topic", TeamFilter)
    list_select_related = ("team", "user__household")
    search_fields = ("=reference",)
    search_help_text = _("Search by reference number (IQ-2026-000123).")
    # The soonest due first: the order the promise asks for (the partial index on open rows).
    ordering = ("due_at", "pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    # The queue is worked from the top (soonest due): a short page renders fast at any table size.
    list_per_page = 25
    fields = (
        "reference",
        "status",
        "title",
        "person",
        "topic",
        "team",
        "channel",
        "subject_label",
        "received_at",
        "due_at",
        "left",
        "alerted_at",
        "breached_at",
        "first_answered_at",
        "answered_in_time",
        "rating",
        "rating_comment",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        try:
            return (
                Inquiry.objects.visible_to(request.user)
                .select_related("team", "district", "user__household")
                .get(pk=int(object_id))
            )
        except (Inquiry.DoesNotExist, ValidationError, ValueError, TypeError):
            return None

    def has_add_permission(self, request) -> bool:
        return False  # residents ask; staff answer

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Nothing is editable here: answers and closing go through the answer page."""

    @admin.display(description=_("from"))
    def person(self, obj: Inquiry) -> str:
        return masked_person(obj)

    @admin.display(description=_("working time left"), ordering="due_at")
    def left(self, obj: Inquiry) -> str:
        if obj.status != InquiryStatus.OPEN:
            return "—"
        seconds = time_left(obj)
        if seconds < 0:
            return format_html("<strong>{} ({})</strong>", hours_text(seconds), _("overdue"))
        return hours_text(seconds)

    # --- PIPA access log -------------------------------------------------------------------------

    access_log_action = "inquiries.inquiry.viewed"

    def access_log_subject(self, obj: Inquiry):
        return obj.user_id, obj.district

    # --- the answer page -------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/answer/",
                self.admin_site.admin_view(self.answer_view),
                name="inquiries_inquiry_answer",
            ),
            path(
                "<path:object_id>/close/",
                self.admin_site.admin_view(self.close_view),
                name="inquiries_inquiry_close",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["answer_url"] = reverse("admin:inquiries_inquiry_answer", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _visible(self, request: HttpRequest, object_id: str) -> Inquiry:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def answer_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        inquiry = self._visible(request, object_id)
        form = AnswerForm(request.POST or None, staff=request.user)
        if request.method == "POST" and form.is_valid():
            template = form.cleaned_data["template"]
            if "use_template" in request.POST:
                # No script needed: the chosen template's text is put in the answer box to adapt.
                data = request.POST.copy()
                data["body"] = template.body if template else data.get("body", "")
                form = AnswerForm(data, staff=request.user)
                form.is_valid()
            elif not form.cleaned_data["body"].strip():
                form.add_error("body", _("Write the answer."))
            else:
                try:
                    inquiry_answer(
                        staff=request.user,
                        inquiry_id=inquiry.pk,
                        body=form.cleaned_data["body"],
                        template_id=template.pk if template else None,
                        request=request,
                    )
                except DomainError as error:
                    form.add_error(
                        "body" if error.field == "body" or error.code.startswith("body") else None,
                        error.message,
                    )
                else:
                    messages.success(
                        request, _("The answer to %(reference)s was sent.") % {"reference": inquiry.reference}
                    )
                    return HttpResponseRedirect(reverse("admin:inquiries_inquiry_changelist"))
        if request.method == "GET":
            # The page shows the thread and the resident's context: a read of their personal data (PIPA).
            audit_log(
                actor=request.user,
                action=self.access_log_action,
                target=inquiry,
                subject_user_id=inquiry.user_id,
                district=inquiry.district,
                request=request,
                data={"page": "answer", "reference": inquiry.reference},
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Answer %(reference)s") % {"reference": inquiry.reference},
            "inquiry": inquiry,
            "person": masked_person(inquiry),
            "left": self.left(inquiry),
            "thread": inquiry.messages.select_related("staff").all(),
            "context_rows": resident_context(inquiry.user, viewer=request.user),
            "form": form,
            # An answered thread takes a further answer too; a closed one nothing.
            "can_answer": inquiry.status in (InquiryStatus.OPEN, InquiryStatus.ANSWERED),
            "close_url": reverse("admin:inquiries_inquiry_close", args=[inquiry.pk]),
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/inquiries/inquiry/answer.html", context)

    def close_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        inquiry = self._visible(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:inquiries_inquiry_answer", args=[inquiry.pk]))
        try:
            inquiry_close(staff=request.user, inquiry_id=inquiry.pk, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(reference)s is closed.") % {"reference": inquiry.reference})
        return HttpResponseRedirect(reverse("admin:inquiries_inquiry_changelist"))
