"""The programs API (and any public read API) answered from the shared page cache (portal.pagecache).

Applied inside DRF's dispatch, after authentication, permissions and throttles: a cached answer is
still counted against the caller's rate, and only anonymous callers asking for JSON share one. The
browsable API is rendered for each caller (it shows who is logged in and carries a CSRF token).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpResponseBase
from rest_framework.request import Request

from portal import pagecache

# What DRF itself reads of the address: pagination and the format override.
DRF_PARAMS = ("page", "page_size", "format")


class SharedCacheMixin:
    """For a ViewSet's `list` and `retrieve`. `cache_params`: the query parameters its filters read."""

    cache_params: Iterable[str] = ()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self._shared(request, lambda: super(SharedCacheMixin, self).list(request, *args, **kwargs))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self._shared(request, lambda: super(SharedCacheMixin, self).retrieve(request, *args, **kwargs))

    def _shared(self, request: Request, render: Callable[[], HttpResponseBase]) -> HttpResponseBase:
        if request.accepted_renderer.format != "json":
            return render()
        params = (*self.cache_params, *DRF_PARAMS) if self.action == "list" else ("format",)
        return pagecache.serve(
            request,
            render,
            params=params,
            variant="json",
            last_modified=True,
            vary=("Cookie", "Accept", "Accept-Language"),
        )
