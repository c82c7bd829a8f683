"""The production topology, driven over HTTP and broken on purpose (issue 11).

Builds a production install (`pip install -c constraints.txt .`, no dev extras) in its own virtual
environment and runs, on this machine's PostgreSQL and Redis:

    node A (gunicorn :8101) ─┐                            ┌─ S3 (moto's server, :8190): every file
    node B (gunicorn :8102) ─┼─ PostgreSQL hana_topology ─┤
    Celery worker + beat  ───┘                            └─ Redis of its own (:6390): the broker on
                                                             database 0, the cache on 1, as in
                                                             docker-compose.yml

Each node has its own empty MEDIA_ROOT: a file only one of them could see would fail the journey.
The journey: a resident applies with a document on node A, a caseworker downloads it on node B, a
manager's background export is written by the worker and downloaded from node B. Then the faults:
the worker killed with -9 during a burst of 200 notifications, the broker stopped for 30 s during a
stream of submissions, the app's database connections terminated. It asserts: no 5xx for saved work,
every outbox row ends, no notification delivered twice under two identities, no application left
unjudged. The measured figures are printed as a table (and written to var/topology/result.json).

    .venv/bin/python .ci/topology.py            # what CI runs (needs PostgreSQL and Redis)
    .venv/bin/python .ci/topology.py --kills 5  # the closing note's measurement
"""

from __future__ import annotations

import argparse
import email
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "topology"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "hana_topology"
NODE_PORTS = {"A": 8101, "B": 8102}
BROKER_PORT = 6390
S3_PORT = 8190
BUCKET = "hana-topology"
DEMO_PASSWORD = "hana-demo-2026"  # noqa: S105 - the demo accounts' published password
RESIDENT_PASSWORD = "topology-resident-2026"  # noqa: S105 - .ci/topology_scene.py
ENDED = "('sent', 'failed', 'cancelled')"  # the statuses an outbox row ends in
METRICS_TOKEN = "topology-metrics-" + uuid.uuid4().hex
SWEEP_SECONDS = 5  # the relay, requeue and reaper intervals in this run (production: minutes)
STUCK_AFTER_SECONDS = 20  # a `sending` row older than this is the reaper's (production: 10 minutes)


