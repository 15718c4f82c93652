"""Demo reporting: the indicator rounds of 2024 and 2025 (closed, nearly everyone reported, one
report corrected), the round of 2026 open with some participants reported and some not, the
national patient register's contacts per health region imported from CSV, and the annual
reports of 2024 (bokmål) and 2025 (nynorsk), published.

The rounds and reports are made through the services, at the dates they would have happened,
so their histories read like real use. So that the reports of 2024 and 2025 have something to
show about projects and events, the seed-funds calls of 2024 and 2025 (with their grants,
students and outputs) and the events of those years (with anonymised attendance) are added as
plain rows, as if they had been kept in the system since."""

import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from polyfon.content.models import WorkArea
from polyfon.members.models import ContactRole, OrganisationKind, Person
from polyfon.members.selectors import members_in_year

from . import selectors, services
from .models import Indicator, ReportSection

D = Decimal


def _moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@contextmanager
def _at(day: date, hour: int = 12):
    """Run the services as if it were that day (timestamps, deadlines)."""
    moment = _moment(day, hour)
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


# --- What the participants report ----------------------------------------------------------------------------------

SIZE = {
    OrganisationKind.HEALTH_TRUST: 3.0,
    OrganisationKind.HOSPITAL: 2.0,
    OrganisationKind.UNIVERSITY: 2.5,
    OrganisationKind.RESEARCH_INSTITUTE: 1.2,
    OrganisationKind.COMPETENCE_CENTRE: 1.0,
    OrganisationKind.COUNTY_MUNICIPALITY: 0.8,
    OrganisationKind.MUNICIPALITY: 1.4,
}


def _answers(reporting_round, participant, kind: str, rng: random.Random, growth: float) -> dict:
    """Plausible figures for a participant of this kind of organisation."""
    size = SIZE.get(kind, 1.0) * (2.5 if participant.is_group else 1.0) * growth
    positions = max(1, round(size * rng.uniform(0.8, 1.6)))
    fte = D(str(round(positions * rng.uniform(0.55, 0.9), 1)))
    areas = list(participant.work_areas.values_list("pk", flat=True))
    answers = {}
    for indicator in reporting_round.indicators.all():
        if indicator.code == "mt_positions":
            answers[(indicator.pk, None)] = D(positions)
        elif indicator.code == "mt_fte":
            answers[(indicator.pk, None)] = fte
        elif indicator.code == "students_in_placement":
            answers[(indicator.pk, None)] = D(rng.randint(0, 2) + (2 if kind == OrganisationKind.HEALTH_TRUST else 0))
        elif indicator.code == "local_projects":
            answers[(indicator.pk, None)] = D(rng.randint(0, 3))
        elif indicator.per_work_area:
            for area in WorkArea.objects.filter(is_active=True):
                if area.pk not in areas:
                    answers[(indicator.pk, area.pk)] = D(0)
                elif indicator.code == "services_offered":
                    answers[(indicator.pk, area.pk)] = D(rng.randint(1, 2 + positions))
                else:
                    answers[(indicator.pk, area.pk)] = D(rng.randint(8, 30) * positions)
    return answers


def _lead_kinds(participants) -> dict[int, str]:
    from polyfon.members.models import ParticipantOrganisation

    return dict(
        ParticipantOrganisation.objects.filter(participant__in=participants, is_lead=True).values_list(
            "participant_id", "organisation__kind"
        )
    )


COMMENTS = [
    "Vi har startet et samarbeid med kulturskolen om musikkgrupper for barn i barnevernet.",
    "Musikkterapeuten har i år også veiledet personalet på to sykehjem.",
    "Ny stilling fra august, finansiert gjennom kommunens tjenesteutviklingsmidler.",
    "",
    "",
]


