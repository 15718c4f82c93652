"""Events through the real URLs with the real permissions (texts asserted in English)."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from polyfon.events.models import Audience, Event, EventKind, EventStatus, Registration, RegistrationStatus
from polyfon.events.tokens import token_for
from polyfon.members.tests.factories import MemberFactory, OrganisationFactory

from .factories import EventFactory, EventQuestionFactory, RegistrationFactory, oslo

pytestmark = pytest.mark.django_db
R = RegistrationStatus


def form_data(**overrides):
    data = {"name": "Kari Nordmann", "email": "kari@example.no", "organisation": "Askøy kommune", "organisation_kind": "municipality", "role": "Musikkterapeut"}
    return {**data, **overrides}


# --- Registering on the event page -----------------------------------------------------------------------------


def test_a_visitor_registers_and_lands_on_the_personal_page_with_the_online_link(english, webinar, django_capture_on_commit_callbacks):
    page = english.get(webinar.public_url).content.decode()
    assert webinar.online_url not in page  # never on the public page
    assert 'list="organisation-options"' in page and 'hx-get="/arrangement/organisasjoner/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(webinar.public_url, form_data())
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration_detail", args=[token_for(registration)])
    assert "kari" not in response["Location"] and "example" not in response["Location"]
    assert registration.language == "en"
    detail = english.get(response["Location"])
    assert webinar.online_url in detail.content.decode()
    assert detail["X-Robots-Tag"] == "noindex, nofollow" and "no-store" in detail["Cache-Control"]
    assert len(mail.outbox) == 1


def test_a_second_registration_with_the_same_address_is_told_and_offered_the_link(english, webinar, django_capture_on_commit_callbacks):
    RegistrationFactory(event=webinar, email="kari@example.no")
    response = english.post(webinar.public_url, form_data(email="KARI@example.no"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "already registered for this event" in html
    assert reverse("events:registration_resend", args=[webinar.slug]) in html and "Send me the link again" in html
    with django_capture_on_commit_callbacks(execute=True):
        english.post(reverse("events:registration_resend", args=[webinar.slug]), {"email": "kari@example.no"})
    assert [m.to for m in mail.outbox] == [["kari@example.no"]]


def test_asking_for_the_link_answers_the_same_for_unknown_addresses(english, webinar):
    url = reverse("events:registration_resend", args=[webinar.slug])
    known = english.post(url, {"email": "ukjent@example.no"}, follow=True).content.decode()
    assert "If the address is registered" in known
    assert mail.outbox == []


def test_the_form_asks_what_the_event_asks(english):
    event = EventFactory(location="Bergen", ask_dietary_needs=True, ask_role="off", ask_organisation="optional")
    EventQuestionFactory(event=event, text="Hva ønsker du å lære?", required=True)
    html = english.get(event.public_url).content.decode()
    assert 'name="dietary_needs"' in html and 'name="role"' not in html and "Hva ønsker du å lære?" in html
    assert re.search(r'<textarea name="question_\d+"[^>]*class="ds-input"', html)  # styled like the other fields
    response = english.post(event.public_url, form_data(organisation=""))
    assert response.status_code == 200  # the required question is missing
    assert not Registration.objects.exists()


def test_the_organisation_picked_from_the_suggestions_is_linked(english, webinar):
    helse = OrganisationFactory(name="Helse Fonna HF", org_number="983974791", kind="health_trust")
    options = english.get(reverse("events:organisation_suggestions"), {"organisation": "fonna"}).content.decode()
    assert 'value="Helse Fonna HF (983 974 791)"' in options
    english.post(webinar.public_url, form_data(organisation="Helse Fonna HF (983 974 791)"))
    registration = Registration.objects.get()
    assert (registration.organisation, registration.organisation_kind) == (helse, "health_trust")


def test_a_typed_organisation_is_kept_as_typed(english, webinar):
    english.post(webinar.public_url, form_data(organisation="Lille Musikkskole", organisation_kind="other"))
    registration = Registration.objects.get()
    assert (registration.organisation, registration.organisation_name, registration.organisation_kind) == (None, "Lille Musikkskole", "other")


def test_a_full_event_offers_the_waiting_list(english, webinar):
    for _ in range(3):
        RegistrationFactory(event=webinar)
    html = english.get(webinar.public_url).content.decode()
    assert "The event is full" in html and "Join the waiting list" in html
    response = english.post(webinar.public_url, form_data(), follow=True)
    assert "You are number 1 on the waiting list" in response.content.decode()


def test_the_honeypot_answers_but_keeps_nothing(english, webinar):
    response = english.post(webinar.public_url, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_registrations_are_rate_limited_per_address(english, webinar, settings):
    settings.EVENTS_REGISTRATION_RATE_LIMIT = "3/h"
    webinar.capacity = None
    webinar.save()
    for n in range(3):
        english.post(webinar.public_url, form_data(email=f"k{n}@example.no"))
    response = english.post(webinar.public_url, form_data(email="k9@example.no"))
    assert response.status_code == 200 and "Too many registrations" in response.content.decode()
    assert Registration.objects.count() == 3


def test_before_opening_and_after_closing_the_page_says_so_and_the_service_refuses(english, travel_to):
    event = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    html = english.get(event.public_url).content.decode()
    assert "Registration opens" in html and 'name="email"' not in html
    response = english.post(event.public_url, form_data())
    assert "Registration opens" in response.content.decode()
    assert not Registration.objects.exists()
    travel_to(event.starts_at + timedelta(minutes=1))
    assert "Registration is closed." in english.get(event.public_url).content.decode()


def test_a_cancelled_event_says_so_and_takes_nobody(english):
    event = EventFactory(status=EventStatus.CANCELLED, cancel_reason="Foredragsholderen er syk.")
    html = english.get(event.public_url).content.decode()
    assert "The event is cancelled" in html and "Foredragsholderen er syk." in html and 'name="email"' not in html


# --- Who sees what --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind,is_public,status,answers",
    [
        (EventKind.WEBINAR, True, EventStatus.DRAFT, {"anonymous": 404, "contact": 404, "steering": 404, "coordinator": 200}),
        (EventKind.NETWORK_MEETING, False, EventStatus.PUBLISHED, {"anonymous": 404, "contact": 200, "steering": 200, "coordinator": 200}),
        (EventKind.STEERING_MEETING, False, EventStatus.PUBLISHED, {"anonymous": 404, "contact": 404, "steering": 200, "coordinator": 200}),
    ],
)
def test_events_that_are_not_public_are_not_found_by_others(client, role_users, kind, is_public, status, answers):
    event = EventFactory(kind=kind, is_public=is_public, status=status)
    for role, expected in answers.items():
        client.logout()
        if role_users[role]:
            client.force_login(role_users[role])
        assert client.get(event.public_url).status_code == expected, role
        assert client.get(reverse("events:event_ics", args=[event.slug])).status_code == expected, role


def test_the_description_is_sanitised_markdown_under_the_page_heading(client):
    event = EventFactory(description="# Program\n\n**Velkommen** <script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(event.public_url).content.decode()
    assert "<h2>Program</h2>" in html and "<strong>Velkommen</strong>" in html
    assert "<script>alert" not in html and "javascript:alert" not in html


def test_the_list_shows_public_events_filtered_and_past_ones_apart(english):
    from polyfon.content.models import WorkArea

    area = WorkArea.objects.first()
    municipalities = EventFactory(title="For kommunene", audiences=[Audience.MUNICIPALITIES])
    municipalities.work_areas.add(area)
    EventFactory(title="For helseforetakene", audiences=[Audience.HEALTH_TRUSTS])
    EventFactory(title="Internt møte", is_public=False)
    EventFactory(title="Gammelt webinar", starts_at=timezone.now() - timedelta(days=40), ends_at=timezone.now() - timedelta(days=40, hours=-1))
    html = english.get(reverse("events:event_list")).content.decode()
    assert "For kommunene" in html and "For helseforetakene" in html and "Internt møte" not in html and "Gammelt webinar" not in html
    html = english.get(reverse("events:event_list"), {"audience": "municipalities"}).content.decode()
    assert "For kommunene" in html and "For helseforetakene" not in html
    html = english.get(reverse("events:event_list"), {"work_area": area.slug}).content.decode()
    assert "For kommunene" in html and "For helseforetakene" not in html
    html = english.get(reverse("events:event_list"), {"period": "past"}).content.decode()
    assert "Gammelt webinar" in html and "For kommunene" not in html


def test_the_calendar_shows_the_month(english):
    EventFactory(title="Seminar i mars", starts_at=oslo(2027, 3, 11, 9, 30), ends_at=oslo(2027, 3, 11, 15, 30))
    html = english.get(reverse("events:event_calendar"), {"month": "2027-03"}).content.decode()
    assert "Seminar i mars" in html and "March 2027" in html and '<th scope="col">' in html
    assert "Seminar i mars" not in english.get(reverse("events:event_calendar"), {"month": "2027-04"}).content.decode()
    assert english.get(reverse("events:event_calendar"), {"month": "tull"}).status_code == 200


def test_the_feed_and_the_event_file_are_calendars(client, webinar):
    feed = client.get(reverse("events:event_feed"))
    assert feed["Content-Type"].startswith("text/calendar") and b"BEGIN:VCALENDAR" in feed.content
    assert webinar.title.encode() in feed.content
    one = client.get(reverse("events:event_ics", args=[webinar.slug]))
    assert "attachment" in one["Content-Disposition"] and webinar.online_url.encode() not in one.content.replace(b"\r\n ", b"")


# --- The personal page behind the link ---------------------------------------------------------------------------


def test_the_registrant_changes_and_cancels_through_the_link(english, webinar, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(event=webinar, name="Kari", email="kari@example.no")
    waiting = RegistrationFactory(event=webinar, status=R.WAITING)
    for _ in range(2):
        RegistrationFactory(event=webinar)
    token = token_for(registration)
    response = english.post(
        reverse("events:registration_edit", args=[token]),
        {"name": "Kari Nordmann", "organisation": "Bergen kommune", "role": "Leder", "language": "nn"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.language) == ("Kari Nordmann", "kari@example.no", "nn")
    assert "Yes, cancel my registration" in english.get(reverse("events:registration_cancel", args=[token])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        english.post(reverse("events:registration_cancel", args=[token]))
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == (R.CANCELLED, R.CONFIRMED)
    page = english.get(reverse("events:registration_detail", args=[token])).content.decode()
    assert "The registration is cancelled." in page and webinar.online_url not in page


def test_a_changed_or_made_up_link_finds_nothing(client, webinar):
    registration = RegistrationFactory(event=webinar)
    token = token_for(registration)
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"), registration.secret, "abc:def", str(registration.pk)]:
        assert client.get(reverse("events:registration_detail", args=[bad])).status_code == 404


def test_the_waiting_list_gets_no_online_link(english, webinar):
    registration = RegistrationFactory(event=webinar, status=R.WAITING)
    html = english.get(reverse("events:registration_detail", args=[token_for(registration)])).content.decode()
    assert webinar.online_url not in html and "on the waiting list" in html


def test_the_attendee_downloads_the_certificate_after_the_event(english, travel_to):
    event = EventFactory(title="Musikk og demens")
    attendee = RegistrationFactory(event=event, attended=True)
    absent = RegistrationFactory(event=event, attended=False)
    url = reverse("events:registration_certificate", args=[token_for(attendee)])
    assert english.get(url).status_code == 404  # not before the event has ended
    travel_to(event.ends_at + timedelta(hours=1))
    page = english.get(reverse("events:registration_detail", args=[token_for(attendee)])).content.decode()
    assert url in page
    response = english.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert english.get(reverse("events:registration_certificate", args=[token_for(absent)])).status_code == 404


# --- My pages ----------------------------------------------------------------------------------------------------


def test_my_pages_list_my_registrations(english, registered_user, webinar):
    mine = RegistrationFactory(event=webinar, email=registered_user.email.upper())
    RegistrationFactory(event=webinar, email="someone.else@example.no")
    english.force_login(registered_user)
    html = english.get(reverse("events:mine_events")).content.decode()
    assert reverse("events:registration_detail", args=[token_for(mine)]) in html
    assert html.count("/arrangement/pamelding/") == 1
    assert "Register colleagues" not in html


def test_a_contact_registers_colleagues_from_my_pages(english, contact_user, member, webinar, django_capture_on_commit_callbacks):
    english.force_login(contact_user)
    html = english.get(reverse("events:mine_events")).content.decode()
    colleagues_url = reverse("events:mine_event_colleagues", args=[webinar.slug])
    assert colleagues_url in html
    page = english.get(colleagues_url, {"rows": 3}).content.decode()
    assert page.count("Colleague ") >= 3
    data = {
        "organisation": member.organisations.get().pk,
        "colleague-TOTAL_FORMS": "3",
        "colleague-INITIAL_FORMS": "0",
        "colleague-0-name": "Ola Hansen",
        "colleague-0-email": "ola@example.no",
        "colleague-0-role": "Musikkterapeut",
        "colleague-1-name": "Liv Berg",
        "colleague-1-email": "liv@example.no",
        "colleague-1-role": "",
        "colleague-2-name": "",
        "colleague-2-email": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(colleagues_url, data, follow=True)
    html = response.content.decode()
    assert "2 colleagues are registered." in html and "Ola Hansen" in html
    assert sorted(m.to[0] for m in mail.outbox) == ["liv@example.no", "ola@example.no"]
    assert set(Registration.objects.values_list("registered_by", flat=True)) == {contact_user.pk}


def test_a_contact_cannot_pick_another_participants_organisation(english, contact_user, webinar):
    english.force_login(contact_user)
    other = MemberFactory().organisations.get()
    response = english.post(
        reverse("events:mine_event_colleagues", args=[webinar.slug]),
        {"organisation": other.pk, "colleague-TOTAL_FORMS": "1", "colleague-INITIAL_FORMS": "0",
         "colleague-0-name": "Ola", "colleague-0-email": "ola@example.no"},
    )
    assert response.status_code == 200 and not Registration.objects.exists()


# --- The office ---------------------------------------------------------------------------------------------------


def test_the_coordinator_creates_an_event_in_oslo_time(english, coordinator):
    from polyfon.content.models import WorkArea

    english.force_login(coordinator)
    area = WorkArea.objects.first()
    response = english.post(
        reverse("events:event_create"),
        {
            "title": "Webinar for helseforetak",
            "kind": "webinar",
            "is_public": "on",
            "audiences": ["health_trusts"],
            "work_areas": [area.pk],
            "starts_at": "2030-10-26T11:30",
            "ends_at": "2030-10-26T12:30",
            "online_url": "https://uib.zoom.us/j/2",
            "capacity": "100",
            "ask_organisation": "required",
            "ask_role": "optional",
            "reminder_hours": "24",
            "keep_dietary_days": "7",
            "keep_personal_data_days": "180",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M") == "2030-10-26 11:30"
    assert event.starts_at.utcoffset() == timedelta(0) and event.starts_at.hour == 9
    assert event.audience_codes == ["health_trusts"] and list(event.work_areas.all()) == [area]
    assert event.status == EventStatus.DRAFT


def test_the_office_form_explains_domain_errors_at_the_field(english, coordinator):
    english.force_login(coordinator)
    response = english.post(
        reverse("events:event_create"),
        {"title": "Seminar", "kind": "seminar", "starts_at": "2030-10-26T10:00", "ends_at": "2030-10-26T15:00",
         "ask_organisation": "required", "ask_role": "optional", "ask_dietary_needs": "on", "reminder_hours": "24",
         "keep_dietary_days": "7", "keep_personal_data_days": "180"},
    )
    assert response.status_code == 200
    assert 'id="id_ask_dietary_needs_error"' in response.content.decode()
    assert not Event.objects.exists()


def test_the_coordinator_copies_publishes_and_cancels(english, coordinator, webinar, django_capture_on_commit_callbacks):
    english.force_login(coordinator)
    response = english.post(
        reverse("events:event_copy", args=[webinar.pk]),
        {"title": "Webinar for helseforetak", "starts_at": "2030-10-26T11:30", "audiences": ["health_trusts"]},
    )
    copy = Event.objects.get(title="Webinar for helseforetak")
    assert response["Location"] == copy.get_absolute_url() and copy.status == EventStatus.DRAFT
    detail = english.get(copy.get_absolute_url()).content.decode()
    assert reverse("events:event_move", args=[copy.pk, "publish"]) in detail
    english.post(reverse("events:event_move", args=[copy.pk, "publish"]))
    copy.refresh_from_db()
    assert copy.status == EventStatus.PUBLISHED
    assert english.get(reverse("events:event_move", args=[copy.pk, "publish"])).status_code == 404  # not from here
    RegistrationFactory(event=webinar)
    detail = english.get(webinar.get_absolute_url()).content.decode()
    assert reverse("events:event_move", args=[webinar.pk, "unpublish"]) not in detail  # people are registered
    with django_capture_on_commit_callbacks(execute=True):
        english.post(reverse("events:event_move", args=[webinar.pk, "cancel"]), {"reason": "Sykdom"})
    webinar.refresh_from_db()
    assert webinar.status == EventStatus.CANCELLED and len(mail.outbox) == 1


def test_registrations_export_with_the_answers(english, coordinator, webinar):
    question = EventQuestionFactory(event=webinar, text="Hva ønsker du å lære?")
    RegistrationFactory(event=webinar, name="Kari", answers={str(question.pk): "Sang i grupper"}, dietary_needs="")
    RegistrationFactory(event=webinar, name="Ola", status=R.WAITING)
    english.force_login(coordinator)
    url = reverse("events:event_registrations", args=[webinar.pk])
    html = english.get(url).content.decode()
    assert "Kari" in html and "Ola" in html
    assert "Ola" not in english.get(url, {"status": "confirmed"}).content.decode()
    csv = english.get(url, {"format": "csv"})
    body = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "Hva ønsker du å lære?" in body and "Sang i grupper" in body
    rows = list(load_workbook(BytesIO(english.get(url, {"format": "xlsx"}).content)).active.values)
    assert rows[0][-1] == "Hva ønsker du å lære?" and len(rows) == 3
    assert "Sang i grupper" in [row[-1] for row in rows]


def test_attendance_on_the_phone_with_and_without_htmx(english, coordinator, travel_to):
    event = EventFactory()
    kari = RegistrationFactory(event=event, name="Kari")
    ola = RegistrationFactory(event=event, name="Ola")
    RegistrationFactory(event=event, name="Venter", status=R.WAITING)
    travel_to(event.starts_at)
    english.force_login(coordinator)
    page = english.get(reverse("events:event_checkin", args=[event.pk])).content.decode()
    assert "Kari" in page and "Ola" in page and "Venter" not in page
    assert "Ola" not in english.get(reverse("events:event_checkin", args=[event.pk]), {"q": "kar"}).content.decode()
    url = reverse("events:registration_checkin", args=[kari.pk])
    row = english.post(url, {"attended": "yes"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and f'id="registration-{kari.pk}"' in row.content.decode() and "is-present" in row.content.decode()
    response = english.post(reverse("events:registration_checkin", args=[ola.pk]), {"attended": "no", "q": "ol"})
    assert response.status_code == 302 and response["Location"].endswith(f"?q=ol#registration-{ola.pk}")
    kari.refresh_from_db()
    ola.refresh_from_db()
    assert (kari.attended, ola.attended) == (True, False)


def test_attendance_before_the_day_is_refused_with_a_message(english, coordinator, webinar):
    registration = RegistrationFactory(event=webinar)
    english.force_login(coordinator)
    row = english.post(reverse("events:registration_checkin", args=[registration.pk]), {"attended": "yes"}, HTTP_HX_REQUEST="true")
    assert "from the day of the event" in row.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_the_coordinator_emails_the_registrants(english, coordinator, webinar, django_capture_on_commit_callbacks):
    RegistrationFactory(event=webinar, email="kari@example.no")
    english.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(
            reverse("events:event_message", args=[webinar.pk]), {"recipients": "registered", "subject": "Program", "body": "Vedlagt."}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["kari@example.no"]]
    assert "Program" in english.get(reverse("events:event_message", args=[webinar.pk])).content.decode()


def test_the_office_registers_a_walk_in_and_edits_a_registration(english, coordinator, travel_to, django_capture_on_commit_callbacks):
    event = EventFactory()
    travel_to(event.ends_at + timedelta(hours=1))  # after the event: a walk-in is added for the counts
    english.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(reverse("events:event_registration_add", args=[event.pk]), {**form_data(), "language": "nb"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.source == "office" and registration.registered_by == coordinator
    response = english.post(
        reverse("events:office_registration_edit", args=[registration.pk]),
        {**form_data(email="ny@example.no", name="Kari N."), "language": "en"},
    )
    registration.refresh_from_db()
    assert (registration.email, registration.name) == ("ny@example.no", "Kari N.")
    page = english.get(reverse("events:office_registration_edit", args=[registration.pk])).content.decode()
    assert "Registration changed" in page  # its own history
    english.post(reverse("events:office_registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == R.CANCELLED


def test_the_office_page_counts_per_audience_and_kind(english, coordinator, webinar):
    RegistrationFactory(event=webinar, organisation_kind="health_trust", organisation_name="Helse Bergen HF")
    RegistrationFactory(event=webinar, organisation_kind="municipality", organisation_name="Askøy kommune")
    english.force_login(coordinator)
    html = english.get(webinar.get_absolute_url()).content.decode()
    assert "By audience" in html and "Health trusts and hospitals" in html and "Helse Bergen HF" in html


# --- Queries do not grow with the data -------------------------------------------------------------------------------


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context)


def _more_data(event, n):
    from polyfon.content.models import WorkArea

    for _ in range(n):
        other = EventFactory(audiences=[Audience.MUNICIPALITIES, Audience.PUBLIC])
        other.work_areas.add(*WorkArea.objects.all()[:2])
        RegistrationFactory(event=other)
        RegistrationFactory(event=event, organisation=OrganisationFactory())
        RegistrationFactory(event=event, status=R.WAITING)


@pytest.mark.parametrize(
    "url_name,with_event,params",
    [
        ("events:office_event_list", False, {}),
        ("events:event_registrations", True, {}),
        ("events:event_registrations", True, {"format": "csv"}),
        ("events:event_checkin", True, {}),
        ("events:office_event_detail", True, {}),
        ("events:event_list", False, {}),
        ("events:event_calendar", False, {}),
        ("events:event_feed", False, {}),
    ],
)
def test_pages_use_a_constant_number_of_queries(client, coordinator, url_name, with_event, params):
    event = EventFactory()
    client.force_login(coordinator)
    url = reverse(url_name, args=[event.pk]) if with_event else reverse(url_name)
    _more_data(event, 2)
    few = _queries(client, url, **params)
    _more_data(event, 12)
    assert _queries(client, url, **params) == few


# --- Every page in every language ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_pages_render_in_each_language(client, coordinator, settings, language, travel_to):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    event = EventFactory(location="Bergen", ask_dietary_needs=True)
    EventQuestionFactory(event=event)
    registration = RegistrationFactory(event=event, attended=True)
    client.force_login(coordinator)
    for url in [
        reverse("events:event_list"),
        reverse("events:event_calendar"),
        event.public_url,
        reverse("events:registration_detail", args=[token_for(registration)]),
        reverse("events:registration_edit", args=[token_for(registration)]),
        reverse("events:mine_events"),
        event.get_absolute_url(),
        reverse("events:event_registrations", args=[event.pk]),
        reverse("events:event_checkin", args=[event.pk]),
        reverse("events:event_edit", args=[event.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode()
    travel_to(event.ends_at + timedelta(hours=1))
    assert client.get(reverse("events:registration_certificate", args=[token_for(registration)])).status_code == 200
