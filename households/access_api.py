"""“Who read my data” over the API: GET /api/v1/me/data-access/ (portal.access_log), paginated."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics, permissions, serializers

from portal.access_log import describe, reads_of
from portal.api.fields import SupportedDateTimeField
from portal.models import AuditEvent


class DataAccessSerializer(serializers.Serializer):
    # Output only; the portal's datetime field all the same (no bare date field anywhere, by rule).
    at = SupportedDateTimeField(read_only=True, help_text="When the data was opened (Asia/Seoul).")
    what = serializers.CharField(read_only=True, help_text="What was opened, in the request's language.")
    reference = serializers.CharField(
        read_only=True, help_text="The record's reference number, if it has one."
    )
    office = serializers.CharField(
        read_only=True, help_text="The district office (or city hall) the staff member works at."
    )
    role = serializers.CharField(read_only=True, help_text="The staff member's role. Names are not given.")

    def to_representation(self, instance: AuditEvent) -> dict:
        return super().to_representation(describe(instance))


class MyDataAccessView(generics.ListAPIView):
    """Each time a staff member opened the logged-in resident's personal data, newest first."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DataAccessSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return reads_of(self.request.user)
