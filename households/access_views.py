"""“Who read my data”: the resident's page of staff reads of their personal data (portal.access_log)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.access_log import describe, reads_of

PAGE_SIZE = 20


@login_required
def data_access(request: HttpRequest) -> HttpResponse:
    # Two queries whatever the page: the count and the page's rows (actor and districts joined).
    page = Paginator(reads_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/data_access.html",
        {"page_obj": page, "rows": [describe(event) for event in page.object_list], "querystring": ""},
    )
