"""Staff side of inquiries: the district's queue (open ones first due first, time left, masked names), the
answer page (the thread, the resident's context, answer templates) and the teams, routes and templates.
Nothing here decides anything: answers and closing go through inquiries.services; every queryset is scoped
through the models' ``visible_to``."""

from . import queue, setup  # noqa: F401
