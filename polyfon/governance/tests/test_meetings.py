"""Meetings, agenda numbering, papers, invitations, attendance, minutes and decisions, rule by rule."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from polyfon.core.errors import DomainError
from polyfon.governance import permissions as perms
from polyfon.governance import selectors, services
from polyfon.governance.models import AttendanceStatus, ItemKind, Meeting, MeetingStatus, SeatRole
from polyfon.governance.validators import document_kind
from polyfon.members.models import County, Participant
from polyfon.members.tests.factories import MemberFactory, PersonFactory, UserFactory

from .factories import BodyFactory, SteeringGroupFactory, held_meeting, meeting_with_items, oslo

pytestmark = pytest.mark.django_db

NOW = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _now(travel_to):
    travel_to(NOW)


@pytest.fixture
def body():
    return SteeringGroupFactory()


def _seat(body, person=None, **kwargs):
    return services.seat_appoint(
        body=body, person=person or PersonFactory(), role=kwargs.pop("role", SeatRole.MEMBER),
        start_date=kwargs.pop("start_date", date(2026, 1, 1)), actor=None, **kwargs
    )


# --- Numbering ------------------------------------------------------------------------------------------


def test_items_are_numbered_per_body_and_year(body):
    first, items = meeting_with_items(body, starts_at=oslo(date(2026, 6, 10)), titles=("A", "B"))
    second, more = meeting_with_items(body, starts_at=oslo(date(2026, 9, 10)), titles=("C",))
    other, theirs = meeting_with_items(BodyFactory(), starts_at=oslo(date(2026, 9, 10)), titles=("X",))
    next_year, fresh = meeting_with_items(body, starts_at=oslo(date(2027, 2, 10)), titles=("D",))
    assert [(i.number, i.year) for i in items + more] == [(1, 2026), (2, 2026), (3, 2026)]
    assert theirs[0].number == 1
    assert (fresh[0].number, fresh[0].year) == (1, 2027)
    assert "3/2026" in more[0].reference


def test_standard_items_approve_the_last_held_meeting(body):
    held, _items = held_meeting(body, days_ago=20)
    meeting = services.meeting_create(body=body, actor=None, title="Neste", starts_at=oslo(date(2026, 6, 20)))
    items = list(meeting.items.order_by("number"))
    assert [i.kind for i in items] == [ItemKind.DECISION, ItemKind.MINUTES_APPROVAL]
    assert items[1].approves_meeting == held
    # A second meeting does not get another approval item for the same minutes.
    later = services.meeting_create(body=body, actor=None, title="Senere", starts_at=oslo(date(2026, 7, 20)))
    assert not later.items.filter(kind=ItemKind.MINUTES_APPROVAL).exists()


def test_reordering_swaps_numbers_before_the_meeting(body):
    meeting, (a, b, c) = meeting_with_items(body, titles=("A", "B", "C"))
    services.agenda_item_move(item=c, actor=None, direction="up")
    assert list(meeting.items.order_by("number").values_list("title", flat=True)) == ["A", "C", "B"]
    services.agenda_item_move(item=a, actor=None, direction="up")  # already first: nothing happens
    assert list(meeting.items.order_by("number").values_list("title", flat=True)) == ["A", "C", "B"]
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    with pytest.raises(DomainError):
        services.agenda_item_move(item=b, actor=None, direction="up")


def test_withdrawn_item_keeps_its_number(body):
    meeting, (a, b) = meeting_with_items(body, titles=("A", "B"), status=MeetingStatus.INVITED)
    services.agenda_item_withdraw(item=a, actor=None, reason="Utsatt")
    a.refresh_from_db()
    assert a.is_withdrawn and a.number == 1
    with pytest.raises(DomainError):
        services.agenda_item_withdraw(item=a, actor=None)
    services.decision_record(item=b, actor=None, text="Vedtatt.")
    with pytest.raises(DomainError):
        services.agenda_item_withdraw(item=b, actor=None)
    with pytest.raises(DomainError):
        services.decision_record(item=a, actor=None, text="Nei.")


def test_items_of_a_cancelled_meeting_move_within_the_year(body):
    cancelled, (item,) = meeting_with_items(body, starts_at=oslo(date(2026, 6, 10)), titles=("A",))
    target, _ = meeting_with_items(body, starts_at=oslo(date(2026, 6, 24)), titles=())
    services.meeting_cancel(meeting=cancelled, actor=None)
    services.agenda_item_transfer(item=item, actor=None, meeting=target)
    item.refresh_from_db()
    assert item.meeting == target and item.number == 1
    next_year, _ = meeting_with_items(body, starts_at=oslo(date(2027, 1, 10)), titles=())
    with pytest.raises(DomainError):
        services.agenda_item_transfer(item=item, actor=None, meeting=next_year)


def test_a_meeting_with_items_stays_in_its_year(body):
    meeting, _items = meeting_with_items(body, starts_at=oslo(date(2026, 12, 10)))
    with pytest.raises(DomainError):
        services.meeting_update(meeting=meeting, actor=None, starts_at=oslo(date(2027, 1, 10)))
    services.meeting_update(meeting=meeting, actor=None, starts_at=oslo(date(2026, 12, 12)), location="Bergen")
    with pytest.raises(DomainError):
        services.meeting_update(meeting=meeting, actor=None, starts_at=oslo(date(2026, 12, 12)),
                                ends_at=oslo(date(2026, 12, 12), hour=9))


# --- Papers -------------------------------------------------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("sak.pdf", b"%PDF-1.7 ...", "pdf"),
        ("sak.docx", _docx(), "docx"),
        ("sak.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "doc"),
    ],
)
def test_pdf_and_word_are_accepted_by_content(name, content, kind):
    assert document_kind(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    "name, content",
    [
        ("sak.pdf", b"MZ\x90\x00 this is a program"),  # a program renamed to .pdf
        ("sak.docx", b"%PDF-1.7"),  # a PDF claiming to be Word
        ("sak.docx", b"PK\x03\x04 not a zip"),
        ("arkiv.zip", _docx()),  # a zip that is not named as Word
        ("bilde.png", b"\x89PNG\r\n"),
    ],
)
def test_other_files_are_refused(name, content):
    with pytest.raises(ValidationError):
        document_kind(SimpleUploadedFile(name, content))


def test_too_large_documents_are_refused(settings):
    settings.MAX_DOCUMENT_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as error:
        document_kind(SimpleUploadedFile("sak.pdf", b"%PDF-1.7 and more than ten bytes"))
    assert error.value.code == "file_too_large"


def test_documents_are_stored_under_random_names_and_removable_before_the_meeting(body):
    meeting, (item,) = meeting_with_items(body)
    document = services.item_document_add(item=item, uploaded=SimpleUploadedFile("Budsjett Kari.pdf", b"%PDF-1.4 x"), actor=None)
    assert "Kari" not in document.file.name and document.file.name.endswith(".pdf")
    assert document.title == "Budsjett Kari" and len(document.sha256) == 64
    services.item_document_remove(document=document, actor=None)
    assert not item.documents.exists()
    document = services.item_document_add(item=item, uploaded=SimpleUploadedFile("b.pdf", b"%PDF-1.4 x"), actor=None)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    with pytest.raises(DomainError):
        services.item_document_remove(document=document, actor=None)


def test_service_refuses_a_disguised_file_even_without_the_form(body):
    _meeting, (item,) = meeting_with_items(body)
    with pytest.raises(ValidationError):
        services.item_document_add(item=item, uploaded=SimpleUploadedFile("x.pdf", b"<html>"), actor=None)


# --- Invitations --------------------------------------------------------------------------------------------------


def _ics(message) -> Calendar:
    name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_invitation_goes_to_everyone_with_a_seat_on_the_day(body, coordinator, django_capture_on_commit_callbacks):
    member = MemberFactory()
    chair = PersonFactory(language="en")
    _seat(body, chair, role=SeatRole.CHAIR)
    _seat(body, chair, participant=member)  # two seats, one invitation
    _seat(body, PersonFactory(), start_date=date(2025, 1, 1), end_date=date(2026, 5, 1))  # ended before
    future = _seat(body, PersonFactory(), start_date=date(2026, 7, 1))  # starts after
    other = _seat(body, PersonFactory(language="nn"))
    meeting, _items = meeting_with_items(body, starts_at=oslo(date(2026, 6, 15)), titles=("Budsjett",))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_invitation(meeting=meeting, actor=coordinator, message="Velkommen")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chair.email, other.person.email])
    assert future.person.email not in [m.to[0] for m in mail.outbox]
    english = next(m for m in mail.outbox if m.to == [chair.email])
    assert "Invitation: " + meeting.title in english.subject and "2026" in english.subject
    assert "Budsjett" in english.body and "Velkommen" in english.body
    event = _ics(english).walk("VEVENT")[0]
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")
    assert event.decoded("dtstart") == datetime(2026, 6, 15, 8, 0, tzinfo=UTC)  # 10:00 in Oslo (summer time)
    assert int(event["sequence"]) == 0
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED and meeting.invitation_sequence == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_invitation(meeting=meeting, actor=coordinator)
    english = next(m for m in mail.outbox if m.to == [chair.email])
    assert "Updated invitation" in english.subject
    assert int(_ics(english).walk("VEVENT")[0]["sequence"]) == 1


def test_invitation_is_refused_without_members_or_after_the_start(body, coordinator):
    meeting, _items = meeting_with_items(body)
    with pytest.raises(DomainError):
        services.meeting_send_invitation(meeting=meeting, actor=coordinator)
    _seat(body)
    past, _items = meeting_with_items(body, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError):
        services.meeting_send_invitation(meeting=past, actor=coordinator)


def test_no_invitation_leaves_when_the_transaction_rolls_back(body, coordinator, django_capture_on_commit_callbacks):
    _seat(body)
    meeting, _items = meeting_with_items(body)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.meeting_send_invitation(meeting=meeting, actor=coordinator)
            raise RuntimeError("rollback")
    assert callbacks == [] and mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_cancelling_an_invited_meeting_sends_a_calendar_cancellation(body, coordinator, django_capture_on_commit_callbacks):
    _seat(body)
    meeting, _items = meeting_with_items(body)
    services.meeting_send_invitation(meeting=meeting, actor=coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=coordinator, reason="For få kan komme")
    assert len(mail.outbox) == 1
    calendar = _ics(mail.outbox[0])
    assert str(calendar["method"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"
    with pytest.raises(DomainError):
        services.meeting_cancel(meeting=meeting, actor=coordinator)


def test_cancelling_a_planned_meeting_tells_nobody(body, coordinator, django_capture_on_commit_callbacks):
    _seat(body)
    meeting, _items = meeting_with_items(body)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=coordinator)
    assert mail.outbox == []


def test_a_meeting_is_held_on_or_after_its_day(body):
    meeting, _items = meeting_with_items(body, starts_at=oslo(date(2026, 6, 2)))
    with pytest.raises(DomainError):
        services.meeting_mark_held(meeting=meeting, actor=None)
    today, _items = meeting_with_items(body, starts_at=oslo(NOW, hour=8))
    services.meeting_mark_held(meeting=today, actor=None)
    assert Meeting.objects.get(pk=today.pk).status == MeetingStatus.HELD


# --- Attendance, minutes and approval -----------------------------------------------------------------------------


def test_attendance_only_for_seat_holders(body):
    holder = _seat(body).person
    meeting, _items = meeting_with_items(body, starts_at=oslo(date(2026, 5, 20)), status=MeetingStatus.HELD)
    services.attendance_record(meeting=meeting, actor=None, entries=[(holder, AttendanceStatus.PRESENT, "")])
    services.attendance_record(meeting=meeting, actor=None, entries=[(holder, AttendanceStatus.EXCUSED, "Syk")])
    entry = meeting.attendance.get()
    assert (entry.status, entry.note, entry.seat.person) == (AttendanceStatus.EXCUSED, "Syk", holder)
    with pytest.raises(DomainError):
        services.attendance_record(meeting=meeting, actor=None, entries=[(PersonFactory(), AttendanceStatus.PRESENT, "")])
    planned, _items = meeting_with_items(body)
    with pytest.raises(DomainError):
        services.attendance_record(meeting=planned, actor=None, entries=[(holder, AttendanceStatus.PRESENT, "")])


def test_minutes_are_written_for_a_held_meeting_only(body):
    meeting, (item,) = meeting_with_items(body)
    with pytest.raises(DomainError):
        services.minutes_save(meeting=meeting, actor=None, minutes={item.pk: "Tekst"})
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    services.minutes_save(meeting=meeting, actor=None, minutes={item.pk: "Drøftet."}, chaired_by="Leder", minutes_by="Kari")
    item.refresh_from_db()
    meeting.refresh_from_db()
    assert (item.minutes, meeting.chaired_by) == ("Drøftet.", "Leder")
    other, (foreign,) = meeting_with_items(body)
    with pytest.raises(DomainError):
        services.minutes_save(meeting=meeting, actor=None, minutes={foreign.pk: "x"})


def test_minutes_are_approved_at_the_next_meeting(body):
    held, _items = held_meeting(body, days_ago=30)
    meeting = services.meeting_create(body=body, actor=None, title="Neste", starts_at=oslo(NOW, hour=8))
    approval = meeting.items.get(kind=ItemKind.MINUTES_APPROVAL)
    with pytest.raises(DomainError):  # the approving meeting has not started
        services.minutes_approve(item=approval, actor=None)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    services.minutes_approve(item=approval, actor=None, note="Med en rettelse")
    held.refresh_from_db()
    assert held.status == MeetingStatus.MINUTES_APPROVED and held.minutes_approved_in == approval
    decision = approval.decisions.get()
    assert "Med en rettelse" in decision.text
    with pytest.raises(DomainError):
        services.minutes_approve(item=approval, actor=None)
    # Approved minutes are frozen.
    with pytest.raises(DomainError):
        services.minutes_save(meeting=held, actor=None, minutes={})


def test_minutes_must_exist_before_approval(body):
    held, _items = held_meeting(body, days_ago=30, minutes="")
    meeting, _ = meeting_with_items(body, starts_at=oslo(NOW, hour=8), titles=(), status=MeetingStatus.INVITED)
    item = services.agenda_item_add(meeting=meeting, actor=None, title="Referat", kind=ItemKind.MINUTES_APPROVAL,
                                    approves_meeting=held)
    with pytest.raises(DomainError):
        services.minutes_approve(item=item, actor=None)


def test_approval_item_must_name_an_earlier_held_meeting_of_the_body(body):
    meeting, _ = meeting_with_items(body, titles=())
    later, _ = meeting_with_items(body, starts_at=timezone.now() + timedelta(days=30), titles=())
    with pytest.raises(DomainError):
        services.agenda_item_add(meeting=meeting, actor=None, title="x", kind=ItemKind.MINUTES_APPROVAL, approves_meeting=later)
    foreign, _ = held_meeting(BodyFactory())
    with pytest.raises(DomainError):
        services.agenda_item_add(meeting=meeting, actor=None, title="x", kind=ItemKind.MINUTES_APPROVAL, approves_meeting=foreign)


# --- Decisions ------------------------------------------------------------------------------------------------------


def test_decisions_are_recorded_at_the_meeting(body, coordinator):
    planned, (item,) = meeting_with_items(body)
    with pytest.raises(DomainError):
        services.decision_record(item=item, actor=coordinator, text="For tidlig")
    Meeting.objects.filter(pk=planned.pk).update(status=MeetingStatus.INVITED)
    decision = services.decision_record(item=item, actor=coordinator, text="Vedtatt", vote="Enstemmig")
    assert (decision.body, decision.decided_on) == (body, planned.local_date)


def test_decision_links_to_any_object_by_content_type(body, coordinator):
    meeting, (item,) = meeting_with_items(body, status=MeetingStatus.INVITED)
    participant = MemberFactory()
    decision = services.decision_record(
        item=item, actor=coordinator, text="Tildelt", subject_type=ContentType.objects.get_for_model(Participant),
        subject_id=str(participant.pk),
    )
    assert decision.subject == participant
    assert decision.subject_url == participant.get_absolute_url()
    assert decision.subject_label == str(participant)
    assert list(selectors.decisions_for(participant)) == [decision]
    county = County.objects.first()  # a model without a page: no link, only the label
    services.decision_link(decision=decision, actor=coordinator, subject_type=ContentType.objects.get_for_model(County),
                           subject_id=str(county.pk), subject_label="Fylket")
    decision.refresh_from_db()
    assert decision.subject_url == "" and decision.subject_label == "Fylket"
    with pytest.raises(DomainError) as error:
        services.decision_link(decision=decision, actor=coordinator, subject_type=ContentType.objects.get_for_model(County),
                               subject_id="999999")
    assert error.value.field == "subject_id"
    services.decision_link(decision=decision, actor=coordinator, subject_type=None)
    decision.refresh_from_db()
    assert decision.subject_type is None and decision.subject_label == ""


def test_the_fee_schedule_and_the_call_show_the_decisions_that_set_them(body, coordinator, client):
    from polyfon.billing.tests.factories import FeeScheduleFactory
    from polyfon.funding.tests.factories import CallFactory

    meeting, (item,) = meeting_with_items(body, status=MeetingStatus.INVITED)
    schedule, call = FeeScheduleFactory(), CallFactory()
    for subject, text in [(schedule, "Deltakeravgiften for året fastsettes."), (call, "Tildelingene i utlysningen vedtas.")]:
        services.decision_record(item=item, actor=coordinator, text=text,
                                 subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk))
    client.force_login(coordinator)
    for subject, text in [(schedule, "Deltakeravgiften"), (call, "Tildelingene")]:
        html = client.get(subject.get_absolute_url()).content.decode()
        assert 'id="decisions-for-heading"' in html and text in html, subject
        assert f'href="{item.get_absolute_url()}"' in html


def test_decision_text_is_frozen_when_the_minutes_are_approved_but_the_link_is_not(body, coordinator):
    meeting, (item,) = meeting_with_items(body, status=MeetingStatus.INVITED)
    decision = services.decision_record(item=item, actor=coordinator, text="Vedtatt")
    services.decision_update(decision=decision, actor=coordinator, text="Vedtatt med endring", vote="7 mot 2")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.MINUTES_APPROVED)
    with pytest.raises(DomainError):
        services.decision_update(decision=decision, actor=coordinator, text="Endret etterpå")
    member = MemberFactory()
    services.decision_link(decision=decision, actor=coordinator, subject_type=ContentType.objects.get_for_model(Participant),
                           subject_id=str(member.pk))


# --- Publication -----------------------------------------------------------------------------------------------------


def test_publication_rules(body):
    meeting, (item,) = meeting_with_items(body)
    document = services.item_document_add(item=item, uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), actor=None)
    assert not meeting.agenda_is_public and not perms.document_is_published(document)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.INVITED)
    document.refresh_from_db()
    assert document.item.meeting.agenda_is_public and perms.document_is_published(document)
    assert not document.item.meeting.minutes_are_public
    item.is_confidential = True
    item.save()
    document.refresh_from_db()
    assert not perms.document_is_published(document)
    body.publishes_agenda = False
    body.save()
    meeting.refresh_from_db()
    assert not meeting.agenda_is_public
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.MINUTES_APPROVED)
    meeting.refresh_from_db()
    assert meeting.minutes_are_public
    body.is_public = False
    body.save()
    meeting.refresh_from_db()
    assert not meeting.minutes_are_public and not perms.can_view_public_meeting(meeting)


def test_seat_holders_see_papers_once_invited(body):
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    panel = BodyFactory()
    _seat(panel, person)
    meeting, _ = meeting_with_items(panel)
    assert not perms.can_view_meeting_papers(user, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.INVITED)
    meeting.refresh_from_db()
    user = type(user).objects.get(pk=user.pk)  # a new request
    assert perms.can_view_meeting_papers(user, meeting)
    other, _ = meeting_with_items(body, status=MeetingStatus.INVITED)
    assert not perms.can_view_meeting_papers(user, other)