def _closed_round(year: int, coordinator, users, rng: random.Random, *, growth: float, skip: set[str]):
    """The round for `year`, opened in January, reported by (nearly) everyone, closed in March.
    (Its invitations and receipts went out back then: none is sent now.)"""
    with _at(date(year + 1, 1, 8), 9), mock.patch("polyfon.reporting.services.rounds.send_templated_email"):
        reporting_round = services.round_create(
            actor=coordinator,
            year=year,
            deadline=date(year + 1, 2, 15),
            intro="Tallene brukes i årsmeldingen. Ta kontakt om noe er uklart.",
        )
        services.round_open(reporting_round=reporting_round, actor=coordinator)
    participants = list(members_in_year(year).order_by("name"))
    kinds = _lead_kinds(participants)
    for index, participant in enumerate(participants):
        if participant.name in skip:
            continue
        actor = users.get(participant.pk)
        with (
            _at(date(year + 1, 1, 12) + timedelta(days=index * 2), 10 + index % 6),
            mock.patch("polyfon.reporting.services.rounds.send_templated_email"),
        ):
            services.report_submit(
                reporting_round=reporting_round,
                participant=participant,
                actor=actor,
                answers=_answers(reporting_round, participant, kinds.get(participant.pk, ""), rng, growth),
                comment=COMMENTS[index % len(COMMENTS)],
            )
    with _at(date(year + 1, 3, 20), 15):
        services.round_close(reporting_round=reporting_round, actor=coordinator)
    return reporting_round


def _open_round(coordinator, users, rng: random.Random):
    """The round for 2026: open, some reported, some started, some not yet."""
    today = timezone.localdate()
    opened_on = min(today, date(2026, 11, 20))
    deadline = max(date(2027, 1, 31), today + timedelta(days=30))
    with _at(opened_on, 9):
        reporting_round = services.round_create(
            actor=coordinator,
            year=2026,
            deadline=deadline,
            intro="Fristen er satt slik at tallene kommer med i årsmeldingen for 2026. Alle kontaktpersoner kan fylle ut.",
        )
        services.round_open(reporting_round=reporting_round, actor=coordinator)
    participants = list(members_in_year(2026).order_by("name"))
    kinds = _lead_kinds(participants)
    for index, participant in enumerate(participants):
        if participant.name == "Bergen kommune":
            continue  # left for the demo's contact person to fill in
        answers = _answers(reporting_round, participant, kinds.get(participant.pk, ""), rng, growth=1.2)
        actor = users.get(participant.pk)
        with _at(opened_on, 14):
            if participant.name == "Nordhordland-samarbeidet" or index % 3 == 1:
                services.report_save(
                    reporting_round=reporting_round, participant=participant, actor=actor, answers=dict(list(answers.items())[:3])
                )
            elif index % 3 == 0:
                services.report_submit(reporting_round=reporting_round, participant=participant, actor=actor, answers=answers)
    late = list(selectors.missing_participants(reporting_round).filter(name__in=["Helse Førde HF", "Stavanger kommune"]))
    if late:
        with _at(opened_on, 16):
            services.round_remind(reporting_round=reporting_round, actor=coordinator, participants=late)
    return reporting_round


# --- The national patient register's contacts ----------------------------------------------------------------------------

NPR = {
    "Helse Sør-Øst": [1840, 2110, 2390, 2615, 2870, 3120, 3405],
    "Helse Vest": [1320, 1515, 1740, 1905, 2080, 2265, 2430],
    "Helse Midt-Norge": [410, 455, 520, 590, 655, 700, 780],
    "Helse Nord": [185, 210, 260, 290, 335, 370, 415],
}


def _npr_csv() -> bytes:
    lines = ["År;Helseregion;Polikliniske kontakter med musikkterapi"]
    for offset, year in enumerate(range(2019, 2026)):
        for region, counts in NPR.items():
            lines.append(f"{year};{region} RHF;{counts[offset]:,}".replace(",", " "))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import_npr(coordinator):
    with _at(date(2026, 3, 2), 10):
        source_import = services.import_upload(
            uploaded=SimpleUploadedFile("npr-musikkterapi-2019-2025.csv", _npr_csv(), content_type="text/csv"),
            actor=coordinator,
            source_name="Norsk pasientregister (NPR), Helsedirektoratet",
        )
        services.import_execute(
            source_import=source_import,
            mapping=services.Mapping(
                columns={"Polikliniske kontakter med musikkterapi": "npr_contacts"},
                year_column="År",
                key_column="Helseregion",
            ),
            actor=coordinator,
        )
    return source_import


