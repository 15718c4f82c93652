"""factory_boy factories for governance, and helpers that build meetings through the services."""

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from polyfon.governance import services
from polyfon.governance.models import Body, BodyKind, Meeting, MeetingStatus, Seat, SeatRole
from polyfon.members.tests.factories import PersonFactory


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Organ {n}")
    slug = factory.Sequence(lambda n: f"organ-{n}")
    kind = BodyKind.OTHER


class SteeringGroupFactory(BodyFactory):
    name = "Styringsgruppa"
    slug = "styringsgruppa"
    kind = BodyKind.STEERING_GROUP
    represents_participants = True
    is_public = True
    publishes_agenda = True
    publishes_minutes = True


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory)
    role = SeatRole.MEMBER
    start_date = date(2026, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Møte {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    location = "Griegakademiet, Bergen"


def oslo(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def meeting_with_items(body, *, starts_at=None, titles=("Sak A",), actor=None, status=None, standard_items=False):
    """A meeting planned through the service, with items; `status` is then set directly
    (for tests that need a held or invited meeting without the steps in between)."""
    meeting = services.meeting_create(
        body=body, actor=actor, title=f"Møte i {body.name}", starts_at=starts_at or timezone.now() + timedelta(days=14),
        standard_items=standard_items,
    )
    items = [services.agenda_item_add(meeting=meeting, actor=actor, title=title) for title in titles]
    if status:
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        meeting.refresh_from_db()
    return meeting, items


def held_meeting(body, *, days_ago=30, titles=("Sak A",), minutes="Drøftet."):
    meeting, items = meeting_with_items(
        body, starts_at=timezone.now() - timedelta(days=days_ago), titles=titles, status=MeetingStatus.HELD
    )
    for item in items:
        item.minutes = minutes
        item.save(update_fields=["minutes"])
    return meeting, items
