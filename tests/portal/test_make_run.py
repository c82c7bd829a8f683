"""`make run` serves the portal where HOST and PORT say, and its absolute links say the same address."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")


def plan(*arguments: str) -> str:
    """What `make run` would do (-n: print the commands; nothing installed, no server)."""
    return subprocess.run(  # noqa: S603 - a fixed command of this repository's Makefile
        [MAKE, "-n", "run", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_run_points_absolute_links_at_the_port_it_serves():
    serve = next(line for line in plan("PORT=8123", "HOST=127.0.0.1").splitlines() if "runserver" in line)
    assert "SITE_URL=http://127.0.0.1:8123 " in serve and serve.endswith("runserver 127.0.0.1:8123")


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_an_explicit_site_url_wins():
    assert "SITE_URL=https://hana.example.go.kr " in plan("PORT=8123", "SITE_URL=https://hana.example.go.kr")
