# One image for web, worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings

# gettext compiles translations; postgresql-client gives ops/backup and ops/restore pg_dump/pg_restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 hana

WORKDIR /app
# The same pins as CI and `make run` (constraints.txt is the lock); no dev extras in the image.
COPY . .
RUN pip install -c constraints.txt . && rm -rf build

# Static files are collected at build time and served by WhiteNoise (no separate web server needed).
RUN DEBUG=false SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R hana:hana /app/var

USER hana
EXPOSE 8000
# gunicorn.conf.py reads WEB_CONCURRENCY, PORT and the timeouts from the environment.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi:application"]