# --- Projects and events of 2024 and 2025 (plain rows) -----------------------------------------------------------------------

PROJECTS = {
    2024: [
        ("bergen", "barn-og-unge", "Musikk i barnehagen – et inkluderingstiltak", 140000, "master"),
        ("helse-bergen", "psykisk-helse", "Musikkterapi i akuttpsykiatrien", 150000, "phd"),
        ("haraldsplass", "eldrehelse", "Korsang på sykehjem", 90000, None),
        ("korus", "rus", "Band i rusbehandlingen – forprosjekt", 120000, "master"),
    ],
    2025: [
        ("nordhordland", "barn-og-unge", "Musikkgrupper for barn i barnevernet", 130000, "master"),
        ("stavanger-hf", "palliasjon", "Musikk i livets siste fase", 150000, "phd"),
        ("sunnhordland", "eldrehelse", "Musikk og demens i hjemmetjenesten", 110000, None),
        ("norce", "psykisk-helse", "Brukererfaringer med musikkterapi", 150000, "master"),
        ("forde", "barn-og-unge", "Musikk i skolehelsetjenesten", 100000, None),
    ],
}


def _past_projects(ctx, coordinator):
    from polyfon.funding.models import (
        Application,
        ApplicationStatus,
        Call,
        CallKind,
        Decision,
        FundingStatus,
        Grant,
        GrantOutput,
        GrantStatus,
        GrantStudent,
        Outcome,
        OutputKind,
    )

    parts = ctx["participants"]
    areas = {a.slug: a for a in WorkArea.objects.all()}
    fallback = next(iter(areas.values()))
    student_names = iter(["Ingrid Solheim", "Jonas Vik", "Marte Haugland", "Sindre Berge", "Åse Myklebust", "Eirik Lunde"])
    for year, projects in PROJECTS.items():
        call = Call.objects.create(
            code=f"SK-{year}", slug=f"sakornmidler-{year}", kind=CallKind.SEED, title=f"Såkornmidler {year}",
            title_nn=f"Såkornmidlar {year}", title_en=f"Research seed funds {year}",
            text="Utlysning av såkornmidler til forskningssamarbeid og praksisnære pilotprosjekter.",
            opens_at=_moment(date(year - 1, 10, 1), 9), deadline=_moment(date(year, 2, 1), 13),
            total_budget=D("600000"), max_per_application=D("150000"), published_at=_moment(date(year - 1, 9, 20), 9),
        )
        for number, (slug, area, title, amount, level) in enumerate(projects, start=1):
            participant = parts.get(slug)
            if participant is None:
                continue
            leader = Person.objects.filter(contact_roles__participant=participant, contact_roles__role=ContactRole.MAIN).first()
            application = Application.objects.create(
                call=call, number=number, applicant=coordinator, leader=leader, lead_participant=participant,
                work_area=areas.get(area, fallback), title=title, summary=title, status=ApplicationStatus.GRANTED,
                submitted_at=_moment(date(year, 1, 25), 12), start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31),
            )
            decision = Decision.objects.create(
                application=application, outcome=Outcome.GRANTED, amount=D(amount),
                meeting_reference=f"Styringsgruppemøte 14. mars {year}", decided_on=date(year, 3, 14), recorded_by=coordinator,
            )
            grant = Grant.objects.create(
                application=application, decision=decision, amount=D(amount), title=title, leader=leader,
                start_date=date(year, 4, 1), end_date=date(year + 1, 3, 31), budget_total=D(amount) * D("1.4"),
                status=GrantStatus.COMPLETED if date(year + 1, 3, 31) < timezone.localdate() else GrantStatus.ACTIVE,
            )
            grant.participants.set([participant])
            if level:
                name = next(student_names)
                person, _created = Person.objects.get_or_create(
                    email=f"{name.lower().replace(' ', '.').replace('å', 'a')}@student.example.no",
                    defaults={"name": name, "student_level": level},
                )
                GrantStudent.objects.create(grant=grant, person=person, level=level, thesis_title=title,
                                            institution="Universitetet i Bergen", started_on=date(year, 8, 1))
            GrantOutput.objects.create(grant=grant, kind=OutputKind.PRESENTATION, title=f"{title}: erfaringer",
                                       occurred_on=date(year, 11, 5), venue="POLYFON-konferansen")
            if number % 2:
                GrantOutput.objects.create(grant=grant, kind=OutputKind.PUBLICATION, title=f"{title} – en pilotstudie",
                                           occurred_on=date(year + 1, 2, 10), venue="Nordic Journal of Music Therapy")
            if number == 2:
                GrantOutput.objects.create(
                    grant=grant, kind=OutputKind.FUNDING, title=f"{title} – hovedprosjekt", occurred_on=date(year, 10, 1),
                    funder="Norges forskningsråd", amount_applied=D("4000000"), funding_status=FundingStatus.WON,
                    amount_won=D("3200000") if year == 2024 else D("2800000"),
                )


