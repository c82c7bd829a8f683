"""The portal's home page: the program areas and the programs open for applications now."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from households.selectors import household_for
from portal.pagecache import shared_page

from ..models import Category, Program
from ..selectors import new_for_you, public_programs


@shared_page()
def home(request: HttpRequest) -> HttpResponse:
    # Both conditions in one WHERE (a queryset `&`), not an IN (subquery): cheaper to build and to run.
    open_now = public_programs() & Program.objects.open_now()
    return render(
        request,
        "home.html",
        {
            "categories": Category.choices,
            "highlights": open_now.order_by("application_end", "title")[:6],
            "open_count": open_now.count(),
            # Residents only (the page is shared, and cached, for anonymous visitors alone).
            "new_for_you": new_for_you(household_for(request.user)),
        },
    )
