"""Error reports leave no personal data: the before_send scrubber, and sentry stays off without a DSN."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

from portal.observability.sentry import REDACTED, init_sentry, scrub, scrub_text

EMAIL = "kim.minji@example.kr"
MOBILE = "010-1234-5678"
RRN = "900101-2345678"


def event() -> dict:
    return {
        "message": f"could not notify {EMAIL} at {MOBILE}",
        "logentry": {"message": "refused %s", "params": [RRN]},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"bad id {RRN} for {EMAIL}",
                    "module": "households.validation",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "households/services.py",
                                "function": "profile_update",
                                "lineno": 42,
                                "vars": {"phone": MOBILE, "household": "<Household 김민지>"},
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "url": f"https://hana.example.kr/accounts/?email={EMAIL}",
            "method": "POST",
            "data": {"username": EMAIL, "password": "hunter2"},
            "query_string": f"email={EMAIL}",
            "cookies": {"sessionid": "abc", "csrftoken": "def"},
            "headers": {
                "Authorization": "Device abcdef",
                "Cookie": "sessionid=abc",
                "X-Request-Id": "req-1",
                "Referer": f"https://hana.example.kr/?phone={MOBILE}",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"id": 7, "email": EMAIL, "ip_address": "203.0.113.9"},
        "breadcrumbs": {"values": [{"category": "query", "message": f"SELECT ... WHERE email = '{EMAIL}'"}]},
        "extra": {"phone_number": MOBILE, "note": f"call {MOBILE}", "count": 3},
        "tags": {"request_id": "req-1"},
    }


def test_no_personal_data_survives_anywhere_in_the_event():
    scrubbed = json.dumps(scrub(event(), {}), ensure_ascii=False)

    for secret in (EMAIL, MOBILE, RRN, "hunter2", "sessionid", "Device abcdef", "203.0.113.9", "김민지"):
        assert secret not in scrubbed, secret


def test_what_sentry_needs_to_group_and_locate_the_error_is_kept():
    scrubbed = scrub(event(), {})

    exception = scrubbed["exception"]["values"][0]
    assert exception["type"] == "ValueError"
    assert exception["module"] == "households.validation"
    frame = exception["stacktrace"]["frames"][0]
    assert (frame["filename"], frame["function"], frame["lineno"]) == (
        "households/services.py",
        "profile_update",
        42,
    )
    assert scrubbed["request"]["method"] == "POST"
    assert scrubbed["request"]["headers"]["X-Request-Id"] == "req-1"
    assert scrubbed["tags"]["request_id"] == "req-1"
    assert scrubbed["extra"]["count"] == 3
    assert scrubbed["request"]["data"] == REDACTED


def test_the_text_scrubber_knows_korean_numbers():
    for text in (
        "02-123-4567",
        "031-987-6543",
        "01012345678",
        "+82 10-1234-5678",
        "9001012345678",
        "900101 2345678",
    ):
        assert scrub_text(f"x {text} y") == f"x {REDACTED} y", text
    # Reference numbers, amounts and dates are not personal data and stay readable.
    for text in ("HN-2026-000123", "2,392,013원", "2026-01-15", "PL-2026-000042"):
        assert scrub_text(text) == text, text


def test_sentry_is_off_without_a_dsn():
    assert init_sentry(dsn="", environment="test", traces_sample_rate=0.0) is False


def test_with_a_dsn_sentry_starts_without_pii_and_with_the_scrubber():
    # In a process of its own: sentry-sdk's client is global and must not outlive this test.
    script = (
        "import sentry_sdk; from portal.observability.sentry import init_sentry, scrub\n"
        "assert init_sentry(dsn='https://key@127.0.0.1:9/1', environment='ci', traces_sample_rate=0.0)\n"
        "o = sentry_sdk.get_client().options\n"
        "assert o['send_default_pii'] is False and o['before_send'] is scrub, o\n"
        "assert o['environment'] == 'ci' and o['include_local_variables'] is False\n"
        "names = {type(i).__name__ for i in sentry_sdk.get_client().integrations.values()}\n"
        "assert {'DjangoIntegration', 'CeleryIntegration'} <= names, names\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env.pop("SENTRY_DSN", None)
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=settings.BASE_DIR)  # noqa: S603
