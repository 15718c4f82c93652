"""Demo governance, built through the services so the timelines read like real use.

The steering group (chair and deputy chair, the members' representatives taken over from the
register), the scientific advisory board, the experience panel with a member and a deputy per
work area, a working group per work area, meetings through 2026 with agendas, papers, minutes
and decisions (the fee schedule for 2027 among them), the next meeting invited, and a general
assembly whose election of the steering group's chair for 2027–2028 is finished. All names
of people are made up.
"""

from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from polyfon.content.models import WorkArea
from polyfon.members import services as member_services
from polyfon.members.models import MEMBER_STATES, ContactRole, Participant, Person

from . import services
from .models import (
    AttendanceStatus,
    BallotChoice,
    BodyKind,
    ConsentStatus,
    ItemKind,
    MotionMethod,
    PollStatus,
    SeatRole,
)

FEE_DECISION = (
    "Styringsgruppa fastsetter deltakeravgiften for 2027:\n"
    "- ordinær enkeltdeltaker: 150 000 kr\n"
    "- store enkeltdeltakere og undergrupper: 280 000 kr\n"
    "Nye deltakere betaler halv avgift det første året. Avgiften faktureres i januar."
)

PANEL = [  # (member, deputy) per work area, in the order of the work areas
    ("Hilde Sørbø", "Arne Tveit"),
    ("Jorunn Myklebust", "Per Kristian Rød"),
    ("Kjell Ove Natvig", "Mona Brekke"),
    ("Astrid Fjeldstad", "Odd Helge Aasen"),
    ("Turid Vassbotn", "Bjarne Lunde"),
]
BOARD = [
    ("Professor Ellen Marie Grønlien", SeatRole.CHAIR, "NTNU"),
    ("Førsteamanuensis Jonas Haaland", SeatRole.MEMBER, "Universitetet i Oslo"),
    ("Professor Ingeborg Skjerven", SeatRole.MEMBER, "Aalborg Universitet"),
    ("Dr. Marit Aune", SeatRole.MEMBER, "Nasjonalt kompetansesenter for aldring og helse"),
]


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _pdf(title: str) -> SimpleUploadedFile:
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", body.encode(), content_type="application/pdf")


def _person(coordinator, name: str, organisation=None, title: str = ""):
    email = (
        name.lower().replace("professor ", "").replace("førsteamanuensis ", "").replace("dr. ", "")
        .replace(" ", ".").replace("å", "a").replace("ø", "o").replace("æ", "ae")
        + "@example.no"
    )
    return member_services.person_create(
        actor=coordinator, name=name.replace("Professor ", "").replace("Førsteamanuensis ", "").replace("Dr. ", ""),
        email=email, title=title, organisations=[organisation] if organisation else [],
    )


def _hold(meeting, coordinator, *, items_minutes: dict, chaired_by: str, minutes_by: str, present_all_but=()):
    """Mark a past meeting held, approve the previous minutes, record attendance, write the minutes."""
    services.meeting_mark_held(meeting=meeting, actor=coordinator)
    _approve_previous(meeting, coordinator)
    entries = [
        (p, AttendanceStatus.EXCUSED if p.pk in present_all_but else AttendanceStatus.PRESENT, "")
        for p in services.meeting_invitees(meeting)
    ]
    services.attendance_record(meeting=meeting, actor=coordinator, entries=entries)
    services.minutes_save(
        meeting=meeting, actor=coordinator, minutes={item.pk: text for item, text in items_minutes.items()},
        chaired_by=chaired_by, minutes_by=minutes_by,
    )


def _approve_previous(meeting, coordinator):
    item = meeting.items.filter(kind=ItemKind.MINUTES_APPROVAL).first()
    if item is not None and item.approves_meeting and item.approves_meeting.status == "held":
        services.minutes_approve(item=item, actor=coordinator)


def _fee_schedule_2027():
    """The billing app's fee schedule for 2027, if that app has one (linked by content type)."""
    try:
        model = apps.get_model("billing", "FeeSchedule")
    except LookupError:
        return None
    try:
        return model._default_manager.filter(year=2027).first()
    except FieldError:
        return None


