"""The registration services, rule by rule."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.text import capfirst

from polyfon.core.errors import DomainError
from polyfon.core.models import AuditEntry
from polyfon.events import services
from polyfon.events.models import Audience, QuestionMode, Registration, RegistrationSource, RegistrationStatus
from polyfon.events.services.registrations import waiting_position
from polyfon.events.tokens import token_for
from polyfon.members.models import ContactRole
from polyfon.members.tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ParticipantContactFactory,
    ParticipantFactory,
    PersonFactory,
    UserFactory,
)

from .factories import EventFactory, EventQuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
R = RegistrationStatus


def ics_text(attachment) -> str:
    content = attachment[1].decode() if isinstance(attachment[1], bytes) else attachment[1]
    return content.replace("\r\n ", "")  # unfold the long lines


def statuses(event):
    return list(Registration.objects.filter(event=event).order_by("pk").values_list("status", flat=True))


# --- A place, or the waiting list -------------------------------------------------------------------------------


def test_registration_with_a_free_place_is_confirmed_and_mailed_with_ics_and_link(webinar, register):
    registration = register(webinar, name="Kari Nordmann", email=" Kari@Example.NO ", language="en")
    assert registration.status == R.CONFIRMED
    assert registration.email == "kari@example.no"
    assert registration.confirmed_at is not None
    (message,) = mail.outbox
    assert message.to == ["kari@example.no"]
    assert "Registered: Webinar for kommuner" in message.subject  # in the registrant's language (English)
    assert token_for(registration) in message.body
    assert webinar.online_url in message.body
    (attachment,) = message.attachments
    assert attachment[2] == "text/calendar"
    assert webinar.online_url in ics_text(attachment)
    entry = AuditEntry.objects.get(action="polyfon.events.registration.confirmed")
    assert entry.payload == {"registration": registration.pk, "source": "public"}
    assert "Kari" not in str(entry.payload) and "kari" not in entry.object_repr


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_confirmation_is_in_the_registrants_language(webinar, register, language):
    register(webinar, language=language)
    with translation.override(language):
        weekday = capfirst(formats.date_format(timezone.localtime(webinar.starts_at), "l"))
    assert weekday in mail.outbox[0].body


def test_when_full_people_join_the_waiting_list_in_order(webinar, register):
    confirmed = [register(webinar) for _ in range(3)]
    first, second = register(webinar), register(webinar)
    assert [r.status for r in confirmed] == [R.CONFIRMED] * 3
    assert (first.status, second.status) == (R.WAITING, R.WAITING)
    assert (waiting_position(first), waiting_position(second)) == (1, 2)
    assert waiting_position(confirmed[0]) is None
    waiting_mail = mail.outbox[-1]
    assert waiting_mail.to == [second.email]
    assert waiting_mail.attachments == []  # no calendar entry (and no online link) without a place
    assert webinar.online_url not in waiting_mail.body


def test_capacity_is_never_exceeded(webinar, register):
    for _ in range(8):
        register(webinar)
    assert statuses(webinar).count(R.CONFIRMED) == 3
    assert statuses(webinar).count(R.WAITING) == 5


def test_an_event_without_a_limit_never_has_a_waiting_list(register):
    event = EventFactory(capacity=None)
    assert {register(event).status for _ in range(10)} == {R.CONFIRMED}


def test_a_cancellation_moves_the_first_on_the_waiting_list_up_and_tells_them(webinar, register, django_capture_on_commit_callbacks):
    places = [register(webinar) for _ in range(3)]
    first, second = register(webinar, email="first@example.no"), register(webinar, email="second@example.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=places[1])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == R.CONFIRMED and first.confirmed_at is not None
    assert second.status == R.WAITING and waiting_position(second) == 1
    recipients = {m.to[0]: m for m in mail.outbox}
    assert set(recipients) == {places[1].email, "first@example.no"}
    promoted = recipients["first@example.no"]
    assert webinar.online_url in promoted.body and promoted.attachments
    assert AuditEntry.objects.filter(action="polyfon.events.registration.promoted", payload__registration=first.pk).exists()


def test_cancelling_from_the_waiting_list_moves_nobody(webinar, register):
    for _ in range(3):
        register(webinar)
    first, second = register(webinar), register(webinar)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == R.WAITING
    assert statuses(webinar).count(R.CONFIRMED) == 3


def test_nobody_moves_up_once_the_event_has_started(webinar, register, travel_to):
    places = [register(webinar) for _ in range(3)]
    waiting = register(webinar)
    travel_to(webinar.starts_at + timedelta(minutes=5))
    services.registration_cancel(registration=places[0], by_office=True)
    waiting.refresh_from_db()
    assert waiting.status == R.WAITING


def test_cancelling_twice_is_refused(webinar, register):
    registration = register(webinar)
    services.registration_cancel(registration=registration)
    with pytest.raises(DomainError):
        services.registration_cancel(registration=registration)


def test_the_registrant_cannot_cancel_after_the_start_but_the_office_can(webinar, register, travel_to, coordinator):
    registration = register(webinar)
    travel_to(webinar.starts_at + timedelta(minutes=1))
    with pytest.raises(DomainError):
        services.registration_cancel(registration=registration)
    services.registration_cancel(registration=registration, actor=coordinator, by_office=True)
    registration.refresh_from_db()
    assert registration.status == R.CANCELLED


# --- One registration per address ------------------------------------------------------------------------------


def test_the_same_email_cannot_register_twice(webinar, register):
    register(webinar, email="kari@example.no")
    with pytest.raises(DomainError) as error:
        register(webinar, email="KARI@example.no ")
    assert error.value.code == "already_registered"
    assert error.value.field == "email"
    assert Registration.objects.filter(event=webinar).count() == 1


def test_the_same_email_may_register_again_after_cancelling(webinar, register):
    first = register(webinar, email="kari@example.no")
    services.registration_cancel(registration=first)
    again = register(webinar, email="kari@example.no")
    assert again.status == R.CONFIRMED and again.pk != first.pk


def test_the_database_refuses_two_active_registrations_for_one_address(webinar):
    from django.db import IntegrityError

    RegistrationFactory(event=webinar, email="kari@example.no")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=webinar, email="Kari@example.no")


def test_the_link_is_sent_again_only_to_a_registered_address(webinar, register, django_capture_on_commit_callbacks):
    registration = register(webinar, email="kari@example.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_resend_link(event=webinar, email="KARI@example.no")
        assert not services.registration_resend_link(event=webinar, email="ola@example.no")
    (message,) = mail.outbox
    assert message.to == ["kari@example.no"] and token_for(registration) in message.body


# --- When registration is open ----------------------------------------------------------------------------------


def test_registration_before_the_opening_is_refused_with_the_time(register, travel_to):
    event = EventFactory(registration_opens_at=timezone.now() + timedelta(days=2))
    with pytest.raises(DomainError) as error:
        register(event)
    assert error.value.code == "not_open"
    assert timezone.localtime(event.registration_opens_at).strftime("%H:%M") in str(error.value)
    travel_to(event.registration_opens_at + timedelta(minutes=1))
    assert register(event).status == R.CONFIRMED


def test_registration_after_the_closing_is_refused(register, travel_to):
    event = EventFactory(registration_closes_at=timezone.now() + timedelta(days=1))
    travel_to(event.registration_closes_at)
    with pytest.raises(DomainError) as error:
        register(event)
    assert error.value.code == "closed"


def test_registration_closes_when_the_event_starts(webinar, register, travel_to):
    travel_to(webinar.starts_at)
    with pytest.raises(DomainError) as error:
        register(webinar)
    assert error.value.code == "closed"


@pytest.mark.parametrize("status,code", [("draft", "draft"), ("cancelled", "cancelled")])
def test_drafts_and_cancelled_events_take_no_registrations(register, status, code):
    event = EventFactory(status=status)
    with pytest.raises(DomainError) as error:
        register(event)
    assert error.value.code == code


def test_the_office_registers_after_the_closing_and_after_the_event_but_the_capacity_holds(webinar, register, travel_to, coordinator):
    for _ in range(3):
        register(webinar)
    travel_to(webinar.ends_at + timedelta(days=1))
    walk_in = register(webinar, source=RegistrationSource.OFFICE, registered_by=coordinator)
    assert walk_in.status == R.WAITING
    assert walk_in.registered_by == coordinator


# --- Participants only -----------------------------------------------------------------------------------------------


def test_participants_only_events_refuse_organisations_outside_the_cluster(register):
    event = EventFactory(audiences=[Audience.PARTICIPANTS])
    outsider = OrganisationFactory(name="Utenfor kommune")
    ParticipantFactory(organisation=outsider)  # a prospect is not a member yet
    with pytest.raises(DomainError) as error:
        register(event, organisation=outsider)
    assert error.value.code == "participants_only"
    with pytest.raises(DomainError):
        register(event, organisation=None, organisation_name="Skrevet inn")
    member = MemberFactory()
    assert register(event, organisation=member.organisations.get()).status == R.CONFIRMED


def test_the_office_may_register_guests_for_participants_only_events(register, coordinator):
    event = EventFactory(audiences=[Audience.PARTICIPANTS])
    guest = register(event, organisation=None, organisation_name="Foredragsholder", source=RegistrationSource.OFFICE, registered_by=coordinator)
    assert guest.status == R.CONFIRMED


# --- What is kept of the answers ---------------------------------------------------------------------------------


def test_the_organisation_from_the_register_gives_name_and_kind(webinar, register):
    organisation = OrganisationFactory(name="Helse Fonna HF", kind="health_trust")
    registration = register(webinar, organisation=organisation, organisation_name="skrevet", organisation_kind="other")
    assert (registration.organisation_name, registration.organisation_kind) == ("Helse Fonna HF", "health_trust")


def test_only_the_questions_the_event_asks_are_kept(register):
    event = EventFactory(ask_role=QuestionMode.OFF, ask_dietary_needs=False)
    question = EventQuestionFactory(event=event)
    registration = register(
        event, role="Leder", dietary_needs="Vegetar", answers={str(question.pk): " Mye ", "999": "ukjent", str(question.pk + 1): "x"}
    )
    assert (registration.role, registration.dietary_needs) == ("", "")
    assert registration.answers == {str(question.pk): "Mye"}


def test_dietary_needs_are_kept_when_the_event_asks(register):
    event = EventFactory(location="Griegakademiet, Bergen", ask_dietary_needs=True)
    assert register(event, dietary_needs="Glutenfri").dietary_needs == "Glutenfri"


# --- Changing -----------------------------------------------------------------------------------------------------


def test_the_registrant_changes_details_but_not_the_address(webinar, register):
    registration = register(webinar, name="Kari", email="kari@example.no")
    services.registration_update(registration=registration, name="Kari Nordmann", email="annen@example.no", language="en")
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.language) == ("Kari Nordmann", "kari@example.no", "en")
    entry = AuditEntry.objects.get(action="polyfon.events.registration.changed")
    assert entry.payload == {"registration": registration.pk, "fields": ["name", "language"]}  # no personal data in the log


def test_the_office_changes_the_address_but_not_to_one_already_registered(webinar, register, coordinator):
    registration = register(webinar, email="kari@example.no")
    register(webinar, email="ola@example.no")
    with pytest.raises(DomainError):
        services.registration_update(registration=registration, actor=coordinator, by_office=True, email="OLA@example.no")
    services.registration_update(registration=registration, actor=coordinator, by_office=True, email="kari.n@example.no")
    registration.refresh_from_db()
    assert registration.email == "kari.n@example.no"


def test_no_changes_after_the_start(webinar, register, travel_to):
    registration = register(webinar)
    travel_to(webinar.starts_at + timedelta(minutes=1))
    with pytest.raises(DomainError):
        services.registration_update(registration=registration, name="Ny")


def test_a_cancelled_registration_cannot_be_changed(webinar, register):
    registration = register(webinar)
    services.registration_cancel(registration=registration)
    with pytest.raises(DomainError):
        services.registration_update(registration=registration, name="Ny")


# --- Attendance --------------------------------------------------------------------------------------------------


def test_attendance_is_marked_from_the_day_of_the_event(webinar, register, travel_to, coordinator):
    registration = register(webinar)
    with pytest.raises(DomainError):
        services.registration_set_attendance(registration=registration, actor=coordinator, attended=True)
    travel_to(timezone.localtime(webinar.starts_at).replace(hour=0, minute=1))
    services.registration_set_attendance(registration=registration, actor=coordinator, attended=True)
    registration.refresh_from_db()
    assert registration.attended is True and registration.checked_in_at is not None
    services.registration_set_attendance(registration=registration, actor=coordinator, attended=False)
    registration.refresh_from_db()
    assert registration.attended is False
    assert AuditEntry.objects.filter(action="polyfon.events.registration.attendance_marked").count() == 2


def test_only_people_with_a_place_are_marked_as_attending(webinar, register, travel_to, coordinator):
    for _ in range(3):
        register(webinar)
    waiting = register(webinar)
    travel_to(webinar.starts_at)
    with pytest.raises(DomainError):
        services.registration_set_attendance(registration=waiting, actor=coordinator, attended=True)


# --- Colleagues ------------------------------------------------------------------------------------------------


@pytest.fixture
def contact(db):
    """A contact person of a member whose organisation is Bergen kommune."""
    member = MemberFactory(name="Bergen kommune")
    user = UserFactory(email="kontakt@bergen.example.no", full_name="Kristin Kontakt", language="nb")
    person = PersonFactory(email=user.email, name=user.full_name, user=user)
    ParticipantContactFactory(participant=member, person=person, role=ContactRole.CONTACT)
    return user, member.organisations.get()


def test_a_contact_registers_several_colleagues_each_with_their_own_link(webinar, contact, django_capture_on_commit_callbacks):
    user, organisation = contact
    PersonFactory(email="nynorsk@example.no", language="nn")
    colleagues = [
        services.ColleagueEntry(name="Ola", email="ola@example.no", role="Musikkterapeut"),
        services.ColleagueEntry(name="Nina", email="nynorsk@example.no"),
        services.ColleagueEntry(name="Per", email="per@example.no"),
        services.ColleagueEntry(name="Liv", email="liv@example.no"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.registrations_create_for_colleagues(event=webinar, actor=user, organisation=organisation, colleagues=colleagues)
    assert [r.email for r in result.registered] == ["ola@example.no", "nynorsk@example.no", "per@example.no"]
    assert [r.email for r in result.waiting] == ["liv@example.no"]  # three places
    assert all(r.registered_by == user and r.organisation == organisation for r in result.registered + result.waiting)
    assert {r.email: r.language for r in result.registered}["nynorsk@example.no"] == "nn"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in colleagues)
    ola = next(m for m in mail.outbox if m.to == ["ola@example.no"])
    assert "Kristin Kontakt" in ola.body and token_for(result.registered[0]) in ola.body


def test_colleagues_already_registered_are_skipped_and_reported(webinar, contact, register):
    user, organisation = contact
    register(webinar, email="ola@example.no")
    result = services.registrations_create_for_colleagues(
        event=webinar,
        actor=user,
        organisation=organisation,
        colleagues=[
            services.ColleagueEntry(name="Ola", email="OLA@example.no"),
            services.ColleagueEntry(name="Per", email="per@example.no"),
            services.ColleagueEntry(name="Per igjen", email="per@example.no"),
        ],
    )
    assert [r.email for r in result.registered] == ["per@example.no"]
    assert result.already_registered == ["ola@example.no", "per@example.no"]


def test_colleagues_only_from_the_contacts_own_organisations(webinar, contact):
    user, _ = contact
    other = MemberFactory().organisations.get()
    with pytest.raises(DomainError):
        services.registrations_create_for_colleagues(
            event=webinar, actor=user, organisation=other, colleagues=[services.ColleagueEntry(name="Ola", email="ola@example.no")]
        )
    assert not Registration.objects.exists()


def test_colleague_registration_follows_the_registration_window(contact, travel_to):
    user, organisation = contact
    event = EventFactory(registration_closes_at=timezone.now() + timedelta(hours=1))
    travel_to(event.registration_closes_at + timedelta(minutes=1))
    with pytest.raises(DomainError):
        services.registrations_create_for_colleagues(
            event=event, actor=user, organisation=organisation, colleagues=[services.ColleagueEntry(name="Ola", email="ola@example.no")]
        )


# --- Side effects after commit --------------------------------------------------------------------------------------


def test_no_mail_when_the_transaction_rolls_back(webinar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.registration_create(event=webinar, name="Kari", email="kari@example.no")
            raise RuntimeError("rollback")
    assert callbacks == []
    assert mail.outbox == []
    assert not Registration.objects.exists()
