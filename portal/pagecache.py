"""Public pages from the shared cache, invalidated exactly by one content version.

What an anonymous visitor sees of the catalogue, the spaces and the open data is the same for everyone
who reads it in the same language on the same day. It changes a few times a day and is read thousands
of times in between (at the start of an application period, that ratio is the difference between one
web node and ten). So each such page is rendered once per (content version, language, day, address)
and kept in the shared cache: Redis in production, so every worker of every node serves the copy one
of them rendered.

Invalidation is exact, never a timeout: every change to what these pages show calls `bump()` (the apps
connect their models with `watch()`, and the few bulk writes call it themselves), and the version is
part of every key, so the first request after the change renders afresh. The day is part of the key as
well, because "open now" and the deadlines turn at midnight (Asia/Seoul); a page that turns at a finer
time (a session ending) says until when it holds with `holds_until()`.

Nothing personal is stored or served from here:
- only GET and HEAD from anonymous visitors with no message waiting for them are looked up or stored;
- a rendered response is stored only if it is a plain 200 that used no CSRF token, set no cookie,
  showed no message and did not mark itself private; whatever slips into a page, it stays that
  visitor's.
Logged-in visitors get the page rendered for them (their own parts are cached per household: see
programs.selectors); their responses are marked private.

For machines, the same entries carry validators: an ETag (a digest of the stored bytes) and, where the
content follows the version alone, Last-Modified (when the version last changed); a matching
If-None-Match or If-Modified-Since is answered 304 without rendering. Anonymous responses say
`Cache-Control: public, no-cache` — a reverse proxy may keep them but must revalidate each time, which
costs the application one cache read — and `Vary: Cookie` (the language cookie and the session).

When the cache cannot be reached the version cannot be read, and pages are simply rendered for each
request (portal.cache makes an unreachable Redis a miss).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified, QueryDict
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

VERSION_KEY = "pagecache:version"
KEY_PREFIX = "pagecache:page"
# Responses that may be kept: the types the public pages and API answer with.
_STORABLE_TYPES = ("text/html", "application/json", "text/csv")
# Headers of the view's own that a cached copy answers with again (the middleware adds the rest).
_KEPT_HEADERS = ("Cache-Control", "Content-Disposition", "Access-Control-Allow-Origin", "Content-Language")


# --- the version -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime  # when the content last changed (or when the cache lost the version)


def _new_token() -> str:
    # Milliseconds first, so the token also says when it was made (Last-Modified); the random part
    # keeps two bumps in the same millisecond apart.
    return f"{int(time.time() * 1000)}-{uuid.uuid4().hex[:12]}"


def _parse(token: str) -> Version:
    millis = token.split("-", 1)[0]
    return Version(token, datetime.fromtimestamp(int(millis) / 1000, tz=UTC))


def current_version() -> Version | None:
    """The content version, or None when the shared cache cannot be reached (then nothing is cached).

    A version missing from the cache (evicted, or a fresh Redis) is simply started again: a new token
    can only make entries unreachable, never serve an old one."""
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, _new_token(), None)
        token = cache.get(VERSION_KEY)
        if token is None:
            return None
    return _parse(token)


def _set_new_version() -> None:
    cache.set(VERSION_KEY, _new_token(), None)


def bump() -> None:
    """Say that what the public pages show has changed.

    Bumped at once and again when the surrounding transaction commits: a request rendering between the
    write and the commit still reads the old rows, and without the second bump it would store them
    under the new version for everyone."""
    _set_new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_set_new_version)


def _bump_on_signal(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures: no page has been rendered from these rows yet
        return
    bump()


def watch(*models: type) -> None:
    """Bump the version whenever a row of these models is saved or deleted (call from AppConfig.ready).

    Bulk writes (`QuerySet.update`, `bulk_create`) send no signal: the services doing them call
    `bump()` themselves."""
    for model in models:
        uid = f"pagecache.watch.{model._meta.label_lower}"
        post_save.connect(_bump_on_signal, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(_bump_on_signal, sender=model, dispatch_uid=uid + ".delete", weak=False)


def holds_until(request: HttpRequest, moment: datetime | None) -> None:
    """The page being rendered changes at `moment` (a session ends, a slot starts): its cached copy
    must not outlive it."""
    if moment is None:
        return
    current = getattr(request, "_pagecache_until", None)
    request._pagecache_until = moment if current is None else min(current, moment)


# --- which requests and responses -----------------------------------------------------------------


def _enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def request_is_shared(request: HttpRequest) -> bool:
    """Whether this request sees the page everyone sees: a read, anonymous, with no message waiting."""
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # len() reads the waiting messages without marking them shown.
    return not (hasattr(request, "_messages") and len(get_messages(request)))


def _response_is_shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds this visitor's CSRF token
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and storage.used:  # the page showed this visitor's messages
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    content_type = response.get("Content-Type", "")
    return content_type.startswith(_STORABLE_TYPES)


# --- keys ------------------------------------------------------------------------------------------


def canonical_query(request: HttpRequest, params: Iterable[str]) -> QueryDict:
    """The parameters the page reads, in a fixed order, empty ones dropped: every spelling of the same
    filters is one cache entry, and an unknown parameter cannot make a new one."""
    allowed = set(params)
    query = QueryDict(mutable=True)
    for name in sorted(request.GET):
        values = request.GET.getlist(name)
        if name in allowed and any(value != "" for value in values):
            query.setlist(name, values)
    return query


def canonicalize(request: HttpRequest, params: Iterable[str]) -> str:
    """Make the request read as its canonical address and return that address (scheme and host
    included: the API's links are absolute).

    The page then cannot repeat a parameter it ignores (the language switch's `next`, the API's
    `next` and `previous` links): the copy kept for everyone is the same whoever asked first."""
    http_request = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    query = canonical_query(http_request, params)
    http_request.GET = query
    http_request.META["QUERY_STRING"] = query.urlencode()
    return http_request.build_absolute_uri()


def _key(version: Version, address: str, variant: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    digest = hashlib.md5(f"{variant}|{address}".encode(), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}:{version.token}:{language}:{timezone.localdate().isoformat()}:{digest}"


# --- serving ---------------------------------------------------------------------------------------


def _etag(content: bytes) -> str:
    return quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest()[:20])


def _last_modified(version: Version) -> float:
    """When the content last changed: the version's time, or today's midnight if later (the day turns
    "open now" and the deadlines)."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return max(version.changed_at.timestamp(), midnight.timestamp())


def _not_modified(request: HttpRequest, etag: str, last_modified: float | None) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:  # takes precedence over If-Modified-Since (RFC 9110 13.2.2)
        tags = parse_etags(if_none_match)
        return (
            "*" in tags or etag in tags or etag.strip('"') in (t.strip('"').removeprefix("W/") for t in tags)
        )
    if last_modified is not None:
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and int(last_modified) <= since
    return False


def _validators(response: HttpResponseBase, etag: str, last_modified: float | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)


def _mark_public(response: HttpResponseBase, vary: Iterable[str]) -> None:
    if "max-age" in response.get("Cache-Control", ""):  # the view chose how long copies may be kept
        patch_cache_control(response, public=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, tuple(vary))


def mark_private(response: HttpResponseBase) -> None:
    """A page rendered for one visitor: no shared cache may keep it."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))


def _store(
    key: str,
    request: HttpRequest,
    response: HttpResponseBase,
    *,
    last_modified: float | None,
    vary: Iterable[str],
) -> None:
    if not _response_is_shareable(request, response):
        return
    content = response.content
    etag = _etag(content)
    timeout = settings.PAGE_CACHE_SECONDS
    until = getattr(request, "_pagecache_until", None)
    if until is not None:
        timeout = int(min(timeout, (until - timezone.now()).total_seconds()))
        if timeout <= 0:
            return
    extra = {name: response[name] for name in _KEPT_HEADERS if name in response}
    entry = {
        "content": content,
        "type": response["Content-Type"],
        "etag": etag,
        "headers": extra,
        "until": until,
    }
    cache.set(key, entry, timeout)
    _validators(response, etag, last_modified)
    _mark_public(response, vary)


def serve(
    request: HttpRequest,
    render: Callable[[], HttpResponseBase],
    *,
    params: Iterable[str] = (),
    variant: str = "",
    last_modified: bool = False,
    streaming: bool = False,
    vary: Iterable[str] = ("Cookie",),
) -> HttpResponseBase:
    """Answer from the shared cache, or call `render()` and keep what it answers.

    `params` are the query parameters the page reads (the key ignores the rest); `variant` sets apart
    responses of one address that differ otherwise (the API's format); `last_modified` adds
    Last-Modified for content that follows the version and the day alone; `streaming` is for a
    response too big to keep: nothing is stored, and its ETag is made from the key instead."""
    address = canonicalize(request, params)
    request._pagecache_address = address
    if not _enabled() or not request_is_shared(request):
        response = render()
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            mark_private(response)
        return response
    version = current_version()
    if version is None:
        return render()
    key = _key(version, address, variant)
    modified = _last_modified(version) if last_modified else None
    if streaming:
        return _serve_streaming(request, render, key=key, last_modified=modified, vary=vary)
    entry = cache.get(key)
    if entry is not None and entry["until"] is not None and timezone.now() >= entry["until"]:
        entry = None  # the page turned (a session ended) a moment before the cache dropped it
    if entry is not None:
        if _not_modified(request, entry["etag"], modified):
            response: HttpResponseBase = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["content"], content_type=entry["type"])
            for name, value in entry["headers"].items():
                response[name] = value
        _validators(response, entry["etag"], modified)
        _mark_public(response, vary)
        return response
    response = render()

    def store(rendered: HttpResponseBase) -> None:
        _store(key, request, rendered, last_modified=modified, vary=vary)

    if hasattr(response, "render") and not response.is_rendered:
        response.add_post_render_callback(store)  # a DRF or template response is rendered later
    else:
        store(response)
    return response


def _serve_streaming(
    request: HttpRequest,
    render: Callable[[], HttpResponseBase],
    *,
    key: str,
    last_modified: float | None,
    vary: Iterable[str],
) -> HttpResponseBase:
    etag = quote_etag(hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()[:20])
    if _not_modified(request, etag, last_modified):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = render()
        if response.status_code != 200 or response.cookies:
            return response
    _validators(response, etag, last_modified)
    _mark_public(response, vary)
    return response


def fragment(request: HttpRequest, name: str, render: Callable[[], Any]) -> Any:
    """The part of a page that is the same for everyone who reads it (the catalogue's filters and
    results), kept like a shared page: logged-in visitors get it inside their own header, menu and
    eligibility badges, so only those are rendered for them.

    For use inside a `shared_page` view (its address is the key). `render` returns something picklable
    holding nothing of the visitor."""
    address = getattr(request, "_pagecache_address", None)
    version = current_version() if _enabled() and address is not None else None
    if version is None:
        return render()
    key = _key(version, address, f"fragment:{name}")
    value = cache.get(key)
    if value is None:
        value = render()
        # The same guard as a whole page's: a part rendered after a CSRF token was taken may hold it.
        if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def shared_page(
    *, params: Iterable[str] = (), last_modified: bool = False, streaming: bool = False
) -> Callable:
    """View decorator: `serve()` for a function view. `params`: the query parameters the view reads."""
    params = tuple(params)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return serve(
                request,
                lambda: view(request, *args, **kwargs),
                params=params,
                last_modified=last_modified,
                streaming=streaming,
            )

        return wrapped

    return decorator
