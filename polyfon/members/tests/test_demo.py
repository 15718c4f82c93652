"""The demo cluster: the register the issue describes, a login per role, loaded once."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from polyfon.accounts import roles
from polyfon.core.demo import DEMO_USERS, DemoContext
from polyfon.members.models import LetterOfIntent, Participant, ParticipantKind, ParticipantStatus

pytestmark = pytest.mark.django_db


def test_the_register_demo_is_a_plausible_cluster():
    from polyfon.members import demo

    demo.load(DemoContext())
    participants = Participant.objects.all()
    members = participants.filter(status__in=[ParticipantStatus.MEMBER, ParticipantStatus.NOTICE_GIVEN])
    assert 15 <= members.count() <= 30
    assert participants.filter(status=ParticipantStatus.NOTICE_GIVEN).count() >= 1
    assert participants.filter(kind=ParticipantKind.GROUP, status=ParticipantStatus.MEMBER).exists()
    prospects = participants.filter(status__in=[ParticipantStatus.PROSPECT, ParticipantStatus.LETTER_OF_INTENT])
    assert prospects.count() >= 2
    assert LetterOfIntent.objects.filter(participant__in=prospects).count() >= 2
    kinds = set(members.values_list("organisations__kind", flat=True))
    assert {"municipality", "county_municipality", "health_trust", "university"} <= kinds
    users = {email: get_user_model().objects.get(email=email) for _role, email in DEMO_USERS}
    coordinator, steering, contact, registered = (users[email] for _role, email in DEMO_USERS)
    assert roles.is_coordinator(coordinator) and roles.is_steering_member(steering)
    assert roles.is_participant_contact(contact) and not roles.is_participant_contact(registered)


def test_the_demo_command_loads_once_and_keeps_the_data_the_second_time():
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert "koordinator@polyfon.test" in out.getvalue()
    count = Participant.objects.count()
    Participant.objects.filter(status=ParticipantStatus.LETTER_OF_INTENT).first().delete()  # a change the user made
    again = StringIO()
    call_command("demo_data", stdout=again)
    assert "already loaded" in again.getvalue()
    assert Participant.objects.count() == count - 1
