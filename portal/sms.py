"""Text-message backends: printed to the console by default, or posted to an HTTP SMS gateway.

The gateway contract is the common one of Korean SMS relays: POST JSON {"from", "to", "text"} with a
bearer key; any 2xx is accepted, anything else (or no answer within the timeout) is a failure the
outbox records and retries.
"""

from __future__ import annotations

import http.client
import json
import logging
import sys
import urllib.error
import urllib.request

from django.conf import settings

from .masking import mask_phone

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5


class SmsError(Exception):
    pass


class ConsoleSmsBackend:
    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {mask_phone(to)} from {settings.SMS_SENDER}] {text}\n")
        sys.stdout.flush()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Treat a 3xx answer as the failure it is.

    Followed, a redirect turns the POST into a GET to wherever the gateway points, carries the
    Authorization header to that host, and a 200 from there would count as a message sent that the
    gateway never accepted.
    """

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


_opener = urllib.request.build_opener(_NoRedirects)


class HttpSmsBackend:
    def __init__(self, url: str, api_key: str, sender: str) -> None:
        if not url.startswith(("http://", "https://")):
            raise SmsError("SMS_GATEWAY_URL must be an http(s) URL")
        self.url, self.api_key, self.sender = url, api_key, sender

    def send(self, *, to: str, text: str) -> None:
        body = json.dumps({"from": self.sender, "to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.api_key}",
            },
        )
        try:
            with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        except http.client.HTTPException as exc:
            # A garbled or cut-short answer (BadStatusLine, IncompleteRead…) is not an OSError: it too
            # must surface as the SmsError the outbox records and retries.
            raise SmsError(f"gateway answered badly: {exc.__class__.__name__}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def get_backend() -> ConsoleSmsBackend | HttpSmsBackend:
    if settings.SMS_BACKEND == "http":
        return HttpSmsBackend(settings.SMS_GATEWAY_URL, settings.SMS_API_KEY, settings.SMS_SENDER)
    return ConsoleSmsBackend()
