"""Pieces every staff API shares: who may call it, and how its queues page."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from portal.audit import audit_log
from portal.roles import STAFF_ROLES


class StaffModelPermission(permissions.BasePermission):
    """District staff holding the model permission: `view_permission` to read (list, retrieve), and
    `change_permission` for every other action. Which rows they reach is the models' visible_to's
    (the view's get_queryset), not this class's. Subclass and set the two permission names."""

    message = gettext_lazy("Only district staff may use this.")
    view_permission = ""
    change_permission = ""

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.role in STAFF_ROLES):
            return False
        reading = getattr(view, "action", None) in ("list", "retrieve")
        return user.has_perm(self.view_permission if reading else self.change_permission)


class OldestFirstPagination(CursorPagination):
    """A review queue, oldest first. A cursor, so no COUNT over a million rows on every page."""

    ordering = ("submitted_at", "id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model  # decode_cursor reads the ordering field's type from it
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Cursor | None:
        """DRF checks a cursor's offset but hands its position to the query as it came: a tampered one
        (base64 of p=notadate) failed inside the ORM, a 500. The position must read as a value of the
        ordering's first field, else the cursor is refused like any other invalid one (404)."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            field.to_python(cursor.position)
        except (DjangoValidationError, TypeError, ValueError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor


class AccessLoggedRetrieveMixin:
    """A staff detail endpoint that shows a resident's personal data writes the PIPA access log (who,
    when, whose data, from which IP), like the admin's AccessLoggedAdminMixin. Set `access_log_action`
    and say whose data a row is with `access_log_subject(obj) -> (user id, district)`."""

    access_log_action = ""

    def access_log_subject(self, obj) -> tuple[int | None, object]:
        raise NotImplementedError

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        obj = self.get_object()  # scoped: another district's row is a 404 before anything is logged
        subject_user_id, district = self.access_log_subject(obj)
        audit_log(
            actor=request.user,
            action=self.access_log_action,
            target=obj,
            subject_user_id=subject_user_id,
            district=district,
            request=request,
            data={"reference": getattr(obj, "reference", ""), "via": "api"},
        )
        return Response(self.get_serializer(obj).data)