def log(message: str) -> None:
    print(f"[topology {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Failure(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def wait_for(what: str, predicate, *, timeout: float, every: float = 0.5):
    """Poll `predicate` until it returns something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# --- the machine ------------------------------------------------------------------------------------


def psql(sql: str, *, database: str = DB_NAME) -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAX", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def scalar(sql: str) -> int:
    return int(psql(sql) or 0)


class Topology:
    def __init__(self, *, venv: Path) -> None:
        self.venv = venv
        self.processes: dict[str, subprocess.Popen] = {}
        self.mail_dir = WORK / "mail"
        self.env = self._environment()

    # The production configuration: nothing but environment variables.
    def _environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER"}
        }
        env.update(
            {
                "PATH": f"{self.venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
                "DJANGO_SETTINGS_MODULE": "portal.settings",
                "DEBUG": "false",
                # Off without DEBUG by default; staff here log in with a password only (no TOTP device).
                "STAFF_OTP_REQUIRED": "false",
                "SECRET_KEY": "topology-" + uuid.uuid4().hex,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                # The nodes are reached over plain HTTP here; TLS would be the proxy's.
                "SECURE_SSL_REDIRECT": "false",
                "SESSION_COOKIE_SECURE": "false",
                "CSRF_COOKIE_SECURE": "false",
                "SECURE_HSTS_SECONDS": "0",
                "TRUSTED_PROXY_COUNT": "1",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
                # One Redis for the cache and the broker, as docker-compose.yml has it: stopping "the
                # broker" takes the cache away too, and the site must serve through both.
                "REDIS_URL": f"redis://127.0.0.1:{BROKER_PORT}/1",
                "CELERY_BROKER_URL": f"redis://127.0.0.1:{BROKER_PORT}/0",
                "EMAIL_URL": f"filemail:///{self.mail_dir}",  # environ drops one slash of the path
                "SMS_BACKEND": "console",
                "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
                "AWS_ACCESS_KEY_ID": "topology",
                "AWS_SECRET_ACCESS_KEY": "topology-secret",
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "WEB_CONCURRENCY": "2",
                "LOG_FORMAT": "json",
                "METRICS_TOKEN": METRICS_TOKEN,
                "EXPORT_DIRECT_MAX_ROWS": "1",  # every export goes to the worker
                # The recovery sweeps, shortened consistently (the reaper's timeout outlasts the hard
                # limit of a task, as the settings insist) so that a CI run sees them all at work.
                "RECOVERY_SWEEP_SECONDS": str(SWEEP_SECONDS),
                "CELERY_TASK_SOFT_TIME_LIMIT": "10",
                "CELERY_TASK_TIME_LIMIT": "15",
                "NOTIFICATION_SENDING_TIMEOUT_SECONDS": str(STUCK_AFTER_SECONDS),
                "NOTIFICATION_REQUEUE_AFTER_SECONDS": "10",
                "APPLICATION_EVALUATION_SWEEP_SECONDS": "15",
                "API_THROTTLE_USER": "100000/min",
                "API_THROTTLE_ANON": "100000/min",
            }
        )
        return env

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [str(self.venv / "bin" / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise Failure(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name: str, command: list[str], *, env: dict[str, str] | None = None) -> None:
        handle = (WORK / f"{name}.log").open("a")
        # A process group of its own: `kill -9` reaches the worker's pool children too.
        self.processes[name] = subprocess.Popen(  # noqa: S603 - fixed commands of this script
            command,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM if name != "broker" else signal.SIGKILL)

    # --- the services --------------------------------------------------------------------------
    def start_broker(self) -> None:
        self.start(
            "broker",
            ["redis-server", "--port", str(BROKER_PORT), "--save", "", "--appendonly", "no"],
        )
        wait_for("the broker", lambda: _redis_ping(BROKER_PORT), timeout=20, every=0.2)

    def start_s3(self) -> None:
        moto = Path(sys.executable).with_name("moto_server")
        self.start("s3", [str(moto), "-H", "127.0.0.1", "-p", str(S3_PORT)])
        wait_for("the S3 endpoint", lambda: _http_ok(f"http://127.0.0.1:{S3_PORT}/"), timeout=30)
        requests.put(f"http://127.0.0.1:{S3_PORT}/{BUCKET}", timeout=10).raise_for_status()

    def start_node(self, name: str) -> None:
        media = WORK / f"node-{name}" / "media"
        media.mkdir(parents=True, exist_ok=True)
        metrics = WORK / f"node-{name}" / "prometheus"
        metrics.mkdir(parents=True, exist_ok=True)
        port = NODE_PORTS[name]
        self.start(
            f"node-{name}",
            [str(self.venv / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi:application"],
            env={
                "MEDIA_ROOT": str(media),
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "PROMETHEUS_MULTIPROC_DIR": str(metrics),
            },
        )
        wait_for(
            f"node {name}", lambda: _http_ok(f"http://127.0.0.1:{port}/healthz", any_status=True), timeout=60
        )

    def start_worker(self) -> None:
        media = WORK / "worker" / "media"
        media.mkdir(parents=True, exist_ok=True)
        self.start(
            "worker",
            [str(self.venv / "bin" / "python"), "-m", "celery", "-A", "portal", "worker",
             "--loglevel=INFO", "--concurrency=2", "--without-gossip", "--without-mingle"],
            env={"MEDIA_ROOT": str(media)},
        )  # fmt: skip

    def start_beat(self) -> None:
        self.start(
            "beat",
            [str(self.venv / "bin" / "python"), "-m", "celery", "-A", "portal", "beat", "--loglevel=INFO",
             f"--schedule={WORK / 'celerybeat-schedule'}"],
        )  # fmt: skip


def _redis_ping(port: int) -> bool:
    result = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(port), "ping"], capture_output=True, text=True
    )
    return result.stdout.strip() == "PONG"


def _http_ok(url: str, *, any_status: bool = False) -> bool:
    try:
        response = requests.get(url, timeout=2)
    except requests.RequestException:
        return False
    return any_status or response.ok


# --- a browser-less client ----------------------------------------------------------------------


class Client:
    """One person's session on one node (sessions live in the database, so any node honours them)."""

    def __init__(self, node: str, *, address: str) -> None:
        self.base = f"http://127.0.0.1:{NODE_PORTS[node]}"
        self.session = requests.Session()
        # What the TLS proxy in front would add (TRUSTED_PROXY_COUNT=1): the client's own address.
        self.session.headers["X-Forwarded-For"] = address
        self.session.headers["Accept-Language"] = "ko"

    def on(self, node: str) -> Client:
        """The same session, now talking to another node."""
        other = Client(node, address=self.session.headers["X-Forwarded-For"])
        other.session = self.session
        return other

    def url(self, path: str) -> str:
        return self.base + path

    def login(self, email_address: str, password: str) -> None:
        self.session.get(self.url("/accounts/login/"), timeout=10).raise_for_status()
        response = self.session.post(
            self.url("/accounts/login/"),
            data={"login": email_address, "password": password},  # allauth's form
            headers={"X-CSRFToken": self.csrf, "Referer": self.url("/accounts/login/")},
            allow_redirects=False,
            timeout=10,
        )
        check(response.status_code == 302, f"login of {email_address} answered {response.status_code}")

    @property
    def csrf(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-CSRFToken": self.csrf, "Referer": self.url("/"), **kwargs.pop("headers", {})}
        return self.session.request(method, self.url(path), headers=headers, timeout=30, **kwargs)


# --- the journey ---------------------------------------------------------------------------------


def journey(topology: Topology, scene: dict[str, int], results: dict[str, Any]) -> None:
    log("journey: a resident applies with a document on node A")
    resident = Client("A", address="203.0.113.10")
    resident.login("topology000@hana.test", RESIDENT_PASSWORD)
    draft = resident.api("POST", "/api/v1/applications/drafts/", json={"program": scene["documents"]})
    check(draft.status_code in (200, 201), f"draft answered {draft.status_code}: {draft.text[:300]}")
    application_id = draft.json()["id"]
    question = scene["question"]
    content = b"%PDF-1.4\n% lease for the topology test " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
    upload = resident.api(
        "POST",
        f"/api/v1/applications/{application_id}/documents/",
        data={"question": question},
        files={"file": ("lease.pdf", content, "application/pdf")},
    )
    check(upload.status_code == 201, f"upload answered {upload.status_code}: {upload.text[:300]}")
    document_id = upload.json()["id"]
    submit = resident.api("POST", f"/api/v1/applications/{application_id}/submit/", json={})
    check(submit.status_code == 200, f"submit answered {submit.status_code}: {submit.text[:300]}")
    check(
        not any((WORK / "node-A" / "media").rglob("*")),
        "node A kept the upload on its local disk: files must live in object storage",
    )

    log("journey: a caseworker downloads it on node B")
    caseworker = Client("B", address="198.51.100.20")
    caseworker.login("caseworker.gwanak@hana.demo", DEMO_PASSWORD)
    download = caseworker.session.get(caseworker.url(f"/programs/documents/{document_id}/"), timeout=30)
    if download.is_redirect or download.history:
        log("  (answered through a signed URL)")
    check(download.status_code == 200, f"staff download on node B answered {download.status_code}")
    check(download.content == content, "the document downloaded on node B is not the one uploaded on node A")

    log("journey: a manager's export is written by the worker and downloaded from node B")
    manager = Client("A", address="198.51.100.30")
    manager.login("manager.gwanak@hana.demo", DEMO_PASSWORD)
    manager.session.get(manager.url("/reports/exports/"), timeout=10).raise_for_status()
    response = manager.session.post(
        manager.url("/reports/exports/"),
        data={"dataset": "households", "format": "csv"},
        headers={"X-CSRFToken": manager.csrf, "Referer": manager.url("/reports/exports/")},
        allow_redirects=False,
        timeout=30,
    )
    check(response.status_code == 302, f"export form answered {response.status_code}: {response.text[:300]}")
    job_path = response.headers["Location"]
    job_id = job_path.rstrip("/").rsplit("/", 1)[-1]
    wait_for(
        "the export job",
        lambda: psql(f"SELECT status FROM portal_exportjob WHERE id = '{job_id}'") == "done",
        timeout=120,
    )
    exported = manager.on("B").session.get(
        manager.on("B").url(f"/reports/exports/{job_id}/download/"), timeout=30
    )
    check(exported.status_code == 200, f"export download on node B answered {exported.status_code}")
    lines = exported.content.decode("utf-8-sig").splitlines()
    check(len(lines) > 100, f"the export has {len(lines)} lines, not a header and the district's households")
    results["journey"] = "passed"


# --- the faults ----------------------------------------------------------------------------------


def outbox_counts() -> Counter:
    rows = psql("SELECT status, count(*) FROM portal_notification WHERE channel <> 'in_app' GROUP BY status")
    return Counter({line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if line})


def burst_with_kill(topology: Topology, round_no: int, results: dict[str, Any]) -> None:
    tag = f"topology.burst.{uuid.uuid4().hex[:8]}"
    log(f"fault {round_no}: a burst of 200 notifications, the worker killed with -9 during delivery")
    topology.manage(
        "shell",
        "-c",
        "from django.db import transaction\n"
        "from portal.models import User\n"
        "from portal.notifications import notify\n"
        "users = list(User.objects.filter(email__startswith='topology').order_by('pk')[:100])\n"
        "with transaction.atomic():\n"
        "    for i in range(200):\n"
        "        notify(user=users[i % len(users)], template='application.submitted',\n"
        f"               event_key='{tag}:%d' % i,\n"
        "               context={'program': '토폴로지', 'reference': 'HN-%04d' % i})\n",
    )
    burst = f"event_key LIKE '{tag}:%' AND channel = 'email'"
    sent_so_far = f"SELECT count(*) FROM portal_notification WHERE {burst} AND status = 'sent'"
    wait_for("delivery to start", lambda: scalar(sent_so_far) >= 10, timeout=60, every=0.02)
    topology.kill("worker")
    in_flight = scalar(f"SELECT count(*) FROM portal_notification WHERE {burst} AND status = 'sending'")
    sent = scalar(f"SELECT count(*) FROM portal_notification WHERE {burst} AND status = 'sent'")
    log(f"  killed with {sent} sent and {in_flight} in flight")
    time.sleep(1)
    topology.start_worker()
    started = time.monotonic()
    wait_for(
        "every row of the burst to end",
        lambda: (
            scalar(f"SELECT count(*) FROM portal_notification WHERE {burst} AND status NOT IN {ENDED}") == 0
        ),  # noqa: E501
        timeout=STUCK_AFTER_SECONDS + 10 * SWEEP_SECONDS + 120,
    )
    results.setdefault("kills", []).append(
        {
            "sent_before_kill": sent,
            "in_flight_at_kill": in_flight,
            "seconds_to_end": round(time.monotonic() - started, 1),
        }
    )


def mail_census() -> tuple[int, int]:
    """(distinct notifications delivered, extra copies of one) by the Message-ID each row carries."""
    seen: Counter = Counter()
    for path in topology_mail_files():
        for message in _messages(path):
            seen[message.get("Message-ID", "").strip()] += 1
    return len(seen), sum(count - 1 for count in seen.values())


def topology_mail_files() -> list[Path]:
    return sorted((WORK / "mail").glob("*.log"))


def _messages(path: Path) -> list[email.message.Message]:
    # Django's file backend writes each message followed by a line of 79 dashes.
    chunks = re.split(r"\n-{79}\n", path.read_text(encoding="utf-8", errors="replace"))
    return [email.message_from_string(chunk) for chunk in chunks if chunk.strip()]


def broker_outage(topology: Topology, scene: dict[str, int], outage: int, results: dict[str, Any]) -> None:
    log(f"fault: the broker stopped for {outage} s during a stream of submissions")
    residents = [Client("AB"[n % 2], address=f"203.0.113.{100 + n}") for n in range(1, 41)]
    # Four at a time (two nodes of two workers): a login checks a deliberately slow password hash.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: residents[n - 1].login(f"topology{n:03d}@hana.test", RESIDENT_PASSWORD),
                      range(1, len(residents) + 1)))  # fmt: skip
    answers: list[tuple[int, int | None]] = []
    latencies: dict[str, list[float]] = {"up": [], "down": []}  # seconds per submission, over HTTP
    stopped_at = None
    degraded_seen = False
    index = 0
    stream_start = time.monotonic()
    while index < len(residents):
        elapsed = time.monotonic() - stream_start
        if stopped_at is None and elapsed > 3:
            topology.kill("broker")
            stopped_at = time.monotonic()
            log("  broker stopped")
        if stopped_at and "broker" not in topology.processes and time.monotonic() - stopped_at >= outage:
            topology.start_broker()
            log("  broker back")
            restored_at = time.monotonic()
        if stopped_at and "broker" not in topology.processes and not degraded_seen:
            health = requests.get(f"http://127.0.0.1:{NODE_PORTS['B']}/healthz", timeout=10)
            body = health.json()
            check(health.status_code == 200, f"/healthz answered {health.status_code} with the broker down")
            check(
                body["status"] == "degraded" and body["checks"]["broker"]["status"] != "ok",
                f"/healthz: {body}",
            )
            degraded_seen = True
        client = residents[index]
        broker_down = "broker" not in topology.processes
        sent_at = time.perf_counter()
        response = client.api(
            "POST", "/api/v1/applications/", json={"program": scene["stream"], "answers": {}}
        )
        latencies["down" if broker_down else "up"].append(time.perf_counter() - sent_at)
        answers.append(
            (response.status_code, response.json().get("id") if response.status_code == 201 else None)
        )
        index += 1
        time.sleep(max(0.0, (outage + 10) / len(residents) - 0.05))
    if "broker" not in topology.processes:
        topology.start_broker()
        restored_at = time.monotonic()
    stream = f"program_id = {scene['stream']}"
    errors = [code for code, _id in answers if code >= 500]
    check(not errors, f"{len(errors)} submissions answered 5xx during the broker outage: {errors[:5]}")
    check(all(code == 201 for code, _id in answers), f"submissions answered {Counter(c for c, _ in answers)}")
    wait_for(
        "every submitted application to be judged after the broker returned",
        lambda: (
            scalar(f"SELECT count(*) FROM programs_application WHERE {stream} AND status = 'submitted'") == 0
        ),  # noqa: E501
        timeout=10 * SWEEP_SECONDS + 300,
    )
    drained = time.monotonic() - restored_at
    saved = scalar(f"SELECT count(*) FROM programs_application WHERE {stream}")
    check(saved == len(answers), f"{len(answers)} submissions answered 201 but {saved} applications exist")
    results["broker_outage"] = {
        "submission_ms_p50_p95_broker_up": _percentiles(latencies["up"]),
        "submission_ms_p50_p95_broker_down": _percentiles(latencies["down"]),
        "outage_seconds": outage,
        "submissions": len(answers),
        "answered_5xx": len(errors),
        "lost": len(answers) - saved,
        "seconds_to_judge_all_after_broker_returned": round(drained, 1),
    }


