"""Eyes on a running Hana: request ids, JSON logs, Prometheus metrics, error reporting.

- requestid.py: the request id (X-Request-ID) kept in a contextvar, and the task context beside it.
- middleware.py: one middleware per request: the id, the access log line, the request metrics.
- logging.py: the logging filter and formatters that put the ids on every line.
- celery_signals.py: Celery signals: the id travels in the message headers; task counters.
- metrics.py: the Prometheus metrics and the protected /metrics view.
- sentry.py: optional error reporting, with personal data scrubbed.
"""
