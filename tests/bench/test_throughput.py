"""The throughput rows' parts that need no server: reading wrk's summary and /proc, the medians, ratios,
CPU per request and targets, and the bench-only URLconf's bare view. No gunicorn, no wrk, no timings."""

from __future__ import annotations

import pytest

from bench import wrk
from bench.proc_cpu import ProcStat, parse_stat, workers_ticks
from bench.throughput import table, throughput_database_url
from bench.throughput_server import set_cookies
from bench.throughput_stats import Sample, Target, cpu_ms_per_request, summarise, verdict

CLEAN = """Running 15s test @ http://127.0.0.1:8201/programs/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    45.12ms   10.23ms 200.00ms   80.00%
    Req/Sec   177.00     20.00   210.00     70.00%
  5312 requests in 15.02s, 80.12MB read
Requests/sec:    353.66
Transfer/sec:      5.33MB
"""

FAILING = """Running 5s test @ http://127.0.0.1:8201/api/v1/programs/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20s   300.00ms   2.00s    60.00%
    Req/Sec     1.09k    77.52     1.23k    52.50%
  4345 requests in 5.00s, 2.15MB read
  Socket errors: connect 0, read 2, write 0, timeout 7
  Non-2xx or 3xx responses: 4000
Requests/sec:    869.00
Transfer/sec:      1.08MB
"""


def test_a_clean_summary_is_read_from_its_labelled_lines():
    result = wrk.parse(CLEAN)
    assert result.requests == 5312
    assert result.seconds == pytest.approx(15.02)
    assert result.requests_per_second == pytest.approx(353.66)
    assert result.latency_avg_ms == pytest.approx(45.12)
    assert result.non_2xx_3xx == 0
    assert result.timeouts == 0
    assert result.failures == 0


def test_non_2xx_responses_and_timeouts_are_counted_as_failures():
    result = wrk.parse(FAILING)
    assert result.non_2xx_3xx == 4000
    assert (result.connect_errors, result.read_errors, result.write_errors, result.timeouts) == (0, 2, 0, 7)
    assert result.failures == 4007
    assert result.latency_avg_ms == pytest.approx(1200.0)  # "1.20s"


@pytest.mark.parametrize(
    ("text", "unit", "ms"),
    [("420.99", "us", 0.42099), ("45.12", "ms", 45.12), ("1.5", "s", 1500.0), ("2.00", "m", 120_000.0)],
)
def test_wrk_time_units_become_milliseconds(text, unit, ms):
    assert wrk.to_ms(text, unit) == pytest.approx(ms)
    summary = CLEAN.replace("45.12ms", f"{text}{unit}")
    assert wrk.parse(summary).latency_avg_ms == pytest.approx(ms)


def test_output_without_a_summary_is_an_error_not_a_zero():
    with pytest.raises(wrk.WrkOutputError):
        wrk.parse("unable to connect to 127.0.0.1:8201 Connection refused\n")


def test_the_command_follows_the_issues_protocol():
    command = wrk.command("http://127.0.0.1:8201/", seconds=15, headers={"X-Forwarded-Proto": "https"})
    assert command[:4] == ["wrk", "-t2", "-c16", "-d15s"]
    assert command[-3:] == ["-H", "X-Forwarded-Proto: https", "http://127.0.0.1:8201/"]


def test_proc_stat_fields_are_counted_after_the_command_name():
    # A command name with spaces and parentheses, as gunicorn's setproctitle names may have.
    line = (
        "4242 (gunicorn: worker [hana (web)]) S 4200 4200 4200 0 -1 4194560 900 0 0 0 1234 56 78 9 20 0 1 0"
    )
    stat = parse_stat(line)
    assert (stat.pid, stat.ppid, stat.utime, stat.stime, stat.cutime, stat.cstime) == (
        4242,
        4200,
        1234,
        56,
        78,
        9,
    )


