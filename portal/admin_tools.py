"""Reusable admin pieces for city-scale, district-scoped changelists."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """A paginator that counts at most `cap` + 1 rows.

    Django's paginator runs SELECT COUNT(*) over the whole filtered queryset on every page load; over a
    million applications that is a full index scan each time. This one counts a LIMIT cap+1 subquery
    instead, so the cost is bounded whatever the table size. Past the cap the count reads "10,000+"
    and only the first cap rows are reachable by page number: staff narrow the list with filters or
    search rather than paging through ten thousand rows.

    Use it with `show_full_result_count = False` (which drops Django's second, unfiltered count) and
    the `pagination.html` / `search_form.html` overrides that print `paginator.display_count`.
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            # Ordering does not change how many rows there are, and dropping it keeps the subquery cheap.
            return object_list.order_by()[: self.cap + 1].count()
        return super().count

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @property
    def display_count(self) -> str:
        if self.is_capped:
            return f"{number_format(self.cap, force_grouping=True)}+"
        return number_format(self.count, force_grouping=True)


class ScopedHistoryMixin:
    """For a SimpleHistoryAdmin whose get_queryset() is scoped to the user's district.

    django-simple-history's history page falls back to the latest *historical* record when the object
    is not in get_queryset(), and its per-version page never consults get_queryset() at all: both
    would show another district's row. Here both answer like Django's change view does for a row the
    user cannot see ("doesn't exist" and back to the admin index). Reverting to an old version is
    disabled: a state change must go through its service (transition table, audit, notification).
    """

    def _visible(self, request, object_id) -> bool:
        return self.get_object(request, unquote(object_id)) is not None

    def history_view(self, request, object_id, extra_context=None):
        if not self._visible(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._visible(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True


class AccessLoggedAdminMixin:
    """Opening a personal-data record (its change page or its history) writes an access-log entry:
    who, when, whose data, from which IP (PIPA). Only a record the user could open is logged; another
    district's id answers "doesn't exist" upstream and logs nothing.

    Subclasses set `access_log_action` and say whose data a row is with `access_log_subject`.
    """

    access_log_action: str = ""

    def access_log_subject(self, obj) -> tuple[int | None, object]:
        """(the data subject's user id, the district) of a row."""
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            self._log_access(request, object_id, response, page="record")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._log_access(request, object_id, response, page="history")
        return response

    def _log_access(self, request, object_id, response, *, page: str) -> None:
        from .audit import audit_log

        if response.status_code != 200:
            return
        # The change page already holds the row it showed; the history page does not say.
        context = getattr(response, "context_data", None) or {}
        obj = context.get("original") or self.get_object(request, unquote(object_id))
        if obj is None:
            return
        subject_user_id, district = self.access_log_subject(obj)
        audit_log(
            actor=request.user,
            action=self.access_log_action,
            target=obj,
            subject_user_id=subject_user_id,
            district=district,
            request=request,
            # The reference number, where the row has one, is what the resident is told was opened.
            data={"page": page, **({"reference": obj.reference} if getattr(obj, "reference", "") else {})},
        )
