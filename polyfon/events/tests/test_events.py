"""The event services, rule by rule: create, change, copy, the life cycle, questions, e-mails."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone

from polyfon.content.models import WorkArea
from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.events import lifecycle, services
from polyfon.events.models import (
    Audience,
    Event,
    EventKind,
    EventQuestion,
    EventStatus,
    MessageRecipients,
    RegistrationStatus,
)

from .factories import EventFactory, EventQuestionFactory, RegistrationFactory, oslo

pytestmark = pytest.mark.django_db
R = RegistrationStatus


def values(**overrides):
    base = {
        "title": "Webinar for kommuner og fylkeskommuner",
        "kind": "webinar",
        "starts_at": oslo(2030, 10, 26, 10, 0),
        "ends_at": oslo(2030, 10, 26, 11, 0),
        "online_url": "https://uib.zoom.us/j/1",
        "capacity": 100,
    }
    return {**base, **overrides}


# --- Create ------------------------------------------------------------------------------------------------


def test_a_new_event_is_a_draft_with_a_dated_address(coordinator):
    areas = list(WorkArea.objects.all()[:2])
    event = services.event_create(
        actor=coordinator, audiences=[Audience.MUNICIPALITIES], work_areas=areas, **values(title="Webinar for høyskoler og æ-ø-å")
    )
    assert event.status == EventStatus.DRAFT
    assert event.slug == "2030-10-26-webinar-for-hoyskoler-og-ae-o-a"
    assert event.audience_codes == [Audience.MUNICIPALITIES]
    assert set(event.work_areas.all()) == set(areas)
    assert event.created_by == coordinator
    assert AuditEntry.objects.filter(action="polyfon.events.event.created", object_id=str(event.pk)).exists()
    second = services.event_create(actor=coordinator, **values(title="Webinar for høyskoler og æ-ø-å"))
    assert second.slug == "2030-10-26-webinar-for-hoyskoler-og-ae-o-a-2"


def test_times_are_stored_in_utc_and_shown_in_oslo():
    summer = services.event_create(actor=None, **values(starts_at=oslo(2030, 6, 12, 10), ends_at=oslo(2030, 6, 12, 11)))
    winter = services.event_create(actor=None, **values(starts_at=oslo(2030, 11, 26, 10), ends_at=oslo(2030, 11, 26, 11)))
    summer.refresh_from_db()
    winter.refresh_from_db()
    assert summer.starts_at.utcoffset() == timedelta(0)
    assert (summer.starts_at.hour, winter.starts_at.hour) == (8, 9)  # CEST is UTC+2, CET UTC+1
    assert timezone.localtime(summer.starts_at).hour == timezone.localtime(winter.starts_at).hour == 10


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"ends_at": oslo(2030, 10, 26, 9, 0)}, "ends_at"),
        ({"registration_opens_at": oslo(2030, 10, 1), "registration_closes_at": oslo(2030, 9, 1)}, "registration_closes_at"),
        ({"registration_closes_at": oslo(2030, 10, 26, 10, 30)}, "registration_closes_at"),
        ({"registration_opens_at": oslo(2030, 10, 27)}, "registration_opens_at"),
        ({"ask_dietary_needs": True, "location": ""}, "ask_dietary_needs"),
        ({"keep_dietary_days": 30, "keep_personal_data_days": 10}, "keep_dietary_days"),
        ({"kind": EventKind.STEERING_MEETING, "is_public": True}, "is_public"),
    ],
)
def test_rules_between_the_fields_of_an_event(overrides, field):
    with pytest.raises(DomainError) as error:
        services.event_create(actor=None, **values(**overrides))
    assert error.value.field == field
    assert not Event.objects.exists()


def test_a_steering_group_meeting_is_internal_and_seen_by_the_steering_group_only(role_users):
    from polyfon.events.permissions import can_view_event

    meeting = services.event_create(actor=None, **values(kind=EventKind.STEERING_MEETING))
    assert meeting.is_public is False
    meeting.status, meeting.is_public = EventStatus.PUBLISHED, True  # even if the flag were set by hand
    seen = {role: can_view_event(user or AnonymousUser(), meeting) for role, user in role_users.items()}
    assert seen == {"anonymous": False, "registered": False, "contact": False, "steering": True, "coordinator": True}


# --- Change -----------------------------------------------------------------------------------------------


def test_fewer_places_than_are_taken_is_refused(webinar, register, coordinator):
    for _ in range(3):
        register(webinar)
    with pytest.raises(DomainError) as error:
        services.event_update(event=webinar, actor=coordinator, capacity=2)
    assert error.value.field == "capacity"


def test_more_places_move_the_waiting_list_up(webinar, register, coordinator, django_capture_on_commit_callbacks):
    for _ in range(3):
        register(webinar)
    waiting = [register(webinar) for _ in range(3)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=webinar, actor=coordinator, capacity=5)
    statuses = [w.__class__.objects.get(pk=w.pk).status for w in waiting]
    assert statuses == [R.CONFIRMED, R.CONFIRMED, R.WAITING]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(w.email for w in waiting[:2])
    services.event_update(event=webinar, actor=coordinator, capacity=None)  # no limit: everyone gets a place
    assert webinar.registrations.filter(status=R.WAITING).count() == 0


def test_a_new_start_time_sends_the_reminder_again_and_can_tell_everyone(webinar, register, coordinator, django_capture_on_commit_callbacks):
    registration = register(webinar)
    cancelled = register(webinar)
    services.registration_cancel(registration=cancelled)
    registration.__class__.objects.filter(pk=registration.pk).update(reminded_at=timezone.now())
    mail.outbox.clear()
    new_start = webinar.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            event=webinar, actor=coordinator, starts_at=new_start, ends_at=new_start + timedelta(hours=1), notify_registrants=True
        )
    registration.refresh_from_db()
    assert registration.reminded_at is None
    (message,) = mail.outbox  # the cancelled one is not told
    assert message.to == [registration.email] and message.attachments
    entry = AuditEntry.objects.get(action="polyfon.events.event.changed")
    assert set(entry.payload["changes"]) == {"starts_at", "ends_at"}


def test_no_mail_about_changes_unless_asked(webinar, register, coordinator, django_capture_on_commit_callbacks):
    register(webinar)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=webinar, actor=coordinator, location="Bergen")
    assert mail.outbox == []


def test_a_cancelled_event_cannot_be_changed(coordinator):
    event = EventFactory(status=EventStatus.CANCELLED)
    with pytest.raises(DomainError):
        services.event_update(event=event, actor=coordinator, title="Nytt navn")


# --- Copy: the three webinars of one day ---------------------------------------------------------------------


def test_copies_make_the_three_webinars_of_one_day(coordinator):
    areas = list(WorkArea.objects.all())
    first = services.event_create(
        actor=coordinator,
        audiences=[Audience.MUNICIPALITIES],
        work_areas=areas,
        **values(registration_opens_at=oslo(2030, 9, 22, 9), registration_closes_at=oslo(2030, 10, 23, 12)),
    )
    EventQuestionFactory(event=first, text="Hva ønsker dere å vite mer om?", required=True)
    second = services.event_copy(
        event=first, actor=coordinator, title="Webinar for helseforetak", starts_at=oslo(2030, 10, 26, 11, 30), audiences=[Audience.HEALTH_TRUSTS]
    )
    third = services.event_copy(
        event=first, actor=coordinator, title="Webinar for høyskoler og universitet", starts_at=oslo(2030, 10, 26, 13, 0),
        audiences=[Audience.UNIVERSITIES],
    )
    assert second.status == third.status == EventStatus.DRAFT
    assert (timezone.localtime(second.ends_at).hour, timezone.localtime(second.ends_at).minute) == (12, 30)  # the length kept
    assert second.registration_closes_at - first.registration_closes_at == timedelta(hours=1, minutes=30)
    assert second.audience_codes == [Audience.HEALTH_TRUSTS] and third.audience_codes == [Audience.UNIVERSITIES]
    assert set(second.work_areas.all()) == set(areas)
    assert [(q.text, q.required) for q in third.questions.all()] == [("Hva ønsker dere å vite mer om?", True)]
    assert second.online_url == first.online_url and second.copied_from == first
    assert not second.registrations.exists()
    assert AuditEntry.objects.filter(action="polyfon.events.event.copied", object_id=str(third.pk), payload__from=first.pk).exists()


def test_a_copy_keeps_the_audiences_unless_told(webinar, coordinator):
    copy = services.event_copy(event=webinar, actor=coordinator, title="Kopi", starts_at=webinar.starts_at + timedelta(days=7))
    assert copy.audience_codes == webinar.audience_codes


# --- The life cycle ---------------------------------------------------------------------------------------


def test_the_life_cycle_is_a_table():
    assert {m.name for m in lifecycle.EVENT_MOVES.moves_from(EventStatus.DRAFT)} == {"publish", "cancel"}
    assert {m.name for m in lifecycle.EVENT_MOVES.moves_from(EventStatus.PUBLISHED)} == {"unpublish", "cancel"}
    assert lifecycle.EVENT_MOVES.moves_from(EventStatus.CANCELLED) == []


def test_publish_and_back_to_draft(coordinator):
    event = EventFactory(status=EventStatus.DRAFT)
    services.event_publish(event=event, actor=coordinator)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    with pytest.raises(DomainError):
        services.event_publish(event=event, actor=coordinator)
    services.event_unpublish(event=event, actor=coordinator)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(event.pk)).order_by("pk")] == [
        "polyfon.events.event.publish",
        "polyfon.events.event.unpublish",
    ]


def test_back_to_draft_is_refused_while_people_are_registered(webinar, register, coordinator):
    register(webinar)
    with pytest.raises(DomainError):
        services.event_unpublish(event=webinar, actor=coordinator)


def test_cancelling_tells_everyone_registered_or_waiting_with_the_reason(webinar, register, coordinator, django_capture_on_commit_callbacks):
    people = [register(webinar, language="en") for _ in range(4)]  # three places, one waiting
    services.registration_cancel(registration=people[0])
    people[0].refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=webinar, actor=coordinator, reason="Foredragsholderen er syk.")
    webinar.refresh_from_db()
    assert webinar.status == EventStatus.CANCELLED and webinar.cancelled_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[1:])
    assert all("Foredragsholderen er syk." in m.body for m in mail.outbox)
    assert all(webinar.online_url not in m.body for m in mail.outbox)
    # The registrations stay for the counts.
    assert webinar.registrations.filter(status=R.CONFIRMED).count() == 3
    with pytest.raises(DomainError):
        services.event_cancel(event=webinar, actor=coordinator, reason="igjen")


def test_cancelling_a_draft_tells_nobody(coordinator, django_capture_on_commit_callbacks):
    event = EventFactory(status=EventStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, actor=coordinator, reason="Avlyst")
    assert mail.outbox == []


# --- Questions ----------------------------------------------------------------------------------------------


def test_questions_are_added_changed_reordered_and_removed(webinar, coordinator):
    keep = EventQuestionFactory(event=webinar, text="Gammel tekst")
    drop = EventQuestionFactory(event=webinar, text="Fjernes")
    services.event_set_questions(
        event=webinar,
        actor=coordinator,
        questions=[
            services.QuestionEntry(text="Ny først", required=True),
            services.QuestionEntry(text="Ny tekst", pk=keep.pk, help_text="Hjelp"),
        ],
    )
    questions = list(webinar.questions.all())
    assert [(q.text, q.required, q.position) for q in questions] == [("Ny først", True, 0), ("Ny tekst", False, 1)]
    assert questions[1].pk == keep.pk
    assert not EventQuestion.objects.filter(pk=drop.pk).exists()


# --- E-mails to the registrants ---------------------------------------------------------------------------------


def test_the_organiser_emails_a_group_each_in_their_language(webinar, register, coordinator, travel_to, django_capture_on_commit_callbacks):
    attendee = register(webinar, language="en")
    absent = register(webinar, language="nn")
    waiting_people = [register(webinar), register(webinar)]  # the third place is taken below
    travel_to(webinar.starts_at)
    services.registration_set_attendance(registration=attendee, actor=coordinator, attended=True)
    services.registration_set_attendance(registration=absent, actor=coordinator, attended=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.event_message_send(
            event=webinar, actor=coordinator, recipients=MessageRecipients.ATTENDEES, subject="Takk for sist", body="Lysbildene ligger her."
        )
    message.refresh_from_db()
    assert (message.recipient_count, message.sent_at is not None) == (1, True)
    (sent,) = mail.outbox
    assert sent.to == [attendee.email] and "Lysbildene ligger her." in sent.body and "Takk for sist" in sent.subject
    assert AuditEntry.objects.filter(action="polyfon.events.event.message_sent", payload__count=1).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_message_send(event=webinar, actor=coordinator, recipients=MessageRecipients.ACTIVE, subject="Til alle", body="Hei")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([attendee.email, absent.email] + [w.email for w in waiting_people])


def test_no_message_to_an_empty_group(webinar, coordinator):
    with pytest.raises(DomainError) as error:
        services.event_message_send(event=webinar, actor=coordinator, recipients=MessageRecipients.WAITING, subject="S", body="B")
    assert error.value.field == "recipients"


def test_the_registrations_of_others_are_not_in_the_message(webinar, coordinator, django_capture_on_commit_callbacks):
    RegistrationFactory(event=webinar, email="her@example.no")
    RegistrationFactory(event=EventFactory(), email="other-event@example.no")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_message_send(event=webinar, actor=coordinator, recipients=MessageRecipients.REGISTERED, subject="S", body="B")
    assert [m.to for m in mail.outbox] == [["her@example.no"]]
