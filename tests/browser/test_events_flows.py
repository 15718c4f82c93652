"""The main flows of events in a real browser, with an axe-core scan of every page visited.

Texts are asserted in English (the language cookie is set before the first page), so the tests
hold while the Norwegian catalogues catch up."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from polyfon.events.models import Audience, Event, EventStatus, Registration, RegistrationStatus
from polyfon.events.tests.factories import EventFactory, RegistrationFactory
from polyfon.events.tokens import token_for
from polyfon.members.models import ContactRole
from polyfon.members.tests.factories import (
    PASSWORD,
    MemberFactory,
    OrganisationFactory,
    ParticipantContactFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def english(page, live_server):
    page.context.add_cookies([{"name": "polyfon_language", "value": "en", "url": live_server.url}])


def log_in(page, axe, email):
    page.goto("/konto/login/")
    axe(page, context="login page")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_visitor_registers_for_a_webinar_and_cancels_so_the_waiting_list_moves(page, axe, live_server):
    english(page, live_server)
    OrganisationFactory(name="Askøy kommune", org_number="964338442")
    webinar = EventFactory(title="Webinar for kommuner og fylkeskommuner", capacity=1, audiences=[Audience.MUNICIPALITIES])
    page.goto("/arrangement/kalender/")
    axe(page, context="calendar")
    page.goto("/arrangement/")
    axe(page, context="event list")
    page.get_by_role("link", name="Webinar for kommuner og fylkeskommuner").click()
    axe(page, context="event page")
    assert webinar.online_url not in page.content()
    page.get_by_label("Name", exact=True).fill("Kari Nordmann")
    page.get_by_label("E-mail address").fill("kari@example.no")
    organisation = page.get_by_label("Organisation", exact=True)
    organisation.fill("Askøy")
    # The register's organisations are suggested as you type (htmx fills the datalist).
    page.wait_for_function("() => document.querySelectorAll('#organisation-options option').length > 0")
    organisation.fill("Askøy kommune (964 338 442)")
    page.get_by_label("Role or position").fill("Musikkterapeut")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r".*/arrangement/pamelding/[^/]+/$"))
    axe(page, context="registration page")
    assert page.locator("#online-link").get_attribute("href") == webinar.online_url
    kari = Registration.objects.get(email="kari@example.no")
    assert kari.status == RegistrationStatus.CONFIRMED and kari.organisation.name == "Askøy kommune"
    page.get_by_role("link", name="Change your details").click()
    axe(page, context="change registration")
    page.get_by_label("Role or position").fill("Musikkterapeut og leder")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/arrangement/pamelding/[^/]+/$"))
    kari.refresh_from_db()
    assert kari.role == "Musikkterapeut og leder"
    assert "kari" not in page.url and str(kari.pk) != page.url.rstrip("/").rsplit("/", 1)[1]
    # Someone else finds the event full and joins the waiting list.
    other = page.context.new_page()
    other.goto(webinar.public_url)
    assert other.get_by_text("The event is full").is_visible()
    axe(other, context="full event page")
    other.get_by_label("Name", exact=True).fill("Ola Hansen")
    other.get_by_label("E-mail address").fill("ola@example.no")
    other.get_by_label("Organisation", exact=True).fill("Lille musikkskole")
    other.get_by_label("Role or position").fill("Lærer")
    other.get_by_role("button", name="Join the waiting list").click()
    other.wait_for_url(re.compile(r".*/arrangement/pamelding/[^/]+/$"))
    assert other.get_by_text("You are number 1 on the waiting list.").is_visible()
    axe(other, context="waiting-list registration page")
    other.goto(f"{webinar.public_url}send-lenke/")
    axe(other, context="get the link again")
    other.close()
    # Kari cancels; Ola gets the place and is told.
    page.get_by_role("link", name="Cancel your registration").click()
    axe(page, context="cancel page")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url(re.compile(r".*/arrangement/pamelding/[^/]+/$"))
    assert page.get_by_text("The registration is cancelled.").is_visible()
    axe(page, context="cancelled registration")
    ola = Registration.objects.get(email="ola@example.no")
    assert ola.status == RegistrationStatus.CONFIRMED
    assert any(m.to == ["ola@example.no"] and webinar.online_url in m.body for m in mail.outbox)


def test_contact_person_registers_colleagues_from_my_pages(page, axe, live_server):
    english(page, live_server)
    member = MemberFactory(name="Bergen kommune")
    user = UserFactory(email="kontakt@example.no", full_name="Kristin Kontakt")
    person = PersonFactory(email=user.email, name=user.full_name, user=user)
    ParticipantContactFactory(participant=member, person=person, role=ContactRole.CONTACT)
    seminar = EventFactory(
        title="Musikk og demens", kind="seminar", location="Griegakademiet, Bergen", ask_dietary_needs=True, capacity=2,
        online_url="",
    )
    log_in(page, axe, user.email)
    page.goto("/min-side/arrangement/")
    axe(page, context="my events")
    page.get_by_role("link", name="Musikk og demens").click()
    axe(page, context="register colleagues")
    page.get_by_label("Their organisation").select_option(label="Bergen kommune")
    rows = [("Ola Hansen", "ola@example.no", "Musikkterapeut", "Vegetar"), ("Liv Berg", "liv@example.no", "Leder", ""),
            ("Per Dahl", "per@example.no", "Vernepleier", "")]
    for i, (name, email, role, diet) in enumerate(rows):
        page.locator(f"#id_colleague-{i}-name").fill(name)
        page.locator(f"#id_colleague-{i}-email").fill(email)
        page.locator(f"#id_colleague-{i}-role").fill(role)
        page.locator(f"#id_colleague-{i}-dietary_needs").fill(diet)
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert page.get_by_text("2 colleagues are registered.").is_visible()
    assert page.get_by_text("1 colleague is on the waiting list.").is_visible()
    axe(page, context="colleagues registered")
    registrations = Registration.objects.filter(event=seminar).order_by("pk")
    assert [(r.email, r.status) for r in registrations] == [
        ("ola@example.no", RegistrationStatus.CONFIRMED),
        ("liv@example.no", RegistrationStatus.CONFIRMED),
        ("per@example.no", RegistrationStatus.WAITING),
    ]
    assert registrations[0].dietary_needs == "Vegetar" and registrations[0].registered_by == user
    assert sorted(m.to[0] for m in mail.outbox) == ["liv@example.no", "ola@example.no", "per@example.no"]


def test_coordinator_creates_copies_and_publishes_an_event_then_marks_attendance_on_a_phone(page, axe, live_server):
    english(page, live_server)
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    log_in(page, axe, coordinator.email)
    page.goto("/kontor/arrangement/")
    axe(page, context="office event list")
    page.get_by_role("link", name="New event").click()
    axe(page, context="new event form")
    page.get_by_label("Title").fill("Webinar for kommuner og fylkeskommuner")
    page.get_by_label("Municipalities and county municipalities").check()
    page.get_by_label("Starts", exact=True).fill("2030-10-26T10:00")
    page.get_by_label("Ends", exact=True).fill("2030-10-26T11:00")
    page.get_by_label("Online link").fill("https://uib.zoom.us/j/1")
    page.get_by_label("Places").fill("100")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r".*/kontor/arrangement/\d+/$"))
    axe(page, context="office event page")
    first = Event.objects.get()
    assert timezone.localtime(first.starts_at).hour == 10 and first.status == EventStatus.DRAFT
    page.get_by_role("link", name="Copy").click()
    axe(page, context="copy form")
    page.get_by_label("Title of the copy").fill("Webinar for helseforetak")
    page.get_by_label("Starts").fill("2030-10-26T11:30")
    page.get_by_label("Municipalities and county municipalities").uncheck()
    page.get_by_label("Health trusts and hospitals").check()
    page.get_by_role("button", name="Copy").click()
    page.wait_for_url(re.compile(r".*/kontor/arrangement/\d+/$"))
    copy = Event.objects.get(title="Webinar for helseforetak")
    assert copy.audience_codes == ["health_trusts"] and timezone.localtime(copy.ends_at).strftime("%H:%M") == "12:30"
    page.get_by_role("link", name="Registration questions").click()
    axe(page, context="registration questions")
    page.locator("#id_question-0-text").fill("Hva ønsker dere å vite mer om?")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/kontor/arrangement/\d+/$"))
    assert [q.text for q in copy.questions.all()] == ["Hva ønsker dere å vite mer om?"]
    page.get_by_role("link", name="Publish").click()
    axe(page, context="publish page")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r".*/kontor/arrangement/\d+/$"))
    copy.refresh_from_db()
    assert copy.status == EventStatus.PUBLISHED

    # The day of another event: attendance on a phone.
    now = timezone.now()
    today = EventFactory(title="Nettverksmøte i dag", starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2))
    kari = RegistrationFactory(event=today, name="Kari Nordmann")
    RegistrationFactory(event=today, name="Ola Hansen")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/kontor/arrangement/{today.pk}/oppmote/")
    axe(page, context="attendance on a phone")
    page.get_by_role("button", name=re.compile(r"^Present\W+Kari Nordmann$")).click()
    page.locator(f"#registration-{kari.pk}.is-present").wait_for()  # htmx swapped the row
    axe(page, context="attendance after marking")
    kari.refresh_from_db()
    assert kari.attended is True
    page.get_by_role("searchbox", name="Find a person").fill("Ola")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("Kari Nordmann").count() == 0
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/kontor/arrangement/{today.pk}/pameldinger/")
    axe(page, context="registrations list")
    assert page.get_by_role("link", name="Excel (XLSX)").is_visible()
    # The export itself, with the browser's session (the shared list template's link is checked by its own tests).
    export = page.request.get(f"{live_server.url}/kontor/arrangement/{today.pk}/pameldinger/?format=xlsx")
    assert export.ok and export.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f'filename="pameldinger-{today.slug}.xlsx"' in export.headers["content-disposition"]
    page.get_by_role("link", name="Kari Nordmann").click()
    axe(page, context="office registration page")
    page.goto(f"/kontor/arrangement/{today.pk}/epost/")
    axe(page, context="e-mail the registrants")
    page.get_by_label("Everyone who attended").check()
    page.get_by_label("Subject").fill("Takk for sist")
    page.get_by_label("Message").fill("Lysbildene ligger på nettsiden.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r".*/kontor/arrangement/\d+/$"))
    assert [m.to for m in mail.outbox if m.subject.endswith("Takk for sist")] == [[kari.email]]


def test_attendee_downloads_the_certificate_through_the_link(page, axe, live_server):
    english(page, live_server)
    past = timezone.now() - timedelta(days=3)
    event = EventFactory(title="Musikk og demens", kind="seminar", location="Bergen", starts_at=past, ends_at=past + timedelta(hours=6))
    registration = RegistrationFactory(event=event, name="Kari Nordmann", attended=True)
    page.goto(f"/arrangement/pamelding/{token_for(registration)}/")
    axe(page, context="registration page after the event")
    assert page.get_by_text("You attended.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    assert download.value.suggested_filename == f"kursbevis-{event.slug}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
