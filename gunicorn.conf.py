"""gunicorn's configuration: `gunicorn -c gunicorn.conf.py portal.wsgi`.

Everything comes from the environment, like the Django settings:
  PORT / GUNICORN_BIND   where to listen (GUNICORN_BIND wins: "0.0.0.0:8000", "unix:/run/hana.sock")
  WEB_CONCURRENCY        worker processes (default 2 × cores + 1, at most 12)
  GUNICORN_THREADS       threads per worker (default 4: requests mostly wait on PostgreSQL and Redis)
  GUNICORN_TIMEOUT       seconds a worker may stay silent before it is killed and replaced (default 30;
                         large exports run in Celery, so no request needs longer)
  GUNICORN_GRACEFUL_TIMEOUT   seconds to finish requests under way on restart/stop (default 30)
  GUNICORN_KEEPALIVE     seconds to hold an idle keep-alive connection from the proxy (default 5; keep
                         it above nothing and below the proxy's own upstream idle timeout)
  GUNICORN_MAX_REQUESTS  a worker is replaced after this many requests (default 1000), with up to
                         GUNICORN_MAX_REQUESTS_JITTER more (default 100) so workers do not all restart at once
  PROMETHEUS_MULTIPROC_DIR   see portal/observability/metrics.py: emptied at start, dead workers marked

Access log: gunicorn's is OFF. Django writes it (logger "hana.access", portal/observability/
middleware.py) as JSON with the request id, the view and the client address from TRUSTED_PROXY_COUNT,
none of which gunicorn knows (its forwarded_allow_ips trusts addresses, not a count of proxies, and it
would log the proxy). gunicorn's error log (start, stop, worker timeouts) goes to stderr.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 12))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

accesslog = None  # Django's hana.access logger writes it (see above)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own trust of X-Forwarded-Proto (for wsgi.url_scheme) stays at its default (local only);
# Django decides the scheme through SECURE_PROXY_SSL_HEADER and the client through TRUSTED_PROXY_COUNT.
if os.environ.get("FORWARDED_ALLOW_IPS"):
    forwarded_allow_ips = os.environ["FORWARDED_ALLOW_IPS"]

# The heartbeat file each worker touches: on /dev/shm (memory), not a disk that may stall and make
# gunicorn think a healthy worker hung (a known trap in containers with overlay file systems).
if Path("/dev/shm").is_dir():  # noqa: S108 - the documented place for it
    worker_tmp_dir = "/dev/shm"  # noqa: S108

proc_name = "hana-web"


def on_starting(server) -> None:
    """Counters in the multiprocess directory are from a previous run: start from nothing."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    """A worker is gone (max_requests, timeout, crash): its live gauges must stop counting."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
