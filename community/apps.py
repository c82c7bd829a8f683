from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Community building (Seoul's 마을공동체 사업): calls, resident-led proposals, independent rubric
    scoring by evaluators, selection within budget, grants, space-hour quotas and activity reports.
    A participation app beside `inquiries`: neither imports the other.
    """

    name = "community"
    verbose_name = _("Community building")

    def ready(self) -> None:
        from portal import pagecache

        from . import messages, receivers  # noqa: F401 - registers the messages, connects the receivers
        from .models import ActivityReport, Call, CallCategory, Criterion, Proposal
        from .retention import register_retention

        # The public pages (open calls, a call, selected projects) are served from the shared page cache.
        pagecache.watch(Call, CallCategory, Criterion, Proposal, ActivityReport)

        # Its class in the core's retention table (the core imports no app).
        register_retention()
