"""The resident's in-app inbox: the outbox rows of the in-app channel, unread first, newest first."""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import inbox_mark_read
from .notifications import render as render_message

PAGE_SIZE = 20


def _inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = _inbox(request.user).order_by(
        Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "-created_at",
        "-id",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The inbox is a page of the site: it speaks the page's language, whatever language the stored
    # preference gives emails and text messages. A copy, so the request's user is left alone.
    reader = copy.copy(request.user)
    reader.language = translation.get_language()
    items = []
    for notification in page.object_list:
        notification.user = reader  # also spares render() a query per row
        try:
            subject, body = render_message(notification)
        except KeyError:  # a message template since retired: show the row rather than fail the page
            subject, body = _("Message"), ""
        items.append({"notification": notification, "subject": subject, "body": body})
    return render(
        request,
        "inbox/inbox.html",
        {"page_obj": page, "items": items, "querystring": ""},
    )


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a message: mark it read and go to what it is about.

    A GET changes state here, on purpose: marking one's own message read is idempotent and harmless,
    and a plain link keeps "open in a new tab" and every assistive technology working.
    """
    notification = get_object_or_404(_inbox(request.user), pk=pk)
    inbox_mark_read(user=request.user, notification_id=notification.pk)
    # Links are stored absolute (SITE_URL) for email; on the site only their path is followed.
    path = urlsplit(str(notification.context.get("link", ""))).path
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return redirect(path)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = inbox_mark_read(user=request.user)
    if count:
        messages.success(request, _("All your messages are marked as read."))
    return redirect("inbox")