def test_worker_ticks_are_the_live_workers_plus_what_the_master_reaped():
    master = ProcStat(pid=10, ppid=1, utime=500, stime=500, cutime=30, cstime=12)  # own time left out
    workers = [ProcStat(pid=11, ppid=10, utime=100, stime=20, cutime=0, cstime=0)]
    stranger = ProcStat(pid=99, ppid=1, utime=7000, stime=7000, cutime=0, cstime=0)
    assert workers_ticks([master, *workers, stranger], master_pid=10) == 30 + 12 + 100 + 20


def _sample(rps: float, requests: int, cpu: float, non_2xx: int = 0) -> Sample:
    result = wrk.WrkResult(
        requests=requests, seconds=15.0, requests_per_second=rps, latency_avg_ms=10.0, non_2xx_3xx=non_2xx
    )
    return Sample(wrk=result, cpu_seconds=cpu)


def test_medians_ratio_and_cpu_per_request():
    samples = [_sample(300.0, 4500, 9.0), _sample(100.0, 1500, 6.0), _sample(200.0, 3000, 3.0)]
    summary = summarise("catalog", samples, bare_rps=800.0, target=Target(min_ratio=0.3))
    assert summary.requests_per_second == 200.0
    assert summary.ratio == pytest.approx(0.25)
    # per round: 2.0, 4.0 and 1.0 ms a request; the median is 2.0
    assert summary.cpu_ms == pytest.approx(2.0)
    assert summary.valid
    assert verdict(summary) == "≥ 0.3 × bare MISSED"


def test_cpu_per_request_of_no_requests_is_unknown():
    assert cpu_ms_per_request(1.0, 0) is None
    assert cpu_ms_per_request(1.5, 1000) == pytest.approx(1.5)


def test_a_row_with_any_non_2xx_response_is_invalid_and_says_why():
    samples = [_sample(5000.0, 75000, 3.0), _sample(5100.0, 76000, 3.0, non_2xx=12)]
    summary = summarise("programs API", samples, bare_rps=800.0, target=Target(min_ratio=0.3))
    assert not summary.valid
    assert summary.problems == ["12 non-2xx/3xx, 0 timeouts"]
    assert verdict(summary) == "≥ 0.3 × bare INVALID"
    lines = table([summary])
    assert "invalid" in lines[2] and "5050" not in lines[2]
    assert lines[-1] == "invalid: programs API: 12 non-2xx/3xx, 0 timeouts"


def test_a_redirect_seen_by_the_status_check_makes_the_row_invalid():
    summary = summarise(
        "home",
        [_sample(900.0, 13500, 5.0)],
        bare_rps=900.0,
        target=Target(min_ratio=0.3),
        problems=["before: 301"],
    )
    assert not summary.valid


def test_cpu_targets_are_checked_against_cpu_per_request():
    summary = summarise(
        "catalog (uncached)", [_sample(100.0, 1000, 7.0)], bare_rps=900.0, target=Target(max_cpu_ms=8)
    )
    assert verdict(summary) == "CPU ≤ 8 ms met"
    assert verdict(summarise("spaces", [_sample(100.0, 1000, 7.0)], bare_rps=900.0, target=Target())) == ""


def test_the_throughput_database_sits_next_to_the_configured_one():
    url = "postgres://postgres@127.0.0.1:5432/hana?sslmode=disable"
    assert throughput_database_url(url) == "postgres://postgres@127.0.0.1:5432/hana_throughput"
    assert throughput_database_url("").endswith("var/bench-throughput.sqlite3")


def test_set_cookie_headers_become_a_cookie_jar():
    from email.message import Message

    headers = Message()
    headers["Set-Cookie"] = (
        "csrftoken=abc; expires=Fri, 03 Dec 2027 05:00:00 GMT; Path=/; SameSite=Lax; Secure"
    )
    headers["Set-Cookie"] = "sessionid=xyz; HttpOnly; Path=/; Secure"
    assert set_cookies(headers) == {"csrftoken": "abc", "sessionid": "xyz"}


def test_the_bare_view_answers_through_the_production_middleware(client, settings):
    settings.ROOT_URLCONF = "bench.throughput_urls"
    response = client.get("/bench/bare")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["X-Request-ID"]  # the observability middleware, first in the chain, saw it
    assert client.get("/healthz").status_code in {200, 503}  # and portal's URLs are all still there
