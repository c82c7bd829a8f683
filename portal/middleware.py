"""Request-wide behaviour that Django's own middleware does not quite give us."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class KoreanFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Korean unless the visitor chose English with the language switch (a cookie).

    A district portal answers in Korean even to a browser set to English, as gov.kr sites do; the
    switch is on every page. The API, read by programs rather than people, follows Accept-Language.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(language if language in SUPPORTED else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