def load(ctx):
    users = ctx["users"]
    coordinator = users["Coordinator"]
    orgs = ctx["organisations"]
    parts = ctx["participants"]
    areas = list(WorkArea.objects.filter(is_active=True).order_by("position"))
    coordinator_name = coordinator.full_name

    # --- The steering group: representatives from the register, a chair and a deputy chair ---------------
    steering = services.body_save(
        actor=coordinator, name="Styringsgruppa", slug="styringsgruppa", kind=BodyKind.STEERING_GROUP,
        mandate=(
            "Styringsgruppa gir klyngesamarbeidet retning: den fastsetter deltakeravgiften, vedtar budsjett og "
            "strategi og tildeler prosjekt- og såkornmidler. Hver enkeltdeltaker og undergruppe er representert."
        ),
        is_public=True, represents_participants=True, quorum_percent=50, position=10,
    )
    services.body_adopt_register(body=steering, actor=coordinator, start_date=date(2025, 1, 1))
    chair_person = parts["bergen"].contacts.get(role=ContactRole.STEERING_REP).person
    deputy_person = parts["norce"].contacts.get(role=ContactRole.STEERING_REP).person
    services.seat_appoint(
        body=steering, person=chair_person, role=SeatRole.CHAIR, start_date=date(2025, 1, 1), end_date=date(2026, 12, 31),
        note="Valgt av styringsgruppa", actor=coordinator,
    )
    services.seat_appoint(
        body=steering, person=deputy_person, role=SeatRole.DEPUTY_CHAIR, start_date=date(2025, 1, 1),
        end_date=date(2026, 12, 31), note="Valgt av styringsgruppa", actor=coordinator,
    )
    secretary = Person.objects.filter(email__iexact=coordinator.email).first() or _person(
        coordinator, "Kari Koordinator", orgs["Universitetet i Bergen"], "Klyngekoordinator"
    )
    services.seat_appoint(body=steering, person=secretary, role=SeatRole.SECRETARY, start_date=date(2025, 1, 1), actor=coordinator)
    # Trondheim and Tromsø joined in 2026; Tromsø's representative term was set to run out.
    tromso_seat = steering.seats.filter(participant=parts["tromso"], role=SeatRole.MEMBER).first()
    if tromso_seat is not None:
        services.seat_end(seat=tromso_seat, end_date=date(2026, 6, 30), reason="Gikk av ved omorganisering", actor=coordinator)

    # --- The scientific advisory board ----------------------------------------------------------------------
    board = services.body_save(
        actor=coordinator, name="Vitenskapelig fagråd", slug="vitenskapelig-fagrad", kind=BodyKind.SCIENTIFIC_BOARD,
        mandate="Fagrådet gir råd om forskingsstrategi, kvalitet i søknader og formidling av forsking.",
        is_public=True, term_months=36, position=20,
    )
    for name, role, place in BOARD:
        services.seat_appoint(
            body=board, person=_person(coordinator, name, title=place), role=role, start_date=date(2024, 1, 1),
            end_date=date(2026, 12, 31), actor=coordinator,
        )

    # --- The experience panel: a member and a deputy per work area -----------------------------------------
    panel = services.body_save(
        actor=coordinator, name="Erfaringspanelet", slug="erfaringspanelet", kind=BodyKind.EXPERIENCE_PANEL,
        mandate=(
            "Erfaringspanelet (tidligere brukerpanelet) sikrer at brukere og pårørende har en stemme i klyngas "
            "arbeid. Panelet har et medlem og en vararepresentant for hvert arbeidsområde."
        ),
        is_public=True, publishes_agenda=True, publishes_minutes=True, seats_by_work_area=True, term_months=24, position=30,
    )
    panel_people = []
    for area, (member_name, deputy_name) in zip(areas, PANEL, strict=False):
        member = _person(coordinator, member_name, title="Erfaringskonsulent")
        deputy = _person(coordinator, deputy_name, title="Pårørenderepresentant")
        services.seat_appoint(body=panel, person=member, role=SeatRole.MEMBER, work_area=area, start_date=date(2025, 1, 1), actor=coordinator)
        services.seat_appoint(body=panel, person=deputy, role=SeatRole.DEPUTY_MEMBER, work_area=area, start_date=date(2025, 1, 1), actor=coordinator)
        panel_people.append(member)
    if panel_people:
        services.seat_appoint(
            body=panel, person=panel_people[0], role=SeatRole.CHAIR, start_date=date(2025, 1, 1), actor=coordinator,
        )

    # --- A working group per work area ---------------------------------------------------------------------------
    members = list(Participant.objects.filter(status__in=MEMBER_STATES).prefetch_related("work_areas", "contacts__person"))
    for position, area in enumerate(areas):
        group = services.body_save(
            actor=coordinator, name=f"Arbeidsgruppe: {area.name}", slug=f"arbeidsgruppe-{area.slug}",
            kind=BodyKind.WORKING_GROUP, work_area=area, is_public=True, position=40 + position,
            mandate=f"Tverrfaglig arbeidsgruppe for {area.name.lower()}: deler erfaringer, foreslår tiltak og prosjekter.",
        )
        interested = [p for p in members if area in p.work_areas.all()][:4]
        for index, participant in enumerate(interested):
            contact = next((c for c in participant.contacts.all() if c.role == ContactRole.MAIN), None)
            if contact is None:
                continue
            services.seat_appoint(
                body=group, person=contact.person, role=SeatRole.CHAIR if index == 0 else SeatRole.MEMBER,
                start_date=date(2025, 3, 1), actor=coordinator,
            )

    # --- Steering-group meetings in 2026 --------------------------------------------------------------------------
    chair_name = chair_person.name
    meetings = []
    plan = [
        (date(2026, 2, 12), "Styringsgruppemøte 1/2026", ["Årsmelding 2025", "Regnskap 2025"]),
        (date(2026, 4, 23), "Styringsgruppemøte 2/2026", ["Utlysning av såkornmidler 2026", "Nye deltakere fra Nord-Norge"]),
        (date(2026, 6, 11), "Styringsgruppemøte 3/2026", ["Strategi 2027–2030", "Tildeling av såkornmidler 2026"]),
        (date(2026, 9, 17), "Styringsgruppemøte 4/2026", ["Deltakeravgift 2027", "Budsjett 2027", "Orientering fra erfaringspanelet"]),
    ]
    for day, title, titles in plan:
        meeting = services.meeting_create(
            body=steering, actor=coordinator, title=title, starts_at=_at(day), ends_at=_at(day, 14),
            location="Griegakademiet, Lars Hilles gate 3, Bergen", online_link="https://uib.zoom.us/j/000000000",
        )
        items = [
            services.agenda_item_add(
                meeting=meeting, actor=coordinator, title=t,
                kind=ItemKind.INFORMATION if t.startswith("Orientering") else ItemKind.DECISION,
                description=f"Saksframlegg: {t}.", proposed_decision="" if t.startswith("Orientering") else f"Styringsgruppa slutter seg til forslaget om {t.lower()}.",
                presenter=coordinator_name,
            )
            for t in titles
        ]
        services.item_document_add(item=items[0], uploaded=_pdf(f"Saksdokument {titles[0]}"), title=f"Saksdokument: {titles[0]}", actor=coordinator)
        meetings.append((meeting, items))
        minutes = {items[0]: "Koordinator la fram saken. Styringsgruppa drøftet forslaget.", **{i: "Saken ble drøftet." for i in items[1:]}}
        _hold(meeting, coordinator, items_minutes=minutes, chaired_by=chair_name, minutes_by=coordinator_name)
        for item in items:
            if item.kind == ItemKind.DECISION and item.title != "Deltakeravgift 2027":
                services.decision_record(item=item, actor=coordinator, text=item.proposed_decision, vote="Enstemmig")
    fee_item = next(i for m, items in meetings for i in items if i.title == "Deltakeravgift 2027")
    fee_schedule = _fee_schedule_2027()
    services.decision_record(
        item=fee_item, actor=coordinator, text=FEE_DECISION, vote="Enstemmig",
        subject_type=ContentType.objects.get_for_model(fee_schedule) if fee_schedule else None,
        subject_id=str(fee_schedule.pk) if fee_schedule else "",
        subject_label="Deltakeravgift 2027",
    )
    budget_item = next(i for m, items in meetings for i in items if i.title == "Budsjett 2027")
    motion = services.motion_create(
        item=budget_item, actor=coordinator, title="Økt ramme for såkornmidler",
        text="Rammen for såkornmidler i 2027 økes til 1 200 000 kr.", proposed_by="Helse Bergen HF",
        method=MotionMethod.COUNTED,
    )
    services.motion_record_count(motion=motion, actor=coordinator, votes_for=12, votes_against=3, votes_abstain=1)

    # --- The next meeting: invited, with the approval of the last minutes first ----------------------------------
    start = (timezone.localtime() + timedelta(days=21)).replace(hour=10, minute=0, second=0, microsecond=0)
    upcoming = services.meeting_create(
        body=steering, actor=coordinator, title="Styringsgruppemøte 5/2026" if start.year == 2026 else "Styringsgruppemøte 1/2027",
        starts_at=start, ends_at=start + timedelta(hours=3), location="Helse Bergen, Haukeland universitetssjukehus",
        online_link="https://uib.zoom.us/j/000000001",
    )
    for title in ("Handlingsplan 2027", "Evaluering av generalforsamlingen"):
        item = services.agenda_item_add(meeting=upcoming, actor=coordinator, title=title, description=f"Saksframlegg: {title}.")
    services.item_document_add(item=item, uploaded=_pdf("Evaluering"), title="Evalueringsnotat", actor=coordinator)
    services.meeting_send_invitation(meeting=upcoming, actor=coordinator, message="Velkommen til siste møte i året.")

    # --- The experience panel: public agenda and minutes -----------------------------------------------------------
    for day, titles in [
        (date(2026, 3, 5), ["Brukermedvirkning i prosjektsøknader", "Erfaringer fra eldrehelse"]),
        (date(2026, 9, 3), ["Innspill til strategi 2027–2030", "Musikk i palliativ omsorg"]),
    ]:
        meeting = services.meeting_create(body=panel, actor=coordinator, title="Møte i erfaringspanelet", starts_at=_at(day, 17), ends_at=_at(day, 19), location="Digitalt (Teams)")
        items = [services.agenda_item_add(meeting=meeting, actor=coordinator, title=t, kind=ItemKind.DISCUSSION) for t in titles]
        _hold(meeting, coordinator, items_minutes={i: "Panelet delte erfaringer og ga innspill til sekretariatet." for i in items},
              chaired_by=panel_people[0].name if panel_people else "", minutes_by=coordinator_name)
        services.decision_record(item=items[0], actor=coordinator, text="Innspillene oversendes styringsgruppa.")
    next_panel = services.meeting_create(
        body=panel, actor=coordinator, title="Møte i erfaringspanelet", starts_at=start + timedelta(days=2, hours=7),
        location="Digitalt (Teams)",
    )
    services.agenda_item_add(meeting=next_panel, actor=coordinator, title="Planer for 2027", kind=ItemKind.DISCUSSION)
    services.meeting_send_invitation(meeting=next_panel, actor=coordinator)

    # --- The general assembly and its finished election --------------------------------------------------------------
    assembly = services.general_assembly_enable(
        actor=coordinator, name="Generalforsamlingen", quorum_percent=50, max_proxies=1,
        mandate="Generalforsamlingen samler alle deltakerne. Hver deltaker har én stemme. Den velger styringsgruppas leder og nestleder.",
    )
    User = get_user_model()
    delegates = {}
    for participant in Participant.objects.filter(status__in=MEMBER_STATES).order_by("name"):
        contact = participant.contacts.filter(role=ContactRole.STEERING_REP).select_related("person").first()
        deputy = participant.contacts.filter(role=ContactRole.STEERING_DEPUTY).select_related("person").first()
        if contact is None:
            continue
        services.seat_appoint(body=assembly, person=contact.person, role=SeatRole.MEMBER, participant=participant,
                              start_date=date(2026, 9, 1), actor=coordinator)
        if deputy is not None:
            services.seat_appoint(body=assembly, person=deputy.person, role=SeatRole.DEPUTY_MEMBER, participant=participant,
                                  start_date=date(2026, 9, 1), actor=coordinator)
        delegates[participant.pk] = contact.person
    day = date(2026, 10, 22)
    ga_meeting = services.meeting_create(
        body=assembly, actor=coordinator, title="Generalforsamling 2026", starts_at=_at(day, 12), ends_at=_at(day, 15),
        location="Scandic Ørnen, Bergen",
    )
    ga_items = [
        services.agenda_item_add(meeting=ga_meeting, actor=coordinator, title=t, kind=k)
        for t, k in [
            ("Årsmelding 2025", ItemKind.INFORMATION),
            ("Valg av styringsgruppas leder 2027–2028", ItemKind.ELECTION),
            ("Endring i samarbeidsavtalen om oppsigelsestid", ItemKind.DECISION),
        ]
    ]
    services.meeting_mark_held(meeting=ga_meeting, actor=coordinator)
    absent = set(list(delegates)[-3:])
    services.attendance_record(
        meeting=ga_meeting, actor=coordinator,
        entries=[(p, AttendanceStatus.PRESENT if pid not in absent else AttendanceStatus.EXCUSED, "") for pid, p in delegates.items()],
    )
    proxy_from, proxy_to = list(delegates)[-1], list(delegates)[0]
    services.proxy_register(
        meeting=ga_meeting, giver=Participant.objects.get(pk=proxy_from), holder=Participant.objects.get(pk=proxy_to),
        actor=coordinator, note="Fullmakt mottatt på e-post",
    )
    election = services.election_create(
        item=ga_items[1], actor=coordinator, title="Valg av leder for styringsgruppa 2027–2028", seat_body=steering,
        seat_role=SeatRole.CHAIR, seats=1, term_start=date(2027, 1, 1), term_end=date(2028, 12, 31), is_secret=True,
        description="Valgkomiteen har innstilt to kandidater.",
    )
    candidates = []
    for participant_slug, statement in [
        ("helse-bergen", "Vil styrke samarbeidet mellom spesialisthelsetjenesten og kommunene."),
        ("stavanger", "Vil gjøre klynga nasjonal og få med flere kommuner."),
    ]:
        person = parts[participant_slug].contacts.get(role=ContactRole.STEERING_REP).person
        candidate = services.candidate_add(
            election=election, person=person, participant=parts[participant_slug], presentation=statement,
            nominated_by="Valgkomiteen", actor=coordinator, consent_given=False,
        )
        services.candidate_record_consent(candidate=candidate, consent=ConsentStatus.GIVEN, actor=None)
        candidates.append(candidate)
    services.election_open_nomination(
        election=election, actor=coordinator, nomination_opens_on=date(2026, 9, 1), nomination_closes_on=date(2026, 10, 8)
    )
    services.election_open_voting(election=election, actor=coordinator)
    poll = election.polls.get(status=PollStatus.OPEN)
    choices = [candidates[0].pk] * 9 + [candidates[1].pk] * 5
    voted = 0
    for participant_id, person in delegates.items():
        if participant_id in absent or voted >= len(choices):
            continue
        user = person.user
        if user is None:
            user = User.objects.create_user(email=person.email, full_name=person.name, language=person.language)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            person.user = user
            person.save(update_fields=["user"])
        for option in services.voter_options(poll, user):
            if option.has_voted or voted >= len(choices):
                continue
            services.vote_cast(poll=poll, user=user, voter_id=option.voter.pk, choice=BallotChoice.CANDIDATES,
                               candidate_ids=[choices[voted]])
            voted += 1
    services.election_close_voting(election=election, actor=coordinator)
    services.election_record_result(election=election, actor=coordinator)
    change = services.motion_create(
        item=ga_items[2], actor=coordinator, title="Oppsigelsestid 12 måneder",
        text="Oppsigelsestiden i samarbeidsavtalen er fortsatt 12 måneder.", method=MotionMethod.COUNTED,
    )
    services.motion_record_count(motion=change, actor=coordinator, votes_for=15, votes_against=0, votes_abstain=1)
    services.minutes_save(
        meeting=ga_meeting, actor=coordinator,
        minutes={ga_items[0].pk: "Årsmeldingen ble tatt til orientering.", ga_items[1].pk: "Valget ble gjennomført elektronisk med hemmelig stemmegivning.",
                 ga_items[2].pk: "Forslaget ble vedtatt."},
        chaired_by="Møteleder: Liv Aarvik", minutes_by=coordinator_name,
    )

    # A pending proposal from the demo contact (Bergen kommune) for the coordinator to decide.
    contact_user = users["Participant contact"]
    services.representation_propose(
        participant=parts["bergen"], body=steering, proposed_by=contact_user, start_date=date(2027, 1, 1),
        representative_name="Eirik Vikøren", representative_email="eirik.vikoren@example.no",
        message="Eirik overtar som vår representant fra nyttår.",
    )
    ctx["governance"] = {"steering": steering, "assembly": assembly, "panel": panel, "board": board}
