"""Background work and scheduled jobs of governance."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from polyfon.core.scheduler import scheduled_jobs
from polyfon.governance import services, tasks
from polyfon.governance.models import MeetingStatus, PollStatus, SeatRole
from polyfon.members.models import ContactRole, ParticipantContact
from polyfon.members.tests.factories import MemberFactory, PersonFactory

from .factories import BodyFactory, SteeringGroupFactory, meeting_with_items, oslo

pytestmark = pytest.mark.django_db


def test_jobs_are_scheduled():
    jobs = scheduled_jobs()
    for name in ("governance.close_due_polls", "governance.meeting_reminders", "governance.sync_steering_roles"):
        assert name in jobs
        task_path = jobs[name]["task"]
        assert hasattr(tasks, task_path.rsplit(".", 1)[1])


def test_reminders_go_two_days_before_an_invited_meeting(travel_to, django_capture_on_commit_callbacks):
    travel_to(date(2026, 6, 1))
    body = BodyFactory()
    person = PersonFactory(language="en")
    services.seat_appoint(body=body, person=person, role=SeatRole.MEMBER, start_date=date(2026, 1, 1), actor=None)
    soon, _ = meeting_with_items(body, starts_at=oslo(date(2026, 6, 3)), status=MeetingStatus.INVITED)
    meeting_with_items(body, starts_at=oslo(date(2026, 6, 4)), status=MeetingStatus.INVITED)  # too early to remind
    meeting_with_items(body, starts_at=oslo(date(2026, 6, 3), hour=14))  # planned: not invited, no reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_meeting_reminders.call() == 1
    [message] = mail.outbox
    assert message.to == [person.email] and "Reminder" in message.subject
    assert reverse("governance:mine_meeting", args=[soon.pk]) in message.body


def test_due_polls_are_closed_by_the_job(travel_to):
    body = SteeringGroupFactory()
    member = MemberFactory()
    services.seat_appoint(body=body, person=PersonFactory(), role=SeatRole.MEMBER, participant=member,
                          start_date=date(2025, 1, 1), actor=None)
    meeting, (item,) = meeting_with_items(body, status=MeetingStatus.INVITED)
    motion = services.motion_create(item=item, actor=None, title="F", text="T")
    services.motion_open_voting(motion=motion, actor=None, closes_at=timezone.now() + timedelta(minutes=10))
    assert tasks.close_due_polls.call() == 0
    travel_to(timezone.now() + timedelta(minutes=11))
    assert tasks.close_due_polls.call() == 1
    motion.refresh_from_db()
    assert motion.polls.get().status == PollStatus.CLOSED and motion.result == "no_quorum"


def test_sync_job_brings_the_register_in_step(travel_to):
    travel_to(date(2026, 6, 1))
    steering = SteeringGroupFactory()
    member = MemberFactory()
    person = PersonFactory()
    services.seat_appoint(body=steering, person=person, role=SeatRole.MEMBER, participant=member,
                          start_date=date(2026, 7, 1), actor=None)
    assert tasks.sync_steering_roles.call() == 0
    travel_to(date(2026, 7, 1))
    assert tasks.sync_steering_roles.call() == 1
    assert ParticipantContact.objects.get(participant=member, role=ContactRole.STEERING_REP).person == person