def _percentiles(seconds: list[float]) -> str:
    if not seconds:
        return "-"
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered) * 1000:.0f} / {p95 * 1000:.0f}"


def database_connections_terminated(
    topology: Topology, scene: dict[str, int], results: dict[str, Any]
) -> None:
    log("fault: the app's database connections terminated")
    client = Client("A", address="203.0.113.200")
    client.login("topology100@hana.test", RESIDENT_PASSWORD)
    client_b = client.on("B")
    killed = scalar(
        f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{DB_NAME}' "
        "AND pid <> pg_backend_pid()"
    )
    codes = [client.api("GET", "/api/v1/applications/").status_code for _ in range(5)]
    codes += [client_b.api("GET", "/api/v1/applications/").status_code for _ in range(5)]
    check(all(code == 200 for code in codes), f"after the connections were terminated: {codes}")
    request_id = "topology-" + uuid.uuid4().hex
    response = client.api(
        "POST",
        "/api/v1/applications/",
        json={"program": scene["stream"], "answers": {}},
        headers={"X-Request-ID": request_id},
    )
    check(response.status_code == 201, f"a submission after the termination answered {response.status_code}")
    check(response.headers.get("X-Request-ID") == request_id, "the node did not answer with the request id")
    application_id = response.json()["id"]
    log(f"  {killed} connections terminated; the nodes answered {dict(Counter(codes))} and took a submission")
    judged_from = time.monotonic()
    wait_for(
        "the new application to be judged by the reconnected worker",
        lambda: psql(f"SELECT status FROM programs_application WHERE id = {application_id}") != "submitted",
        timeout=10 * SWEEP_SECONDS + 120,
    )
    judged_after = round(time.monotonic() - judged_from, 1)
    results["database_terminated"] = {
        "connections_terminated": killed,
        "answers_after": dict(Counter(codes)),
        "seconds_until_the_worker_judged_a_new_application": judged_after,
    }
    log(f"  the worker judged it {judged_after} s later")
    wait_for(
        "the worker's log lines of that request's task to carry its request id",
        lambda: request_id in (WORK / "worker.log").read_text(errors="replace"),
        timeout=30,
    )


