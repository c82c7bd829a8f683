"""Hana's one settings module.

Every value comes from an environment variable read through django-environ, and a bad value fails
loudly at start-up. With nothing set, Hana runs in its *embedded default*: SQLite, an in-memory cache,
Celery tasks run in-process, email and SMS printed to the console. Production is the same code with
DATABASE_URL, REDIS_URL / CELERY_BROKER_URL, SECRET_KEY, DEBUG=false and the mail/SMS variables set.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime files of the embedded default (SQLite, uploads); git-ignored

env = environ.Env()

# Like Healthchecks, DEBUG defaults to on so a fresh clone runs as-is; every production deployment
# (docker-compose.yml included) sets DEBUG=false, and then SECRET_KEY becomes mandatory.
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-embedded-default-only-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The domain in iCalendar UIDs (booking-12@hana.example): stable, so calendar apps update events in place.
ICAL_UID_DOMAIN = env.str("ICAL_UID_DOMAIN", default="hana.local")

INSTALLED_APPS = [
    "portal.apps.HanaAdminConfig",  # django.contrib.admin with Hana's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    # Residents' accounts: sign-up with email verification, password reset, sessions (issue 14).
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal",
    "households",
    "programs",
    "safety",
    "lockers",
    "spaces",
    "benefits",
    "care",
    "inquiries",
    "community",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (static files included), cached pages too.
    "portal.security_headers.CachedPolicyCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Search terms typed decomposed (NFD, as some Mac keyboards send Hangul) are composed first.
    "portal.unicodetext.NormalizeQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the visitor's choice on the language switch (a cookie), else the browser's
    # Accept-Language when it asks for English, else Korean.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(), for STAFF_OTP_REQUIRED
    # Permissions-Policy, and `private, no-store` on every answer to a logged-in visitor (it reads the
    # user, so it comes after authentication).
    "portal.security_headers.SecurityHeadersMiddleware",
    # allauth's request context (its emails and adapter read the current request).
    "allauth.account.middleware.AccountMiddleware",
    # Records each session's device, address and last use, so a resident can see and end them
    # (allauth.usersessions' rows, refreshed at most every 5 minutes: households/sessions.py).
    "households.sessions.SessionActivityMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the message middleware: it says why a staff member was logged out.
    "portal.middleware.StaffSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.unread_count",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hana.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue instead of one
    # failing with "database is locked" half-way; WAL lets readers carry on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    # Keep connections: on this hardware a view that opens a connection per request serves
    # ~650 req/s against ~6,400 req/s with a kept one. Health checks drop a dead one first.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles a query that its planner thinks is large: for the city-wide counts
    # (outreach's impact preview, the dashboard) the compiling took 2.0 s of a 2.3 s query. A portal's
    # queries gain nothing from it; a DATABASE_URL that sets `options` itself keeps its own.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # portal.cache: Django's Redis cache that serves through a Redis outage (a miss, not a 500); short
    # socket timeouts so that a Redis gone silent costs a request a second, not a hang.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hana"}}

# Public pages (catalogue, program pages, home, spaces, the programs API, open data) are kept in the
# cache above, keyed by a content version that every change bumps (portal/pagecache.py): exact, so the
# timeout only bounds how long an unread copy occupies memory. HANA_PAGE_CACHE=off renders every request
# (the bench uses it to measure the uncached path).
PAGE_CACHE_ENABLED = env.bool("HANA_PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)

# --- Celery ---------------------------------------------------------------------------------------
# No broker configured → tasks run in-process, eagerly (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Where tasks are sent (and what `celery worker -Q` should consume); the worker integration test gives
# its own worker a queue of its own so it never picks up, or leaves behind, anyone else's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TIMEZONE = "Asia/Seoul"

# Publishing from a request. Work that must follow a commit goes through the task outbox
# (portal/outbox.py): the row is saved with the change, so a failed publish loses nothing and the relay
# sends it later. A request must therefore not wait long for a dead broker: one quick retry, then give
# up (a refused connection costs milliseconds; the default policy took ~2.3 s to answer 500). The socket
# timeouts bound a broker that vanished without closing the connection (failover, a firewall); 5 s is
# above the consumer's 1 s BRPOP timeout, as kombu requires.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The worker itself keeps retrying its broker connection at start-up and after a loss (Celery's default).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Acknowledgement, audited task by task: every task is idempotent (each module says why), so every task
# is acknowledged late: one lost with its worker (kill -9, a lost node) is delivered again once the
# visibility timeout below has passed. A child process killed under a task (OOM, kill -9 of the child)
# acknowledges it, unless the task is also `reject_on_worker_lost` and goes straight back to the queue:
# only the small one-row tasks whose rerun is certainly harmless and cannot crash the next worker too:
#   portal deliver_notification (a claim by conditional UPDATE: a rerun sends nothing),
#   programs process_application (application_evaluate leaves a judged application alone),
#   safety alert_low_stock (one notification per staff member, item and day: the event key).
# The rest (periodic jobs, lottery draw, exports, reports) are not put back at once: a job that killed
# its worker would kill the next one in a loop; beat's next run, the visibility timeout or the export
# job's own stale-claim rule retry them.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False

# Time limits. Soft: the task gets SoftTimeLimitExceeded and records its failure (a notification's is
# kept on the row and retried); hard: the child is killed. Only the prefork pool enforces them (not
# --pool=solo). The default suits every short task; the long ones get their own below.
# Env: CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT (seconds).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
if not 0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_TASK_SOFT_TIME_LIMIT must be positive and below CELERY_TASK_TIME_LIMIT."
    )
_LONG = {"soft_time_limit": 25 * 60, "time_limit": 30 * 60}  # exports and monthly reports: whole districts
_BATCH = {"soft_time_limit": 8 * 60, "time_limit": 10 * 60}  # periodic jobs working through many rows
CELERY_TASK_ANNOTATIONS = {
    # Named as the reports app registers them (its tasks keep their old portal.* names).
    "portal.exports.tasks.run_export_job": _LONG,
    "portal.performance.tasks.generate_monthly_reports": _LONG,
    "portal.exports.tasks.expire_exports": _BATCH,
    "portal.tasks.run_retention": _LONG,
    "programs.tasks.draw_due_lotteries": _BATCH,
    "programs.tasks.sweep_unjudged_applications": _BATCH,
    "spaces.tasks.send_booking_reminders": _BATCH,
    "safety.lockers.tasks.send_locker_reminders": _BATCH,
    "safety.lockers.tasks.mark_overdue_parcels": _BATCH,
    "portal.tasks.reap_stuck_notifications": _BATCH,
    "portal.tasks.relay_task_outbox": _BATCH,
}

# Redis redelivers a message not acknowledged within the visibility timeout (a late-acknowledged task
# whose worker died, a countdown retry held by a worker). It must be longer than the longest task's hard
# limit (exports: 30 min) and the longest retry countdown (notifications: 8 min), or a task still running
# would be started a second time. 1 h: the export job's own reclaim (reports: a job running for 2 h) stays
# later still, and a lost task is back within the hour (the reaper and the application sweep end the
# important ones sooner).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# A child process is replaced after this many tasks: memory a long-running worker leaks is given back.
# Env: CELERY_WORKER_MAX_TASKS_PER_CHILD (default 1000; 0 = never replace).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=1000) or None

# The task outbox relay publishes at most this many rows a run (every 30 s: 1,000 rows a minute drain a
# backlog left by an outage). Env: TASK_OUTBOX_RELAY_BATCH.
TASK_OUTBOX_RELAY_BATCH = env.int("TASK_OUTBOX_RELAY_BATCH", default=500)
# The recovery sweeps: how old a row must be before a sweep takes it, and how often beat runs them. The
# defaults suit production; the topology test (.ci/topology.py) shortens them all, consistently.
# A notification still `sending` after this long lost its worker: the reaper ends it. It must outlast the
# delivery task's hard limit, or a slow send would be taken for a lost one and sent twice.
# Env: NOTIFICATION_SENDING_TIMEOUT_SECONDS (default 600).
NOTIFICATION_SENDING_TIMEOUT = timedelta(seconds=env.int("NOTIFICATION_SENDING_TIMEOUT_SECONDS", default=600))
if NOTIFICATION_SENDING_TIMEOUT.total_seconds() <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("NOTIFICATION_SENDING_TIMEOUT_SECONDS must exceed CELERY_TASK_TIME_LIMIT.")
# A notification still `pending` after this long lost its queue message (broker down at commit): it is
# queued again (harmless if the first message is merely late: the delivery's claim lets one run send).
# Env: NOTIFICATION_REQUEUE_AFTER_SECONDS (default 120).
NOTIFICATION_REQUEUE_AFTER = timedelta(seconds=env.int("NOTIFICATION_REQUEUE_AFTER_SECONDS", default=120))
# An application still `submitted` and never judged after this long lost its evaluation task (the outbox
# row was published but the task failed, or the application predates the outbox): the sweep re-queues it.
# Env: APPLICATION_EVALUATION_SWEEP_SECONDS (default 300).
APPLICATION_EVALUATION_SWEEP_AFTER = timedelta(
    seconds=env.int("APPLICATION_EVALUATION_SWEEP_SECONDS", default=300)
)
# How often beat runs the relay, the requeue, the reaper and the application sweep. Unset: each its own
# interval below (30 s to 2 min). Env: RECOVERY_SWEEP_SECONDS.
RECOVERY_SWEEP_SECONDS = env.int("RECOVERY_SWEEP_SECONDS", default=0)


def _sweep(default: timedelta) -> dict:
    """A recovery sweep's schedule; its message expires before the next one is due (a backlog of
    identical sweeps after an outage would only repeat the work)."""
    every = timedelta(seconds=RECOVERY_SWEEP_SECONDS) if RECOVERY_SWEEP_SECONDS else default
    return {"schedule": every, "options": {"expires": max(1.0, every.total_seconds() * 0.9)}}


# A periodic job whose message waited longer than its own interval is dropped (`expires`): the next
# one does the same work, and a backlog of identical sweeps after an outage would only repeat it.
CELERY_BEAT_SCHEDULE: dict = {
    # Lotteries are drawn the night after their deadline (Asia/Seoul).
    "draw-due-lotteries": {
        "task": "programs.tasks.draw_due_lotteries",
        "schedule": crontab(hour=0, minute=10),
    },
    # The task outbox: what could not be published at commit (broker down) is published here.
    "relay-task-outbox": {"task": "portal.tasks.relay_task_outbox", **_sweep(timedelta(seconds=30))},
    # Applications submitted but never judged (their evaluation task failed or was lost) are re-queued.
    "sweep-unjudged-applications": {
        "task": "programs.tasks.sweep_unjudged_applications",
        **_sweep(timedelta(minutes=2)),
    },
    # A notification whose queue message was lost (broker down at commit) is sent within minutes.
    "requeue-stale-notifications": {
        "task": "portal.tasks.requeue_stale_notifications",
        **_sweep(timedelta(minutes=1)),
    },
    # Notifications left `sending` by a worker that died end sent, failed or cancelled.
    "reap-stuck-notifications": {
        "task": "portal.tasks.reap_stuck_notifications",
        **_sweep(timedelta(minutes=2)),
    },
    # Parcel lockers: reminders before the free period ends, and parcels past the holding period.
    "locker-reminders": {
        "task": "safety.lockers.tasks.send_locker_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "locker-overdue": {
        "task": "safety.lockers.tasks.mark_overdue_parcels",
        "schedule": crontab(minute="*/15"),
    },
    # Retention by policy (portal/retention.py), nightly: old messages and audit events, rejected
    # applications' documents, finished bookings' purposes, parcels, export files (the old
    # "expire-exports" job is one of its classes), dormant accounts. A night missed is caught up the next.
    "retention": {
        "task": "portal.tasks.run_retention",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 20 * 60 * 60},
    },
    # Community spaces: a reminder the day before each booking (hourly catches bookings made late).
    "booking-reminders": {
        "task": "spaces.tasks.send_booking_reminders",
        "schedule": crontab(minute=5),
    },
    # Proactive outreach (programs.services.outreach): programs whose application period opens today
    # are matched in the morning; notices held back (quiet hours for texts, the weekly cap, a lost
    # delivery task) go out hourly; weekly-cadence residents get their digest on Monday mornings.
    "outreach-programs-opening": {
        "task": "programs.tasks.outreach_programs_opening",
        "schedule": crontab(hour=8, minute=30),
        "options": {"expires": 12 * 60 * 60},
    },
    # Birthdays change ages, and ages open programs (19, 40, 65): those households are judged again.
    "outreach-birthdays": {
        "task": "programs.tasks.outreach_birthdays",
        "schedule": crontab(hour=8, minute=40),
        "options": {"expires": 12 * 60 * 60},
    },
    "outreach-deliver-due": {
        "task": "programs.tasks.deliver_due_outreach",
        "schedule": crontab(minute=20),
        "options": {"expires": 50 * 60},
    },
    "outreach-weekly-digest": {
        "task": "programs.tasks.outreach_weekly_digest",
        "schedule": crontab(day_of_week=1, hour=10, minute=0),
        "options": {"expires": 12 * 60 * 60},
    },
    # Monthly performance reports (성과관리): last month's, per district, on the 1st at 06:00 Seoul time.
    "monthly-performance-reports": {
        "task": "portal.performance.tasks.generate_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
}

# --- Authentication -------------------------------------------------------------------------------
# TRUSTED_PROXY_COUNT: how many proxies you run in front of gunicorn, each appending the address it was
# reached from to X-Forwarded-For (nginx: proxy_add_x_forwarded_for). 0 (the default): gunicorn faces
# the clients and X-Forwarded-For is ignored, whoever sends it; 1: one TLS proxy, the client is the last
# X-Forwarded-For entry; N: the N-th from the right. It alone decides the client address for login
# lockout (axes), API throttles (NUM_PROXIES below), the kiosk's bad-token limit, the audit log and the
# access log (portal/clientip.py). Too high lets clients forge their address; too low makes every
# client look like the proxy, so one client's failures lock out everyone.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before checking a password
    "allauth.account.auth_backends.AuthenticationBackend",  # residents: email, any case
    "django.contrib.auth.backends.ModelBackend",  # the admin's login form
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "households:login"

# django-allauth (account + usersessions only). Email is the login; there is no username.
# Verification is mandatory at sign-up (a new account logs in by opening the emailed link), so a taken
# address answers like a new one; a later login does not wait for it (households/accounts.py), but
# applying, booking and requesting a kit do (households.services.applicant_household refuses with
# "email_unverified").
ACCOUNT_ADAPTER = "households.accounts.HanaAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link scanner fetching the link must not confirm it
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True  # in the browser that signed up
# No answer tells whether an address has an account: a sign-up with a taken address looks like any
# other (its owner gets an email), and a reset request for an unknown address looks sent.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hana] "
# Throttles, keyed by the client address from TRUSTED_PROXY_COUNT (the adapter's get_client_ip);
# axes' lockout on failed logins comes on top.
ACCOUNT_RATE_LIMITS = {
    "signup": env.str("ACCOUNT_SIGNUP_RATE", default="10/h/ip"),
    "login": "30/m/ip",
    # Per address only: the account's failures are axes' (AXES_FAILURE_LIMIT, with its lockout page).
    "login_failed": "10/m/ip",
    "reset_password": env.str("ACCOUNT_RESET_RATE", default="10/h/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",
}
USERSESSIONS_TRACK_ACTIVITY = False  # households.sessions does it, less often
LOGIN_REDIRECT_URL = "households:profile"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (PIPA safeguard): after AXES_FAILURE_LIMIT failures an account is locked, and so is
# an IP address, each on its own, for AXES_COOLOFF_TIME; a success resets the account's count.
# While locked, every attempt (right password or wrong) gets the same lockout page and status, since
# the axes backend refuses before a password is checked.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The residents' login form (allauth) posts the email as "login", the admin's as "username", while
# USERNAME_FIELD is "email", where axes would look by default: attempts were recorded without an account
# and none was ever locked. The callable reads either, lower-cased as accounts are stored, so "A@x.kr"
# and "a@x.kr" count once.
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "portal.lockout.login_username"
# The client address from TRUSTED_PROXY_COUNT (django-ipware is not installed; axes would otherwise
# use REMOTE_ADDR, i.e. the proxy, for everyone).
AXES_CLIENT_IP_CALLABLE = "portal.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Staff 2-step login (django-otp, TOTP): when on, /admin/ asks for a token from the staff member's
# authenticator app and lets in only OTP-verified staff. Give staff a TOTP device before turning it on.
# On unless DEBUG: a production deployment asks for it without being told; turn it off explicitly with
# STAFF_OTP_REQUIRED=false (local runs, CI's browser test).
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Hana"  # the name authenticator apps show next to the code
# PIPA safeguard: a staff session ends after this many idle minutes (a warning shows 2 minutes before).
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
if STAFF_SESSION_IDLE_MINUTES < 3:
    raise ImproperlyConfigured(
        "STAFF_SESSION_IDLE_MINUTES must be at least 3 (the warning comes 2 minutes early)."
    )

# --- Internationalization -------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))  # private: never served directly
# Uploaded documents, export files and performance reports ("default" storage) are private and are only
# ever served by portal.files.serve_private after a view's access check. Without a bucket they live
# under MEDIA_ROOT (one machine). With AWS_STORAGE_BUCKET_NAME they live in S3-compatible object
# storage, so every web node and worker sees the same files (MinIO in docker-compose, moto in CI):
#   AWS_STORAGE_BUCKET_NAME     the bucket (setting it switches to object storage); it must exist
#   AWS_S3_ENDPOINT_URL         e.g. http://minio:9000 for MinIO/moto; empty for Amazon S3 itself
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   credentials (empty: boto3's own chain, e.g. an IAM role)
#   AWS_S3_REGION_NAME          default us-east-1
#   AWS_S3_ADDRESSING_STYLE     "path" (default; MinIO and moto need it) or "virtual"
#   AWS_QUERYSTRING_EXPIRE      seconds a signed download URL stays valid (default 60)
#   STORAGE_REDIRECT_DOWNLOADS  true: answer a download with a 302 to a signed URL (the endpoint must
#                               then be reachable by browsers); false (default): stream it through Django
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
STORAGE_REDIRECT_DOWNLOADS = env.bool("STORAGE_REDIRECT_DOWNLOADS", default=False)
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="us-east-1"),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            # No ACL header: objects inherit the bucket's (private) policy. "private" would be refused
            # by buckets whose ACLs are disabled (Amazon's default since 2023).
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
            # Never replace an object under the same name: a second upload gets a new name.
            "file_overwrite": False,
            # Reading an object spools it to a temporary file past 2 MB (0, the library's default,
            # would hold a whole export in memory while it is downloaded).
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email and SMS --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hana <no-reply@hana.example.kr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SMS_BACKEND "console" prints messages; "http" posts them to SMS_GATEWAY_URL with SMS_API_KEY.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_API_KEY = env.str("SMS_API_KEY", default="")
SMS_SENDER = env.str("SMS_SENDER", default="02-0000-0000")
if SMS_BACKEND not in {"console", "http"}:
    raise ImproperlyConfigured(f"SMS_BACKEND must be 'console' or 'http', not {SMS_BACKEND!r}.")
if SMS_BACKEND == "http" and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL.")

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's, completed with the answers every view shares (errors, 304, integer ids).
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.HanaAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    # DRF's three, with JSON bounded in depth (a 10,000-deep body was a RecursionError, a 500).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # The throttles' client address: the same rule as portal/clientip.py. Left unset, DRF keyed anonymous
    # clients on whatever X-Forwarded-For they sent, so a new header each time escaped the limit.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Throttle counters live in the "default" cache: Redis whenever REDIS_URL is set (see CACHES), so
    # every gunicorn worker and every web node count together; the in-memory cache of the embedded
    # default counts per process, which is fine for one `runserver`.
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonymousRateThrottle",
        # The user rate counts logged-in users only, so each limit governs its own callers.
        "portal.api.throttling.LoggedInUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "kiosk": env.str("API_THROTTLE_KIOSK", default="60/min"),
    },
}
# Bad kiosk device tokens per client address, in a fixed window (lockers/api/kiosk.py): the
# KIOSK_BAD_TOKEN_LIMIT-th failure within KIOSK_BAD_TOKEN_WINDOW_MINUTES blocks the address (429 with
# Retry-After) until the window ends, valid token or not, so tokens cannot be guessed at speed.
KIOSK_BAD_TOKEN_LIMIT = env.int("KIOSK_BAD_TOKEN_LIMIT", default=10)
KIOSK_BAD_TOKEN_WINDOW_MINUTES = env.int("KIOSK_BAD_TOKEN_WINDOW_MINUTES", default=15)
SPECTACULAR_SETTINGS = {
    "TITLE": "Hana API",
    "DESCRIPTION": "Programs, eligibility and household profiles for single-person households.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: read-only fields are not required in a request body,
    # and an upload is a binary file in the request (a link in the answer).
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from the sidecar package so /api/docs/ works offline (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The export API's choice sets, named once (a bare "status" collides with every other app's); the
    # programs' status keeps the name it had before the exports joined the API.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "programs.models.ProgramStatus",
        "ExportFormatEnum": "reports.models.ExportJob.Format",
        "ExportJobStatusEnum": "reports.models.ExportJob.Status",
    },
}

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp). No inline script or style anywhere: every script and stylesheet
# is a file under /static/ (the charts are SVG markup with presentation attributes, not style=; the API
# docs serve Swagger UI's start-up script as a file and its rules from static/css/). CSP_REPORT_ONLY=true
# sends the same policy as Content-Security-Policy-Report-Only instead, for trying a change out:
# browsers then report violations to /csp-report (logged as "csp violation") and block nothing.
CSP_REPORT_ONLY_MODE = env.bool("CSP_REPORT_ONLY", default=False)
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": ["/csp-report"],
    }
}
if CSP_REPORT_ONLY_MODE:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
    CONTENT_SECURITY_POLICY = None
else:
    CONTENT_SECURITY_POLICY = _CSP
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
# Browser features no page of the portal uses: denied to every page and everything embedded in one.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if env.bool("USE_X_FORWARDED_PROTO", default=not DEBUG):
    # gunicorn sits behind a TLS-terminating proxy in production.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz and /metrics are probed over plain HTTP by the orchestrator and Prometheus, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# --- Logging --------------------------------------------------------------------------------------
# LOG_FORMAT: "json" (one JSON object a line, for the log shipper; the default when DEBUG is off) or
# "plain" (the embedded default). Every line carries the request id (X-Request-ID, also in the worker's
# lines for the tasks a request queued) and, in the worker, the task's id and name. The access log
# (logger "hana.access": client address from TRUSTED_PROXY_COUNT, method, path without query string,
# status, duration, view name) is written by Django to stdout; gunicorn's own is off (gunicorn.conf.py).
# LOG_LEVEL: the root level (INFO).
from portal.observability.logging import logging_config  # noqa: E402 - the settings' own helper

LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = logging_config(fmt=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# --- Hana domain settings -------------------------------------------------------------------------
HANA_PRIVACY_CONSENT_VERSION = env.str("HANA_PRIVACY_CONSENT_VERSION", default="2026-01")
# A purpose whose notice has its own version (households.services.consent_version); any other purpose is
# recorded under HANA_PRIVACY_CONSENT_VERSION. Outreach ("tell me about programs I may qualify for") got
# its notice in December 2026.
HANA_CONSENT_VERSIONS = {
    "outreach": env.str("HANA_OUTREACH_CONSENT_VERSION", default="2026-12"),
}
# Outreach (households.outreach): at most this many notices a week unless the resident chooses another
# number (1 to 10: households.models.OUTREACH_WEEKLY_LIMIT_MAX), and no text message in the quiet hours,
# Seoul time, from the first hour to the second (21:00 to 08:00; the inbox and email are not held back).
OUTREACH_WEEKLY_LIMIT = env.int("OUTREACH_WEEKLY_LIMIT", default=3)
OUTREACH_QUIET_HOURS = (21, 8)
if not 1 <= OUTREACH_WEEKLY_LIMIT <= 10:
    raise ImproperlyConfigured("OUTREACH_WEEKLY_LIMIT must be between 1 and 10.")
HANA_SITE_NAME = _("Hana")
# Verifying a resident's mobile number (households.phone): a 6-digit code texted to it, valid this many
# minutes, refused after this many wrong tries (a new code must be asked for: 5 tries of 10^6 codes). A new
# code at most once a minute and this many a day, per household and per number, so the form cannot be
# used to flood a stranger's phone or run up the district's SMS bill.
PHONE_CODE_TTL_MINUTES = env.int("PHONE_CODE_TTL_MINUTES", default=10)
PHONE_CODE_MAX_ATTEMPTS = env.int("PHONE_CODE_MAX_ATTEMPTS", default=5)
PHONE_CODE_RESEND_SECONDS = env.int("PHONE_CODE_RESEND_SECONDS", default=60)
PHONE_CODE_DAILY_LIMIT = env.int("PHONE_CODE_DAILY_LIMIT", default=5)
# An export of more rows than this is written by the worker in the background (reports.exports).
EXPORT_DIRECT_MAX_ROWS = env.int("EXPORT_DIRECT_MAX_ROWS", default=50_000)

# --- Retention (portal/retention.py) ---------------------------------------------------------------
# How long each class of personal data is kept, in days (env RETENTION_<CLASS>_DAYS). One table: the
# nightly job applies these and the privacy page (/privacy/) tells residents the same numbers. Defaults
# follow PIPA practice — keep no longer than the purpose needs; access records at least 2 years.
# Sent, failed and cancelled messages (the outbox and in-app inbox): a year of "what we told you".
RETENTION_NOTIFICATIONS_DAYS = env.int("RETENTION_NOTIFICATIONS_DAYS", default=365)
# Audit and access log: PIPA's safety-measure standard asks for at least 2 years; we keep 3.
RETENTION_AUDIT_DAYS = env.int("RETENTION_AUDIT_DAYS", default=3 * 365)
if RETENTION_AUDIT_DAYS < 2 * 365:
    raise ImproperlyConfigured("RETENTION_AUDIT_DAYS must be at least 730 (PIPA: access records ≥ 2 years).")
# Documents of rejected applications, counted from the decision: 180 days covers an administrative
# appeal (행정심판: within 180 days of the decision), then the files go.
RETENTION_REJECTED_DOCUMENTS_DAYS = env.int("RETENTION_REJECTED_DOCUMENTS_DAYS", default=180)
# Finished bookings (ended, cancelled or refused): the purpose text is blanked after a year.
RETENTION_BOOKINGS_DAYS = env.int("RETENTION_BOOKINGS_DAYS", default=365)
# Parcels picked up or returned: what identifies the parcel is blanked after 90 days (fee disputes).
RETENTION_PARCELS_DAYS = env.int("RETENTION_PARCELS_DAYS", default=90)
# Large export files (reports): private and short-lived.
RETENTION_EXPORTS_DAYS = env.int("RETENTION_EXPORTS_DAYS", default=7)
# Outreach notices (programs): the reasons they quoted from the profile ("월 소득 2,100,000원 ≤ …") are
# blanked after a year; the row itself stays, so the household is still never told twice.
RETENTION_OUTREACH_REASONS_DAYS = env.int("RETENTION_OUTREACH_REASONS_DAYS", default=365)
# Resident accounts with no login for this long are anonymised (households' account deletion). The
# statutory one-year dormancy rule (유효기간제) was lifted in 2023; programs run yearly, so a resident
# who logs in once a year must keep their account: 3 years.
RETENTION_DORMANT_ACCOUNTS_DAYS = env.int("RETENTION_DORMANT_ACCOUNTS_DAYS", default=3 * 365)
for _name in [n for n in dir() if n.startswith("RETENTION_") and n.endswith("_DAYS")]:
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
# Rows pruned per transaction (the job walks each class by primary key, never loading it whole).
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=1_000)
if RETENTION_BATCH_SIZE < 1:
    raise ImproperlyConfigured("RETENTION_BATCH_SIZE must be at least 1.")

# --- Observability --------------------------------------------------------------------------------
# First in the chain: every request gets its id (X-Request-ID from the trusted proxy when it is at
# most 64 of [A-Za-z0-9._-], else a new one), echoed in the response, and is logged and measured.
MIDDLEWARE.insert(0, "portal.observability.middleware.RequestObservabilityMiddleware")

# Prometheus, /metrics: scraped with `Authorization: Bearer <METRICS_TOKEN>`, or seen by a logged-in
# superuser; anyone else gets 401 (token set) or 404 (no token). PROMETHEUS_MULTIPROC_DIR (read by
# prometheus_client itself from the environment): a directory, private to the node, where gunicorn's
# worker processes (and a Celery worker on the same machine) keep their counters so that one scrape
# sums them all; gunicorn.conf.py empties it at start. Unset: each process counts in memory.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Gauges that apps above the core add to /metrics, read at scrape time (callables yielding metric
# families): the core lists nobody's models itself.
METRICS_EXTRA_COLLECTORS = ["reports.metrics.export_gauges"]

# Error reporting (sentry-sdk): off unless SENTRY_DSN is set; Django and Celery integrations, no
# personal data (send_default_pii off and portal.observability.sentry.scrub as before_send).
# SENTRY_ENVIRONMENT names the deployment ("production", "staging"); SENTRY_TRACES_SAMPLE_RATE (0 to 1,
# default 0: errors only, no performance traces); SENTRY_RELEASE (optional, e.g. the git commit).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if not 0.0 <= SENTRY_TRACES_SAMPLE_RATE <= 1.0:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1.")
if SENTRY_DSN:
    from portal.observability.sentry import init_sentry  # noqa: E402

    init_sentry(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
        release=env.str("SENTRY_RELEASE", default=""),
    )

# Beat's heartbeat (portal/heartbeat.py): every minute a worker stores the time in the cache; /healthz
# says "stale" after 3 minutes without one, and /metrics shows its age. Expires so that a backlog after
# an outage is not run 50 times over.
CELERY_BEAT_SCHEDULE["heartbeat"] = {
    "task": "portal.heartbeat.beat",
    "schedule": 60.0,
    "options": {"expires": 55},
}

# --- care (counselling appointments, wellbeing check-ins) -------------------------------------------
# Crisis phrases (Korean and English): an intake containing one (after NFC normalisation, ignoring case
# and spaces) marks the appointment urgent, alerts the centre lead and shows the 24-hour lines at once.
# Env: CARE_CRISIS_PHRASES (comma-separated; replaces the list).
CARE_CRISIS_PHRASES = env.list(
    "CARE_CRISIS_PHRASES",
    default=[
        "자살",
        "죽고 싶",
        "죽고싶",
        "죽어버리",
        "목숨을 끊",
        "살고 싶지 않",
        "자해",
        "손목을 긋",
        "suicide",
        "kill myself",
        "end my life",
        "want to die",
        "self-harm",
        "self harm",
        "hurt myself",
    ],
)
# Slots start every CARE_SLOT_STEP_MINUTES within a counsellor's hours, at least CARE_MIN_NOTICE_HOURS ahead.
CARE_SLOT_STEP_MINUTES = env.int("CARE_SLOT_STEP_MINUTES", default=60)
CARE_MIN_NOTICE_HOURS = env.int("CARE_MIN_NOTICE_HOURS", default=2)
# A check-in's answer links work this long (signed, single-use).
CARE_CHECKIN_LINK_MAX_AGE_HOURS = env.int("CARE_CHECKIN_LINK_MAX_AGE_HOURS", default=72)
# The reminder's answer window before the notify task applies the enrolment's own, and how long a call
# task may stay open before the check-in escalates to a home visit.
CARE_DEFAULT_ANSWER_WINDOW_HOURS = env.int("CARE_DEFAULT_ANSWER_WINDOW_HOURS", default=4)
CARE_CALL_WINDOW_HOURS = env.int("CARE_CALL_WINDOW_HOURS", default=24)
# Counselling no-shows are counted like rooms' (spaces' BookingPolicy defaults): CARE_NO_SHOW_LIMIT
# no-shows within CARE_NO_SHOW_WINDOW_DAYS ban booking counselling in that district for CARE_NO_SHOW_BAN_DAYS.
CARE_NO_SHOW_LIMIT = env.int("CARE_NO_SHOW_LIMIT", default=3)
CARE_NO_SHOW_WINDOW_DAYS = env.int("CARE_NO_SHOW_WINDOW_DAYS", default=90)
CARE_NO_SHOW_BAN_DAYS = env.int("CARE_NO_SHOW_BAN_DAYS", default=30)
RETENTION_CARE_CHECKINS_DAYS = env.int("RETENTION_CARE_CHECKINS_DAYS", default=365)
RETENTION_CARE_INTAKES_DAYS = env.int("RETENTION_CARE_INTAKES_DAYS", default=3 * 365)
for _name in (
    "CARE_SLOT_STEP_MINUTES",
    "CARE_CHECKIN_LINK_MAX_AGE_HOURS",
    "CARE_DEFAULT_ANSWER_WINDOW_HOURS",
    "CARE_CALL_WINDOW_HOURS",
    "CARE_NO_SHOW_LIMIT",
    "CARE_NO_SHOW_WINDOW_DAYS",
    "CARE_NO_SHOW_BAN_DAYS",
    "RETENTION_CARE_CHECKINS_DAYS",
    "RETENTION_CARE_INTAKES_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
CELERY_BEAT_SCHEDULE.update(
    {
        # Each morning's check-ins are created at 06:00 (idempotent); due ones are queued every 5 minutes.
        "care-create-checkins": {
            "task": "care.tasks.create_morning_checkins",
            "schedule": crontab(hour=6, minute=0),
        },
        "care-dispatch-checkins": {
            "task": "care.tasks.dispatch_due_checkins",
            "schedule": crontab(minute="*/5"),
            "options": {"expires": 240},
        },
        # Overdue check-ins escalate one step (reminder → call → visit); failed sends count as overdue.
        "care-sweep-checkins": {
            "task": "care.tasks.sweep_checkins",
            "schedule": crontab(minute="*/5"),
            "options": {"expires": 240},
        },
        "care-appointment-reminders": {
            "task": "care.tasks.send_appointment_reminders",
            "schedule": crontab(minute=10),
        },
    }
)
# --- benefits (cash benefits: payments, bank accounts, re-verification) -----------------------------
# Fernet keys (comma-separated, newest first) encrypting residents' bank account numbers at rest. Set in
# production; rotating: put the new key first, keep the old one until benefits re-encrypts. Empty (the
# development default): a key derived from SECRET_KEY.
BENEFITS_ACCOUNT_KEYS = env.list("BENEFITS_ACCOUNT_KEYS", default=[])
# How many days before a recurring benefit's period its re-verification is asked for.
BENEFITS_REVERIFY_DAYS_BEFORE = env.int("BENEFITS_REVERIFY_DAYS_BEFORE", default=30)
# A bank account no active benefit or unsettled payment needs is deleted this many days after its change.
RETENTION_BANK_ACCOUNTS_DAYS = env.int("RETENTION_BANK_ACCOUNTS_DAYS", default=180)
# The API schema's names of benefits' status enums (each model has its own "status").
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "BenefitAwardStatusEnum": "benefits.models.AwardStatus",
        "BenefitClaimStatusEnum": "benefits.models.ClaimStatus",
        "BenefitPaymentStatusEnum": "benefits.models.PaymentStatus",
    }
)
CELERY_BEAT_SCHEDULE["benefits-daily"] = {
    "task": "benefits.tasks.benefits_daily",
    "schedule": crontab(hour=5, minute=30),
    "options": {"expires": 3600},
}
# --- inquiries -------------------------------------------------------------------------------------------
# The 48-hour promise counts working hours only (inquiries/clock.py): the working day in Seoul, the weekdays
# worked (0 = Monday), Korean public holidays (the `holidays` package) and the district's extra days off.
INQUIRY_ANSWER_HOURS = env.int("INQUIRY_ANSWER_HOURS", default=48)
INQUIRY_ALERT_HOURS = env.int("INQUIRY_ALERT_HOURS", default=36)
INQUIRY_WORKDAY_START = env.str("INQUIRY_WORKDAY_START", default="09:00")
INQUIRY_WORKDAY_END = env.str("INQUIRY_WORKDAY_END", default="18:00")
INQUIRY_WORKDAYS = env.list("INQUIRY_WORKDAYS", cast=int, default=[0, 1, 2, 3, 4])
INQUIRY_EXTRA_HOLIDAYS = env.list("INQUIRY_EXTRA_HOLIDAYS", default=[])  # ISO dates, e.g. 2026-12-31
# Inbound text messages and emails (inquiries/webhooks.py): the gateway signs each POST with HMAC-SHA256
# of the raw body under this secret (header X-Hana-Signature: hex digest). Empty: the webhooks refuse all.
INQUIRY_WEBHOOK_SECRET = env.str("INQUIRY_WEBHOOK_SECRET", default="")
# A guest's text (a number matched to no verified household) goes to this district (code); also the
# district of an email from an unknown address.
INQUIRY_GUEST_DISTRICT = env.str("INQUIRY_GUEST_DISTRICT", default="11140")
# What people wrote in a finished thread is blanked this long after it was received (figures stay).
RETENTION_INQUIRIES_DAYS = env.int("RETENTION_INQUIRIES_DAYS", default=3 * 365)
# The API schema names the inquiries' status choices (another "status" enum otherwise collides).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["InquiryStatusEnum"] = "inquiries.models.InquiryStatus"
# The sweep that alerts team leads at 36 working hours and marks breaches at 48.
CELERY_BEAT_SCHEDULE["inquiries-sweep"] = {
    "task": "inquiries.tasks.sweep",
    "schedule": 300.0,
    "options": {"expires": 290},
}
# --- community (community building calls and proposals) ----------------------------------------------
# What groups wrote in proposals that were not selected is blanked this long after the decision: 3 years
# covers the call's audit by the district (the selected projects stay as the grant's public record).
RETENTION_COMMUNITY_PROPOSALS_DAYS = env.int("RETENTION_COMMUNITY_PROPOSALS_DAYS", default=3 * 365)
if RETENTION_COMMUNITY_PROPOSALS_DAYS < 1:
    raise ImproperlyConfigured("RETENTION_COMMUNITY_PROPOSALS_DAYS must be at least 1.")
