"""The topology test's scene, run in the production install with `manage.py shell`: a program that asks
for a document, a program for the submission stream, and the residents who apply. Idempotent.

Everything else the journey uses comes from `load_demo` (staff accounts, districts, notifications).
"""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from households.models import Consent, Household
from portal.models import District, User
from programs.models import Program, ProgramQuestion, ProgramStatus, QuestionKind, SelectionMethod
from programs.services import program_rules_changed

PASSWORD = "topology-resident-2026"  # noqa: S105 - a throwaway database of the CI run
RESIDENTS = 120
# One hash for every resident: hashing is deliberately slow, and they share the password anyway.
password_hash = make_password(PASSWORD)
gwanak = District.objects.select_related("city").get(code="11620")
today = timezone.localdate()


def program(slug: str, title: str, title_en: str) -> Program:
    item, _created = Program.objects.update_or_create(
        slug=slug,
        defaults={
            "title": title,
            "title_en": title_en,
            "summary": "관악구 1인가구 지원 사업",
            "summary_en": "Support for people living alone in Gwanak-gu",
            "category": "social",
            "for_youth": True,
            "for_middle_aged": True,
            "benefit_type": "service",
            "target_text": "관악구 거주 1인가구",
            "benefit_text": "상담과 지원",
            "how_to_apply": "온라인 신청",
            "department": "관악구 1인가구지원과",
            "contact": "02-879-0000",
            "status": ProgramStatus.PUBLISHED,
            "selection_method": SelectionMethod.REVIEW,
            "application_start": today - timedelta(days=1),
            "application_end": today + timedelta(days=30),
            "city": gwanak.city,
            "district": gwanak,
        },
    )
    program_rules_changed(program=item)
    return item


with_document = program("topology-documents", "전월세 계약서 확인 상담 (토폴로지)", "Lease review (topology)")
ProgramQuestion.objects.get_or_create(
    program=with_document,
    kind=QuestionKind.FILE,
    defaults={"label": "임대차계약서 사본", "label_en": "Copy of the lease", "position": 1},
)
stream = program("topology-stream", "1인가구 안부 확인 (토폴로지)", "Check-in calls (topology)")

for n in range(RESIDENTS):
    user, created = User.objects.get_or_create(
        email=f"topology{n:03d}@hana.test", defaults={"role": User.Role.RESIDENT}
    )
    if created:
        user.password = password_hash
        user.save(update_fields=["password"])
    # A verified address (allauth): only verified accounts apply.
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    Household.objects.get_or_create(
        user=user,
        defaults={
            "name": f"토폴로지{n:03d}",
            "birth_date": date(1990, 1, 1) + timedelta(days=n),
            "gender": "female" if n % 2 else "male",
            "phone": f"010-5555-{n:04d}",
            "district": gwanak,
            "housing_tenure": "monthly_rent",
            "household_size": 1,
            "monthly_income": 2_000_000,
            "employment": "employed",
            "notify_by_email": True,
        },
    )
    Consent.objects.get_or_create(
        user=user,
        purpose=Consent.Purpose.PROFILE,
        defaults={"version": "topology", "given_at": timezone.now()},
    )

print(f"scene: documents={with_document.pk} stream={stream.pk} residents={RESIDENTS}")
