"""Shared pieces of the benefits admin: scoped querysets, the one form page, refusals as messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse

from portal.admin_tools import CappedCountPaginator


class ScopedAdminMixin:
    """Rows of the staff member's district only (visible_to); another district's id is a 404."""

    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changeable(self, request, object_id: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def form_page(self, request, *, title, form, lines, submit_label, cancel_url) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "lines": lines,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, "admin/benefits/form_page.html", context)

    def refused(self, request, error) -> None:
        self.message_user(request, error.message, messages.ERROR)
