"""The production settings, unchanged, with one URL more: the bare view the throughput rows compare
every page with (bench/throughput_urls.py). Used only by the gunicorn that bench/throughput.py starts."""

from portal.settings import *  # noqa: F403 - exactly the production settings, middleware included

ROOT_URLCONF = "bench.throughput_urls"
