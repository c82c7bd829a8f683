from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """Inquiries answered within 48 working hours (Gwangju Seo-gu's promise): questions and problem
    reports by web, email and inbound text message, routed to a district team, answered from templates
    on the channel they came from. A participation app beside `community`: neither imports the other.
    """

    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from . import messages, receivers  # noqa: F401 - registers the messages, connects the receivers
        from .retention import register_retention

        # Its class in the core's retention table (the core imports no app).
        register_retention()
