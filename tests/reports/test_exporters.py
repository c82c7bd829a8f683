"""Each exporter's rows against what is in the database: columns, formatting (Seoul time, labels),
masking, district scoping and the filters (period, program, status, 행정동)."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from households.models import Gender
from lockers.models import DeliveryStatus
from programs.models import ApplicationStatus, ProgramSession
from reports.exports.base import ExportRefused
from reports.exports.exporters import (
    ApplicationExporter,
    BookingExporter,
    DeliveryExporter,
    HouseholdExporter,
    KitRequestExporter,
    exporters_for,
)
from safety.models import KitRequestStatus, Priority
from spaces.models import BookingStatus
from tests.factories import GWANAK, district

from . import export_fixtures
from .export_fixtures import grant_unmasked

pytestmark = pytest.mark.django_db

# The shared export fixtures (not a conftest.py: see export_fixtures).
_korean = export_fixtures._korean
_private_media = export_fixtures._private_media
export_scene = export_fixtures.export_scene


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def rows(exporter) -> list[list]:
    """The exporter's rows with empty cells as "" (the writers write None and "" alike)."""
    return [["" if value is None else value for value in row] for row in exporter.rows()]


# --- applications --------------------------------------------------------------------------------------


def test_application_rows_match_the_database_masked_and_in_korean(export_scene, manager_a):
    exporter = ApplicationExporter(manager_a, {})

    assert exporter.headers()[:4] == ["접수번호", "프로그램", "상태", "이름"]
    app = export_scene.app_a1
    assert rows(exporter) == [
        [
            app.reference,
            "청년 소모임",
            str(ApplicationStatus.APPROVED.label),
            "김*나",
            "1994-**-**",
            str(Gender.FEMALE.label),
            "010-****-5678",
            "관악구",
            export_scene.n_a1.name,
            "2026-03-10 09:30",
            "2026-03-11 14:00",
            "대상",
        ],
        [
            export_scene.app_a2.reference,
            "마음 건강",
            str(ApplicationStatus.SUBMITTED.label),
            "이*",
            "1994-**-**",
            str(Gender.MALE.label),
            "010-****-3333",
            "관악구",
            export_scene.n_a2.name,
            "2026-04-01 00:10",
            "",
            "",
        ],
    ]
    assert exporter.personal_data is False


def test_a_draft_is_never_exported(export_scene, manager_a):
    """A draft is the resident's unfinished form, not an application to the district: it appears in no
    export, whatever the status filter asks (found in the browser: a 관악 export held a draft)."""
    from tests.factories import ApplicationFactory

    before = rows(ApplicationExporter(manager_a, {}))
    ApplicationFactory(
        program=export_scene.program_a,
        household=export_scene.ha2,
        status=ApplicationStatus.DRAFT,
        submitted_at=None,
    )
    assert rows(ApplicationExporter(manager_a, {})) == before
    assert rows(ApplicationExporter(manager_a, {"status": ApplicationStatus.DRAFT})) == []


def test_english_export_uses_english_headers_and_names(export_scene, manager_a):
    with translation.override("en"):
        exporter = ApplicationExporter(manager_a, {"program": export_scene.program_a.pk})
        headers, [row] = exporter.headers(), rows(exporter)
    assert headers[:3] == ["reference number", "program", "status"]
    assert row[1] == "Youth clubs"
    assert row[2] == "Approved"


def test_unmasked_only_with_the_permission(export_scene, manager_a):
    with pytest.raises(ExportRefused):
        ApplicationExporter(manager_a, {}, include_personal=True)

    allowed = grant_unmasked(manager_a)
    exporter = ApplicationExporter(allowed, {"program": export_scene.program_a.pk}, include_personal=True)
    [row] = rows(exporter)
    assert row[3:7] == ["김하나", "1994-05-12", str(Gender.FEMALE.label), "010-1234-5678"]
    assert exporter.personal_data is True


def test_a_city_admin_may_unmask_and_sees_every_district(export_scene, city_admin):
    exporter = ApplicationExporter(city_admin, {}, include_personal=True)
    references = [row[0] for row in rows(exporter)]
    assert references == [
        export_scene.app_a1.reference,
        export_scene.app_a2.reference,
        export_scene.app_b.reference,
    ]
    assert "박중구" in [row[3] for row in rows(exporter)]