EVENTS = {
    2024: [
        ("webinar", "Webinar: musikkterapi i kommunen", date(2024, 2, 8), ["municipalities"], 62),
        ("seminar", "Fagdag om musikk og demens", date(2024, 5, 30), ["municipalities", "health_trusts"], 85),
        ("conference", "POLYFON-konferansen 2024", date(2024, 11, 5), ["municipalities", "health_trusts", "universities"], 140),
        ("network_meeting", "Nettverksmøte Vestland", date(2024, 9, 12), ["participants"], 24),
    ],
    2025: [
        ("webinar", "Webinar: rusbehandling og musikk", date(2025, 2, 13), ["health_trusts", "public"], 71),
        ("webinar", "Webinar: musikk i barnehagen", date(2025, 4, 3), ["municipalities"], 88),
        ("seminar", "Fagdag om palliativ omsorg", date(2025, 6, 5), ["health_trusts"], 64),
        ("conference", "POLYFON-konferansen 2025", date(2025, 11, 4), ["municipalities", "health_trusts", "universities"], 165),
        ("network_meeting", "Nettverksmøte Nord-Norge", date(2025, 9, 18), ["participants"], 19),
    ],
}
REGISTRANT_KINDS = ["municipality", "municipality", "municipality", "health_trust", "hospital", "university",
                    "competence_centre", "user_organisation", "county_municipality", ""]


def _past_events(rng: random.Random):
    """Events of 2024 and 2025 whose personal data have long been removed: the counts remain."""
    from polyfon.events.models import Event, EventAudience, EventStatus, Registration, RegistrationStatus

    now = timezone.now()
    for year, events in EVENTS.items():
        for kind, title, day, audiences, registered in events:
            starts = _moment(day, 10)
            event = Event.objects.create(
                title=title, slug=f"{day:%Y-%m-%d}-{kind}-{year}", kind=kind, status=EventStatus.PUBLISHED,
                description="Et arrangement i regi av POLYFON.", starts_at=starts,
                ends_at=starts + timedelta(hours=6 if kind in ("seminar", "conference") else 1),
                location="" if kind == "webinar" else "Griegakademiet, Bergen",
                online_url="https://meet.example.no/polyfon" if kind == "webinar" else "",
                is_public=kind != "network_meeting", personal_data_removed_at=now,
            )
            EventAudience.objects.bulk_create([EventAudience(event=event, audience=a) for a in audiences])
            Registration.objects.bulk_create(
                [
                    Registration(
                        event=event, status=RegistrationStatus.CONFIRMED, secret=None, name="", email="",
                        organisation_kind=REGISTRANT_KINDS[(k * 7 + rng.randint(0, 9)) % len(REGISTRANT_KINDS)],
                        created_at=starts - timedelta(days=20), confirmed_at=starts - timedelta(days=20),
                        attended=rng.random() < 0.82, anonymised_at=now,
                    )
                    for k in range(registered)
                ]
            )


