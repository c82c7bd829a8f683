"""factory_boy factories. Districts and cities come from the reference-data migration."""

from __future__ import annotations

from datetime import date

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from households.models import Consent, Household
from portal.models import District, User
from programs.models import (
    Application,
    ApplicationStatus,
    Criterion,
    CriterionGroup,
    Logic,
    Program,
    ProgramQuestion,
    ProgramStatus,
    QuestionKind,
)
from programs.services import program_rules_changed

GWANAK = "11620"
JUNGGU = "11140"
YEONGDEUNGPO = "11560"


def district(code: str = GWANAK) -> District:
    return District.objects.select_related("city").get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.kr")
    password = factory.django.Password("correct-horse-battery-42")
    role = User.Role.RESIDENT

    @factory.post_generation
    def email_verified(self, create, extracted, **kwargs):
        """A verified primary address (allauth), as every account that may apply or book has;
        ``UserFactory(email_verified=False)`` leaves it unverified."""
        if create:
            EmailAddress.objects.update_or_create(
                user=self,
                email=self.email,
                defaults={"primary": True, "verified": extracted is not False},
            )


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = "김하나"
    birth_date = date(1994, 5, 12)
    gender = "female"
    phone = "010-1234-5678"
    # An established resident: their number was verified (texts go only to verified numbers). Tests of
    # the verification itself pass phone_verified_at=None.
    phone_verified_at = factory.LazyFunction(timezone.now)
    district = factory.LazyFunction(lambda: district(GWANAK))
    housing_tenure = "monthly_rent"
    household_size = 1
    monthly_income = 2_100_000
    employment = "employed"

    @factory.post_generation
    def consents(obj, create, extracted, **kwargs):
        if not create:
            return
        for purpose in extracted if extracted is not None else [Consent.Purpose.PROFILE]:
            Consent.objects.create(user=obj.user, purpose=purpose, version="test", given_at=timezone.now())


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    title = factory.Sequence(lambda n: f"청년 1인가구 프로그램 {n}")
    title_en = factory.Sequence(lambda n: f"Youth program {n}")
    summary = "1인가구를 위한 지원 사업"
    summary_en = "Support for people living alone"
    category = "social"
    for_youth = True
    benefit_type = "service"
    target_text = "관악구 거주 청년 1인가구"
    benefit_text = "소모임 활동 지원"
    how_to_apply = "온라인 신청"
    department = "관악구 1인가구지원과"
    contact = "02-879-0000"
    status = ProgramStatus.PUBLISHED
    city = factory.LazyAttribute(lambda o: (o.district or district(GWANAK)).city)
    district = factory.LazyFunction(lambda: district(GWANAK))


def add_rules(program: Program, *criteria: dict, logic: str = Logic.ALL) -> CriterionGroup:
    """Give `program` a root group with the given criteria (dicts of Criterion fields)."""
    root = CriterionGroup.objects.create(program=program, logic=logic)
    for position, spec in enumerate(criteria):
        Criterion.objects.create(
            group=root, position=position, explanation=spec.pop("explanation", "조건"), **spec
        )
    program_rules_changed(program=program)
    return root


PASSWORD = "correct-horse-battery-42"  # what UserFactory sets


def login(client, user: User):
    """force_login `user` on the test client and return the client, for one-line fixtures."""
    client.force_login(user)
    return client


class ProgramQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramQuestion

    program = factory.SubFactory(ProgramFactory)
    kind = QuestionKind.TEXT
    label = factory.Sequence(lambda n: f"질문 {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    position = factory.Sequence(lambda n: n)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application written straight to the database, bypassing the services: for lists,
    filters and scoping. Its district is its household's, as application_submit records it."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    household = factory.SubFactory(HouseholdFactory)
    district = factory.LazyAttribute(lambda o: o.household.district)
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def with_reference(obj, create, extracted, **kwargs):
        # The reference format of application_submit: the row's id under the submission year.
        if create and obj.submitted_at and not obj.reference:
            obj.reference = f"HN-{timezone.localtime(obj.submitted_at).year}-{obj.pk:06d}"
            obj.save(update_fields=["reference"])


# --- community spaces ------------------------------------------------------------------------------


def space_with_room(
    district_code: str = JUNGGU,
    *,
    hours: tuple[str, str] = ("09:00", "21:00"),
    weekdays: range | list[int] = range(7),
    **room_fields,
):
    """A space of the district open `hours` on `weekdays` (local time), with one room. Returns the room.

    Room defaults: 10 people, 30-minute slots, 1–3 hours, 30 days ahead, 1 hour notice, cancel until
    24 hours before, confirmed automatically.
    """
    from datetime import time as clock

    from spaces.models import OpeningHours, Room, Space

    n = Space.objects.count() + 1
    space = Space.objects.create(
        district=district(district_code),
        slug=f"space-{n}",
        name=f"소통공간 {n}",
        name_en=f"Space {n}",
        address="서울특별시 중구 황학동 1",
    )
    opens, closes = (clock.fromisoformat(value) for value in hours)
    OpeningHours.objects.bulk_create(
        OpeningHours(space=space, weekday=day, opens=opens, closes=closes) for day in weekdays
    )
    fields = {"name": "모임방", "name_en": "Meeting room", "capacity": 10, **room_fields}
    return Room.objects.create(space=space, **fields)


def seoul(value: str):
    """An aware datetime from 'YYYY-MM-DD HH:MM' in Seoul time."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo("Asia/Seoul"))


def book(room, household=None, start: str = "", end: str = "", status: str = "confirmed", **fields):
    """Insert a booking directly (no rules), for setting up a scene. `start`/`end` in Seoul time."""
    from spaces.models import Booking

    household = household or HouseholdFactory(district=room.space.district)
    return Booking.objects.create(
        room=room,
        district_id=room.space.district_id,
        household=household,
        booked_by=household.user,
        starts_at=seoul(start),
        ends_at=seoul(end),
        headcount=fields.pop("headcount", 2),
        purpose=fields.pop("purpose", "독서 모임"),
        status=status,
        **fields,
    )