def test_district_b_staff_never_see_district_a_rows(export_scene, caseworker_b):
    assert [row[0] for row in rows(ApplicationExporter(caseworker_b, {}))] == [export_scene.app_b.reference]
    # Filtering by district A's program or 행정동 narrows B's own rows to nothing; it never widens them.
    assert rows(ApplicationExporter(caseworker_b, {"program": export_scene.program_a.pk})) == []
    assert rows(ApplicationExporter(caseworker_b, {"neighbourhood": export_scene.n_a1.pk})) == []
    assert rows(ApplicationExporter(caseworker_b, {"district": district(GWANAK).pk})) == []


def test_application_filters(export_scene, manager_a):
    def refs(filters):
        return [row[0] for row in rows(ApplicationExporter(manager_a, filters))]

    a1, a2 = export_scene.app_a1.reference, export_scene.app_a2.reference
    # The period is in Seoul days: 2026-04-01 00:10 KST is 2026-03-31 in UTC but belongs to April.
    assert refs({"date_from": "2026-04-01"}) == [a2]
    assert refs({"date_to": "2026-03-31"}) == [a1]
    assert refs({"date_from": "2026-03-10", "date_to": "2026-03-10"}) == [a1]
    assert refs({"status": "approved"}) == [a1]
    assert refs({"program": export_scene.program_a2.pk}) == [a2]
    assert refs({"neighbourhood": export_scene.n_a2.pk}) == [a2]


def test_count_matches_rows_and_caps(export_scene, city_admin):
    exporter = ApplicationExporter(city_admin, {})
    assert exporter.count() == 3
    assert exporter.count(cap=1) == 2  # at most cap + 1: enough to know it is over


# --- households ---------------------------------------------------------------------------------------


def test_household_rows_match_the_database(export_scene, manager_a):
    exporter = HouseholdExporter(manager_a, {"neighbourhood": export_scene.n_a1.pk})
    household = export_scene.ha1
    assert rows(exporter) == [
        [
            "김*나",
            "1994-**-**",
            str(Gender.FEMALE.label),
            "010-****-5678",
            "관악구",
            export_scene.n_a1.name,
            "신림로 ***",
            str(household.get_housing_tenure_display()),
            1,
            str(household.get_employment_display()),
            local(household.created_at),
        ]
    ]
    unmasked = HouseholdExporter(
        grant_unmasked(manager_a), {"neighbourhood": export_scene.n_a1.pk}, include_personal=True
    )
    assert rows(unmasked)[0][6] == "신림로 12길 34 101호"


def test_household_filters_and_scoping(export_scene, manager_a, caseworker_b):
    names = lambda user, filters: sorted(row[0] for row in rows(HouseholdExporter(user, filters)))  # noqa: E731
    assert names(manager_a, {}) == ["김*나", "이*"]
    assert names(caseworker_b, {}) == ["박*구"]
    assert names(manager_a, {"program": export_scene.program_a2.pk}) == ["이*"]  # households that applied
    assert names(manager_a, {"status": "anonymized"}) == []
    assert names(manager_a, {"status": "active"}) == ["김*나", "이*"]


# --- kit requests ----------------------------------------------------------------------------------------


def test_kit_request_rows_match_the_database(export_scene, manager_a):
    [row] = rows(KitRequestExporter(manager_a, {}))
    assert row[:3] == ["KS-2026-000001", str(KitRequestStatus.SUBMITTED.label), str(Priority.OTHER.label)]
    assert sorted(row[3].split(", ")) == sorted(
        ["휴대용 비상벨", "현관문 이중잠금장치"]
    )  # one query, joined in SQL
    assert row[4:] == [
        "김*나",
        "010-****-5678",
        "신림로 ***",
        "관악구",
        export_scene.n_a1.name,
        "2026-03-02 10:00",
        "",
    ]


def test_kit_request_scoping_and_filters(export_scene, manager_a, caseworker_b):
    assert [row[0] for row in rows(KitRequestExporter(caseworker_b, {}))] == ["KS-2026-000002"]
    assert [
        row[0] for row in rows(KitRequestExporter(manager_a, {"program": export_scene.program_a.pk}))
    ] == ["KS-2026-000001"]
    assert rows(KitRequestExporter(manager_a, {"status": "approved"})) == []