# --- The annual reports ----------------------------------------------------------------------------------------------------

TEXT_2024 = {
    "Innledning": (
        "2024 var det fjerde året POLYFON var et langsiktig samarbeid, og klyngen fortsatte å vokse. "
        "Deltakerne møttes til fagdager, nettverksmøter og den årlige konferansen, og fire nye prosjekter fikk "
        "såkornmidler.\n\n"
        "Årsmeldingen viser indikatordata fra registeret og fra deltakernes egen rapportering, sammenlignet med "
        "årene før."
    ),
    "Deltakerne": (
        "Klyngen har deltakere fra kommuner, helseforetak, universiteter og kompetansesentre. Alle enkeltdeltakere "
        "og undergrupper er representert i styringsgruppen."
    ),
    "Økonomi": (
        "Klyngen er finansiert av deltakernes egenbidrag. **Om lag halvparten av inntektene går tilbake til "
        "deltakerne** som prosjekt- og såkornmidler; resten dekker koordinering, seminarer og formidling."
    ),
    "Utlysninger og tildelinger": (
        "Styringsgruppen tildelte såkornmidler til fire prosjekter etter utlysningen med frist 1. februar. "
        "Søknadene ble vurdert av klyngens vitenskapelige komité."
    ),
    "Prosjekter og resultater": (
        "Prosjektene har involvert både master- og ph.d.-studenter. Ett av forprosjektene førte til en søknad om "
        "et større hovedprosjekt hos Norges forskningsråd, som ble innvilget."
    ),
    "Arrangementer": (
        "Webinarene nådde mange kommuner, og fagdagen om musikk og demens samlet ansatte fra sykehjem i hele "
        "regionen. POLYFON-konferansen i november var fulltegnet."
    ),
    "Musikkterapi hos deltakerne": (
        "Deltakerne rapporterer hvert år stillinger, tilbud og brukere. Tallene gir et bilde av hvordan "
        "musikkterapitilbudet bygges opp i tjenestene.\n\n"
        "- Flere kommuner har opprettet egne stillinger for musikkterapeuter.\n"
        "- Helseforetakene har utvidet tilbudet innen psykisk helse og rus."
    ),
    "Musikkterapi i helsetjenesten": (
        "Tall fra Norsk pasientregister viser at antall polikliniske kontakter med musikkterapi øker i alle "
        "helseregioner."
    ),
}
TEXT_2025 = {
    "Innleiing": (
        "2025 var eit år med stor aktivitet i POLYFON. Fem nye prosjekt fekk såkornmidlar, og konferansen i "
        "november samla fleire deltakarar enn nokon gong.\n\n"
        "Årsmeldinga viser indikatordata frå registeret og frå rapporteringa til deltakarane, samanlikna med "
        "åra før."
    ),
    "Deltakarane": (
        "Klynga har deltakarar frå kommunar, helseføretak, universitet og kompetansesenter. Nye deltakarar frå "
        "heile landet er velkomne."
    ),
    "Økonomi": (
        "Deltakaravgifta finansierer klynga. **Om lag halvparten av inntektene går tilbake til deltakarane** som "
        "prosjekt- og såkornmidlar."
    ),
    "Utlysingar og tildelingar": (
        "Styringsgruppa tildelte såkornmidlar til fem prosjekt. For første gong fekk alle dei fem arbeidsområda "
        "minst eitt prosjekt."
    ),
    "Prosjekt og resultat": (
        "Prosjekta har publisert i fagtidsskrift og lagt fram resultat på POLYFON-konferansen. Eit av prosjekta "
        "fekk finansiering frå Noregs forskingsråd til eit hovudprosjekt."
    ),
    "Arrangement": (
        "Klynga heldt tre webinar, ein fagdag, nettverksmøte og den årlege konferansen. Fleire deltok frå "
        "helseføretaka enn året før."
    ),
    "Musikkterapi hos deltakarane": (
        "Deltakarane rapporterer kvart år stillingar, tilbod og brukarar.\n\n"
        "- Talet på årsverk for musikkterapeutar har auka.\n"
        "- Fleire studentar hadde praksis hos deltakarane."
    ),
    "Musikkterapi i helsetenesta": (
        "Tal frå Norsk pasientregister viser at talet på polikliniske kontaktar med musikkterapi held fram med å auke "
        "i alle helseregionane."
    ),
}
# 2025's report starts from 2024's sections; these are the nynorsk headings it gets.
NYNORSK = {
    "Innledning": "Innleiing",
    "Deltakerne": "Deltakarane",
    "Utlysninger og tildelinger": "Utlysingar og tildelingar",
    "Prosjekter og resultater": "Prosjekt og resultat",
    "Arrangementer": "Arrangement",
    "Musikkterapi hos deltakerne": "Musikkterapi hos deltakarane",
    "Musikkterapi i helsetjenesten": "Musikkterapi i helsetenesta",
}


