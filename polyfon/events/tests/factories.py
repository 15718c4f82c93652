"""factory_boy factories for events. Times are aware datetimes in Oslo."""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from polyfon.events.models import (
    Event,
    EventAudience,
    EventKind,
    EventQuestion,
    EventStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from polyfon.events.tokens import new_secret


def oslo(year, month, day, hour=0, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


class EventFactory(factory.django.DjangoModelFactory):
    """A published public webinar a month from now, open for registration, 30 places."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Webinar {n}")
    slug = factory.Sequence(lambda n: f"2030-01-01-webinar-{n}")
    kind = EventKind.WEBINAR
    status = EventStatus.PUBLISHED
    # 10:00 in Oslo a month ahead: never across midnight, whatever the time the tests run.
    starts_at = factory.LazyFunction(
        lambda: timezone.localtime(timezone.now() + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=1))
    online_url = "https://meet.example.no/polyfon-123"
    online_details = "Møte-ID 123 456 789"
    capacity = 30
    is_public = True

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create and extracted:
            EventAudience.objects.bulk_create([EventAudience(event=obj, audience=a) for a in extracted])


class EventQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventQuestion

    event = factory.SubFactory(EventFactory)
    text = "Hva ønsker du å lære?"
    required = False
    position = factory.Sequence(lambda n: n)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    status = RegistrationStatus.CONFIRMED
    secret = factory.LazyFunction(new_secret)
    name = factory.Sequence(lambda n: f"Deltaker {n}")
    email = factory.Sequence(lambda n: f"deltaker{n}@example.no")
    language = "nb"
    organisation_name = "Bergen kommune"
    organisation_kind = "municipality"
    source = RegistrationSource.PUBLIC
    created_at = factory.LazyFunction(lambda: timezone.now())
    confirmed_at = factory.LazyAttribute(lambda r: r.created_at if r.status == RegistrationStatus.CONFIRMED else None)