# --- parcel deliveries -----------------------------------------------------------------------------------


def test_delivery_rows_match_the_database(export_scene, manager_a):
    [row] = rows(DeliveryExporter(manager_a, {}))
    assert row == [
        "PL-2026-000001",
        "신림동 안심택배함",
        "A-01",
        str(DeliveryStatus.PICKED_UP.label),
        "김*나",
        "010-****-5678",
        "CJ대한통운",
        "관악구",
        export_scene.n_a1.name,
        "2026-03-05 18:00",
        "2026-03-06 08:15",
        "",
        0,
    ]


def test_delivery_scoping_and_program_filter(export_scene, caseworker_b, manager_a):
    assert [row[0] for row in rows(DeliveryExporter(caseworker_b, {}))] == ["PL-2026-000002"]
    assert not DeliveryExporter.supports_program()
    assert rows(DeliveryExporter(manager_a, {"status": "stored"})) == []


# --- bookings and attendance ------------------------------------------------------------------------------


def test_booking_rows_match_the_database_with_attendance(export_scene, manager_a):
    booking, no_show = export_scene.booking_a, export_scene.booking_a2
    space, room = booking.room.space, booking.room
    assert rows(BookingExporter(manager_a, {})) == [
        [
            booking.reference,
            space.name,
            room.name,
            "2026-03-07 10:00",
            "2026-03-07 12:00",
            str(BookingStatus.ATTENDED.label),
            "2026-03-07 12:05",
            2,
            "독서 모임",
            "",
            "",
            "김*나",
            "010-****-5678",
        ],
        [
            no_show.reference,
            space.name,
            room.name,
            "2026-03-08 10:00",
            "2026-03-08 11:00",
            str(BookingStatus.NO_SHOW.label),
            "",
            2,
            "독서 모임",
            "",
            "",
            "이*",
            "010-****-3333",
        ],
    ]


def test_a_program_session_in_the_room_gives_the_program_and_participants(export_scene, manager_a):
    ProgramSession.objects.create(
        program=export_scene.program_a, booking=export_scene.booking_a, participants=5
    )

    [row] = rows(BookingExporter(manager_a, {"program": export_scene.program_a.pk}))
    assert row[0] == export_scene.booking_a.reference
    assert row[9:11] == ["청년 소모임", 5]
    assert rows(BookingExporter(manager_a, {"program": export_scene.program_a2.pk})) == []


def test_booking_scoping_and_filters(export_scene, manager_a, caseworker_b):
    assert [row[0] for row in rows(BookingExporter(caseworker_b, {}))] == [export_scene.booking_b.reference]
    assert [row[0] for row in rows(BookingExporter(manager_a, {"status": "no_show"}))] == [
        export_scene.booking_a2.reference
    ]
    assert (
        len(rows(BookingExporter(manager_a, {"neighbourhood": export_scene.n_a1.pk}))) == 2
    )  # the space's 행정동
    assert rows(BookingExporter(manager_a, {"date_from": "2026-03-08", "date_to": "2026-03-08"}))[0][0] == (
        export_scene.booking_a2.reference
    )


# --- who may export what --------------------------------------------------------------------------------


def test_data_sets_follow_the_role_permissions(manager_a, caseworker_b, program_manager_a, resident):
    assert [e.name for e in exporters_for(manager_a)] == [
        "applications",
        "households",
        "kit-requests",
        "deliveries",
        "bookings",
    ]
    assert "applications" in [e.name for e in exporters_for(caseworker_b)]
    assert [e.name for e in exporters_for(program_manager_a)] == ["applications", "kit-requests", "bookings"]
    assert exporters_for(resident) == []
    with pytest.raises(ExportRefused):
        HouseholdExporter(program_manager_a, {})


def test_the_unmask_permission_is_no_roles_by_default(manager_a, caseworker_b, city_admin):
    assert manager_a.has_perm("reports.view_exportjob") and manager_a.has_perm("reports.add_exportjob")
    assert not manager_a.has_perm("portal.export_personal_data")
    assert not caseworker_b.has_perm("portal.export_personal_data")
    assert city_admin.has_perm("portal.export_personal_data")  # a superuser holds every permission
