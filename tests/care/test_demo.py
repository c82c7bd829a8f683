"""The care demo data: loaded once (a second run writes nothing), visible to the demo accounts."""

from __future__ import annotations

import pytest

from care.models import Appointment, CheckInTask, CounsellingService, Counsellor, Enrolment
from demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_demo_care_loads_once_and_shows_on_the_board(client):
    load_demo()
    counts = [
        m.objects.count() for m in (CounsellingService, Counsellor, Appointment, Enrolment, CheckInTask)
    ]
    load_demo()
    assert [
        m.objects.count() for m in (CounsellingService, Counsellor, Appointment, Enrolment, CheckInTask)
    ] == counts
    assert counts[0] == 3 and counts[1] == 3 and counts[2] == 1 and counts[3] == 1 and counts[4] == 1
    assert Counsellor.objects.filter(is_centre_lead=True).count() == 1
    from portal.models import User

    client.force_login(User.objects.get(email="caseworker.gwanak@hana.demo"))
    board = client.get("/admin/care/checkintask/")
    assert board.status_code == 200 and "김*나" in board.content.decode()
    client.force_login(User.objects.get(email="counsellor.gwanak@hana.demo"))
    assert client.get("/admin/care/appointment/").status_code == 200
