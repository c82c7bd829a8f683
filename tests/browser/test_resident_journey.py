"""End to end in a real browser: a resident registers and applies, a caseworker approves in the admin,
the resident sees "approved" and the inbox message.

Playwright for Python drives Debian's `chromium` (installed by `make test` / CI when possible); the
test skips with a reason when no browser is there. On failure a screenshot is saved under
test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import translation

from programs.models import ApplicationStatus, ProgramQuestion
from tests.factories import GWANAK, ProgramFactory, district

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; reference data (districts) is restored for it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "Hana-browser-test-2026"

if CHROMIUM is None:
    pytest.skip("needs Debian's chromium package (apt-get install chromium)", allow_module_level=True)
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture
def browser():
    # The live server runs in this process; Playwright's sync API needs an event-loop-free thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield instance
        instance.close()


def test_resident_applies_and_caseworker_approves(live_server, browser, screenshot_on_failure, caseworker_a):
    caseworker_a.set_password(PASSWORD)
    caseworker_a.save()
    program = ProgramFactory(
        title="청년 1인가구 커뮤니티 클래스", selection_method="review", district=district(GWANAK)
    )
    question = ProgramQuestion.objects.create(program=program, kind="text", label="참여 동기")
    base = live_server.url

    resident = browser.new_page(viewport={"width": 390, "height": 900}, locale="ko-KR")  # a Korean phone
    screenshot_on_failure(resident)

    # 1. Sign up, confirm the address from the emailed link, and register the household.
    resident.goto(f"{base}/accounts/signup/")
    resident.fill("input[name=email]", "new.resident@example.kr")
    resident.fill("input[name=password1]", PASSWORD)
    resident.fill("input[name=password2]", PASSWORD)
    resident.locator("main form button[type=submit]").click()
    resident.wait_for_url("**/accounts/confirm-email/")
    # ASCII only: in the Korean email the link is followed by Korean text without a space.
    link = re.search(r"https?://[!-~]+?/accounts/confirm-email/[!-.0-~]+/", mail.outbox[-1].body).group(0)
    resident.goto(base + urlsplit(link).path)
    resident.locator("main form button[type=submit]").click()  # confirming logs in, on to the profile
    resident.wait_for_url("**/accounts/profile/edit/")
    resident.fill("input[name=name]", "이하나")
    resident.fill("input[name=birth_date]", "1995-03-02")
    resident.check("input[name=gender][value=female]")
    resident.select_option("select[name=district]", value=str(district(GWANAK).pk))
    resident.check("input[name=housing_tenure][value=monthly_rent]")
    resident.check("input[name=consent_profile]")
    resident.locator("main form button[type=submit]").last.click()
    resident.wait_for_url("**/accounts/profile/")

    # 2. Apply: answer, check the answers, submit, read the reference.
    resident.goto(f"{base}/programs/{program.pk}/apply/")
    resident.fill(f"[name={question.field_name}]", "이웃과 요리를 배우고 싶어요")
    resident.click("button[name=action][value=continue]")
    resident.wait_for_url("**/apply/check/")
    resident.locator("main form button[type=submit]").last.click()
    resident.wait_for_url("**/submitted/")
    reference = resident.locator("main").inner_text()
    assert "HN-" in reference
    reference = next(word for word in reference.split() if word.startswith("HN-"))

    # 3. The caseworker of the district approves it in the admin.
    staff = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    screenshot_on_failure(staff)
    staff.goto(f"{base}/admin/login/?next=/admin/programs/application/")
    staff.fill("input[name=username]", caseworker_a.email)
    staff.fill("input[name=password]", PASSWORD)
    staff.locator("input[type=submit]").click()
    staff.wait_for_url("**/admin/programs/application/")
    staff.click(f"text={reference}")
    staff.locator(".object-tools a[href*='approve']").click()
    staff.locator("form input[type=submit].default").click()
    staff.wait_for_selector(".messagelist")

    # 4. The resident sees the decision and the inbox message.
    with translation.override("ko"):
        approved = str(ApplicationStatus.APPROVED.label)
    resident.goto(f"{base}/programs/applications/")
    assert approved in resident.locator("main").inner_text()
    resident.goto(f"{base}/inbox/")
    assert reference in resident.locator("main").inner_text()
