"""End to end in a real browser: a resident registers and applies, a caseworker approves in the admin,
the resident sees "approved" and the inbox message.

The journey runs twice: once with the Content-Security-Policy report-only (nothing blocked, every
violation recorded) and once enforced (the default); both must record no violation at all. Violations
are collected from the `securitypolicyviolation` event (listened for by a script Playwright injects,
which the page's policy does not govern) and from Chromium's console messages about the policy.

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


class CspWatch:
    """Every CSP violation any watched page reports."""

    SCRIPT = """
    document.addEventListener("securitypolicyviolation", (event) => {
      window.hanaCspViolation({
        page: document.location.pathname,
        directive: event.effectiveDirective || event.violatedDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
        disposition: event.disposition,
      });
    });
    """

    def __init__(self):
        self.violations: list[dict] = []

    def __call__(self, page):
        page.expose_function("hanaCspViolation", self._record)
        page.add_init_script(self.SCRIPT)
        page.on("console", self._console)
        return page

    def _record(self, violation: dict) -> None:
        self.violations.append(violation)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append({"console": message.text, "page": message.location.get("url")})


@pytest.fixture(params=["report-only", "enforced"])
def csp(request, settings):
    if request.param == "report-only":
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
        settings.CONTENT_SECURITY_POLICY = None
    watch = CspWatch()
    yield watch
    assert watch.violations == [], f"CSP ({request.param}) violations: {watch.violations}"


def test_resident_applies_and_caseworker_approves(
    live_server, browser, screenshot_on_failure, caseworker_a, manager_a, csp
):
    for staff_member in (caseworker_a, manager_a):
        staff_member.set_password(PASSWORD)
        staff_member.save()
    program = ProgramFactory(
        title="청년 1인가구 커뮤니티 클래스", selection_method="review", district=district(GWANAK)
    )
    question = ProgramQuestion.objects.create(program=program, kind="text", label="참여 동기")
    base = live_server.url

    resident = csp(browser.new_page(viewport={"width": 390, "height": 900}, locale="ko-KR"))  # a Korean phone
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
    staff = csp(browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR"))
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

    # 5. The caseworker's look at the application is on the resident's "who read my data" page.
    resident.goto(f"{base}/accounts/profile/")
    resident.click("a[href='/accounts/my-data/access/']")
    table = resident.locator("main table").inner_text()
    assert reference in table and caseworker_a.email not in table

    # 6. More of the site under the policy: public pages, the admin's lists, history and the API docs.
    for path in ("/", "/programs/", "/spaces/", "/safety/", "/lockers/", "/accounts/consents/"):
        resident.goto(f"{base}{path}")
    for path in (
        "/admin/",
        "/admin/programs/application/?status__exact=approved",
        "/admin/portal/auditevent/",
    ):
        staff.goto(f"{base}{path}")
    staff.goto(f"{base}/admin/programs/application/")
    staff.click(f"text={reference}")
    staff.click("a.historylink")
    staff.wait_for_url("**/history/")
    staff.goto(f"{base}/api/docs/")
    staff.wait_for_selector(".swagger-ui .info")
    staff.locator(".opblock-summary").first.click()  # open an operation: its parameters and models
    staff.wait_for_selector(".opblock-body")
    staff.locator(".models-control, .models h4").first.click()  # the schemas section
    staff.goto(f"{base}/reports/exports/")

    # 7. The district manager's dashboard: the charts are SVG drawn without style attributes.
    manager = csp(browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR"))
    screenshot_on_failure(manager)
    manager.goto(f"{base}/admin/login/?next=/reports/dashboard/")
    manager.fill("input[name=username]", manager_a.email)
    manager.fill("input[name=password]", PASSWORD)
    manager.locator("input[type=submit]").click()
    manager.wait_for_url("**/reports/dashboard/")
    assert manager.locator("svg.chart__svg").count() > 0
    manager.goto(f"{base}/reports/performance/")
    for page in (resident, staff, manager):
        page.wait_for_timeout(300)  # let a last violation event, if any, reach the collector