def eyes(results: dict[str, Any]) -> None:
    """/healthz ok on both nodes (beat's heartbeat included) and /metrics behind its token."""
    for name, port in NODE_PORTS.items():
        url = f"http://127.0.0.1:{port}/healthz"
        wait_for(f"node {name}'s /healthz to be ok", lambda url=url: _healthy(url), timeout=90, every=2)
        checks = requests.get(url, timeout=10).json()["checks"]
        results.setdefault("healthz", {})[name] = {key: value["status"] for key, value in checks.items()}
    metrics_url = f"http://127.0.0.1:{NODE_PORTS['A']}/metrics"
    check(
        requests.get(metrics_url, timeout=10).status_code in (401, 404), "/metrics answered without its token"
    )
    scraped = requests.get(metrics_url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10)
    check(scraped.status_code == 200, f"/metrics with its token answered {scraped.status_code}")
    for family in ("hana_outbox_notifications", "hana_task_outbox", "hana_http_requests_total"):
        check(family in scraped.text, f"/metrics has no {family}")


def _healthy(url: str) -> bool:
    response = requests.get(url, timeout=10)
    return response.status_code == 200 and response.json()["status"] == "ok"


# --- the run -----------------------------------------------------------------------------------


def build_production_install(venv: Path) -> None:
    stamp = venv / ".hana-constraints"
    constraints = (ROOT / "constraints.txt").read_text()
    if stamp.exists() and stamp.read_text() == constraints + (ROOT / "pyproject.toml").read_text():
        log(f"production install: reusing {venv}")
        return
    log(f"production install: pip install -c constraints.txt . into {venv} (no dev extras)")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run(
        [*pip, "-c", str(ROOT / "constraints.txt"), str(ROOT)], cwd=WORK, capture_output=True, text=True
    )
    if done.returncode:
        raise Failure(f"the production install failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    # `pip install .` leaves a build/ directory behind in the checkout.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    stamp.write_text(constraints + (ROOT / "pyproject.toml").read_text())


def fresh_database() -> None:
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", database="postgres")
    psql(f"CREATE DATABASE {DB_NAME}", database="postgres")


def final_census(results: dict[str, Any]) -> None:
    counts = outbox_counts()
    results["outbox"] = dict(counts)
    check(
        counts.get("pending", 0) == 0 and counts.get("sending", 0) == 0,
        f"outbox rows did not end: {dict(counts)}",
    )
    unjudged = scalar("SELECT count(*) FROM programs_application WHERE status = 'submitted'")
    results["unjudged_applications"] = unjudged
    check(unjudged == 0, f"{unjudged} applications left unjudged")
    sent_email = scalar(
        "SELECT count(*) FROM portal_notification WHERE channel = 'email' AND status = 'sent'"
    )
    distinct, copies = mail_census()
    results["email"] = {
        "rows_sent": sent_email,
        "distinct_messages": distinct,
        "resent_same_message_id": copies,
    }
    check(distinct == sent_email, f"{sent_email} email rows sent but {distinct} distinct messages delivered")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--venv", type=Path, default=WORK / "venv", help="where the production install goes")
    parser.add_argument("--kills", type=int, default=1, help="bursts of 200 with a worker kill -9 each")
    parser.add_argument("--outage", type=int, default=30, help="seconds the broker stays down")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    for stale in ("node-A", "node-B", "worker", "mail"):
        shutil.rmtree(WORK / stale, ignore_errors=True)
    for old_log in WORK.glob("*.log"):
        old_log.unlink()
    (WORK / "mail").mkdir()
    build_production_install(args.venv)
    topology = Topology(venv=args.venv)
    results: dict[str, Any] = {}
    try:
        fresh_database()
        topology.start_broker()
        topology.start_s3()
        log("migrate, demo data, the scene")
        topology.manage("collectstatic", "--noinput")  # as the Dockerfile does (manifest storage)
        topology.manage("migrate", "--noinput")
        log("  migrated")
        topology.manage("load_demo")
        log("  demo data loaded")
        topology.manage("shell", stdin=(ROOT / ".ci" / "topology_scene.py").read_text())
        scene = json.loads(topology.manage("shell", "-c", SCENE_IDS).strip().splitlines()[-1])
        topology.start_worker()
        topology.start_beat()
        topology.start_node("A")
        topology.start_node("B")
        journey(topology, scene, results)
        for round_no in range(1, args.kills + 1):
            burst_with_kill(topology, round_no, results)
        broker_outage(topology, scene, args.outage, results)
        database_connections_terminated(topology, scene, results)
        wait_for(
            "the outbox to end every row",
            lambda: sum(outbox_counts()[s] for s in ("pending", "sending")) == 0,
            timeout=STUCK_AFTER_SECONDS + 10 * SWEEP_SECONDS + 120,
        )
        log("every outbox row ended")
        final_census(results)
        eyes(results)
    except Failure as failure:
        log(f"FAILED: {failure}")
        for name in ("node-A", "node-B", "worker", "beat"):
            path = WORK / f"{name}.log"
            if path.exists():
                log(f"--- last lines of {name}.log")
                print("\n".join(path.read_text(errors="replace").splitlines()[-25:]))
        return 1
    finally:
        topology.stop_all()
        (WORK / "result.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    report(results)
    return 0


SCENE_IDS = (
    "import json\n"
    "from programs.models import Program, ProgramQuestion\n"
    "documents = Program.objects.get(slug='topology-documents')\n"
    "print(json.dumps({'documents': documents.pk, 'stream': Program.objects.get(slug='topology-stream').pk,"
    " 'question': ProgramQuestion.objects.get(program=documents, kind='file').pk}))\n"
)


def report(results: dict[str, Any]) -> None:
    log("passed")
    print("\n| measure | value |\n|---|---|")
    outage = results.get("broker_outage", {})
    for key, value in outage.items():
        print(f"| broker outage: {key.replace('_', ' ')} | {value} |")
    for n, kill in enumerate(results.get("kills", []), start=1):
        print(
            f"| worker kill -9 #{n}: in flight / sent before / seconds until every row ended | "
            f"{kill['in_flight_at_kill']} / {kill['sent_before_kill']} / {kill['seconds_to_end']} |"
        )
    for key, value in results.get("database_terminated", {}).items():
        print(f"| database connections terminated: {key.replace('_', ' ')} | {value} |")
    mail = results.get("email", {})
    figures = [mail.get(key) for key in ("rows_sent", "distinct_messages", "resent_same_message_id")]
    print(
        "| email rows sent / distinct messages / re-sent with the same Message-ID | "
        + " / ".join(map(str, figures))
        + " |"
    )
    print(f"| outbox rows at the end | {results.get('outbox')} |")
    print(f"| applications left unjudged | {results.get('unjudged_applications')} |")


if __name__ == "__main__":
    sys.exit(main())