def _write(report, coordinator, texts: dict, headings: dict | None = None):
    for section in ReportSection.objects.filter(report=report).order_by("position"):
        heading = (headings or {}).get(section.heading, section.heading)
        services.section_update(section=section, actor=coordinator, heading=heading, body_source=texts.get(heading, ""))


def _annual_reports(coordinator):
    with _at(date(2025, 4, 2), 10):
        report_2024 = services.annual_report_create(
            actor=coordinator, year=2024, language="nb",
            summary="Klyngen vokste, fire prosjekter fikk såkornmidler, og deltakerne rapporterte flere stillinger for "
            "musikkterapeuter enn noen gang.",
        )
        _write(report_2024, coordinator, TEXT_2024)
    with _at(date(2025, 4, 24), 14):
        services.annual_report_publish(report=report_2024, actor=coordinator)
    with _at(date(2026, 4, 1), 10):
        report_2025 = services.annual_report_create(
            actor=coordinator, year=2025, language="nn",
            summary="Fem nye prosjekt, rekordmange på konferansen, og fleire årsverk for musikkterapeutar hos deltakarane.",
        )
        _write(report_2025, coordinator, TEXT_2025, headings=NYNORSK)
    with _at(date(2026, 4, 15), 11):
        services.annual_report_freeze(report=report_2025, actor=coordinator)
    with _at(date(2026, 4, 23), 14):
        services.annual_report_publish(report=report_2025, actor=coordinator)
    return report_2024, report_2025


def load(ctx):
    coordinator = ctx["users"]["Coordinator"]
    contact_user = ctx["users"]["Participant contact"]
    rng = random.Random(2026)
    parts = ctx["participants"]
    # The demo's contact person reports for Bergen kommune; the others report through the coordinator.
    users = {parts["bergen"].pk: contact_user}
    _past_projects(ctx, coordinator)
    _past_events(rng)
    rounds = [
        _closed_round(2024, coordinator, users, rng, growth=0.9, skip={"Haraldsplass Diakonale Sykehus"}),
        _closed_round(2025, coordinator, users, rng, growth=1.0, skip=set()),
    ]
    # A correction after submission, with its reason.
    report = rounds[1].reports.get(participant=parts["helse-bergen"])
    fte = Indicator.objects.get(code="mt_fte")
    answers = {(v.indicator_id, v.work_area_id): v.value for v in report.values.all()}
    answers[(fte.pk, None)] = answers[(fte.pk, None)] + D("0.5")
    with _at(date(2026, 3, 5), 13):
        services.report_correct(
            report=report, actor=coordinator, answers=answers,
            reason="Helse Bergen meldte på e-post at en 50 %-stilling fra desember var glemt.",
        )
    _import_npr(coordinator)
    reports = _annual_reports(coordinator)
    open_round = _open_round(coordinator, users, rng)
    ctx["reporting"] = {"rounds": [*rounds, open_round], "annual_reports": list(reports)}
