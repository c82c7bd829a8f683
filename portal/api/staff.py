"""Pieces every staff API shares: who may call it, and how its queues page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import permissions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from portal.roles import STAFF_ROLES


class StaffModelPermission(permissions.BasePermission):
    """District staff holding the model permission: `view_permission` to read (list, retrieve), and
    `change_permission` for every other action. Which rows they reach is portal.scoping's decision
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
