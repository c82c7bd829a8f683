"""Browser-test plumbing: a screenshot of every page of a failed test, saved under test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def screenshot_on_failure(request):
    """Register pages with the returned callable; they are photographed if the test fails."""
    pages = []
    yield pages.append
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(pages):
            path = ARTIFACTS / f"{request.node.name}-{number}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot saved: {path}")
