"""The demo data load (the register's demo first, as `manage.py demo_data` runs them)."""

import pytest

from polyfon.core.demo import DemoContext
from polyfon.governance import selectors
from polyfon.governance.models import (
    Body,
    BodyKind,
    Decision,
    Election,
    ElectionStatus,
    Meeting,
    MeetingStatus,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_a_plausible_governance():
    from polyfon.governance import demo
    from polyfon.members import demo as members_demo

    ctx = DemoContext()
    members_demo.load(ctx)
    demo.load(ctx)
    kinds = set(Body.objects.values_list("kind", flat=True))
    assert {BodyKind.STEERING_GROUP, BodyKind.SCIENTIFIC_BOARD, BodyKind.EXPERIENCE_PANEL, BodyKind.WORKING_GROUP,
            BodyKind.GENERAL_ASSEMBLY} <= kinds
    steering = selectors.steering_group()
    roles = {s.role for s in selectors.current_seats(steering)}
    assert {"chair", "deputy_chair", "member", "deputy_member"} <= roles
    assert Meeting.objects.filter(status=MeetingStatus.MINUTES_APPROVED).exists()
    assert Meeting.objects.filter(status=MeetingStatus.INVITED).exists()
    assert Decision.objects.filter(item__title="Deltakeravgift 2027", text__contains="150 000").exists()
    assert Election.objects.get().status == ElectionStatus.DECIDED
    panel = Body.objects.get(kind=BodyKind.EXPERIENCE_PANEL)
    assert len({s.work_area_id for s in selectors.current_seats(panel) if s.work_area_id}) == 5
