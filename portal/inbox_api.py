"""The resident's in-app inbox over the API: the in-app rows of the notification outbox."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import error_response

from .models import Notification
from .notifications import inbox_mark_read, render


class InboxMessageSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField(help_text="The page the message is about, if any.")

    class Meta:
        model = Notification
        fields = ("id", "subject", "text", "link", "created_at", "read_at")

    def _rendered(self, obj: Notification) -> tuple[str, str]:
        # Rendered once per row, in the recipient's language (as the email and SMS would be).
        if not hasattr(obj, "_rendered"):
            obj._rendered = render(obj)
        return obj._rendered

    def get_subject(self, obj: Notification) -> str:
        return self._rendered(obj)[0]

    def get_text(self, obj: Notification) -> str:
        return self._rendered(obj)[1]

    def get_link(self, obj: Notification) -> str:
        return str(obj.context.get("link", ""))


MarkedSerializer = inline_serializer("InboxMarked", fields={"marked": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(
        summary="My inbox",
        description="Unread messages first, then newest first.",
        responses={200: InboxMessageSerializer(many=True), 403: error_response("Not logged in.")},
    ),
)
class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The logged-in user's in-app messages. Another user's message is a 404."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = InboxMessageSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notification.objects.none()
        unread_first = Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return (
            Notification.objects.filter(user=self.request.user, channel=Notification.Channel.IN_APP)
            .select_related("user")
            .order_by(unread_first, "-created_at", "-id")
        )

    @extend_schema(
        summary="Mark a message read",
        request=None,
        responses={
            200: InboxMessageSerializer,
            403: error_response("Not logged in."),
            404: error_response("Not one of your messages."),
        },
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        message = self.get_object()
        inbox_mark_read(user=request.user, notification_id=message.pk)
        message.refresh_from_db(fields=["read_at"])
        return Response(InboxMessageSerializer(message).data)

    @extend_schema(
        summary="Mark every message read",
        request=None,
        responses={200: MarkedSerializer, 403: error_response("Not logged in.")},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": inbox_mark_read(user=request.user)})
