"""Demo funding: the closed seed-funds call of 2026 with its reviews, decisions and projects (with
students, payments, reports and results), the open seed-funds call of 2027 (deadline 1 February
2027 at 13:00) with drafts, submissions and reviewers at work, and a call for dissemination support.

Everything is made through the services. The history of the 2026 call is written "at" the
moments it happened (the clock is set for each step), so timelines, receipts and deadlines
read as they would have."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from polyfon.content.models import WorkArea
from polyfon.core.demo import DEMO_PASSWORD
from polyfon.core.pdf import html_to_pdf
from polyfon.members import services as member_services

from . import services
from .models import (
    Application,
    AttachmentKind,
    CallKind,
    Eligibility,
    FundingStatus,
    Grant,
    OutputKind,
    ReportKind,
    ReviewTrack,
)

D = Decimal


def _moment(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@contextmanager
def _at(moment: datetime):
    """Run the services as if it were `moment` (timestamps, deadlines and decision dates)."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _now_within(opens_at: datetime, deadline: datetime) -> datetime:
    """Now, or the nearest moment inside the call's window when the demo is loaded outside it."""
    now = timezone.now()
    return min(max(now, opens_at + timedelta(days=7)), deadline - timedelta(days=1))


def _pdf(title: str, body: str) -> SimpleUploadedFile:
    html = f"<h1 style='font-family:sans-serif'>{title}</h1><p style='font-family:sans-serif'>{body}</p>"
    return SimpleUploadedFile(f"{title.lower().replace(' ', '-')}.pdf", html_to_pdf(html), "application/pdf")


def _email(name: str) -> str:
    ascii_name = name.lower().replace(" ", ".").replace("å", "a").replace("ø", "o").replace("æ", "ae")
    return f"{ascii_name}@demo.example.no"


def _login_person(name: str, organisation, title: str, coordinator):
    """A person in the register with a login (password: the demo password)."""
    User = get_user_model()
    email = _email(name)
    person = member_services.person_create(actor=coordinator, name=name, email=email, title=title, organisations=[organisation])
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return member_services.person_link_user(user=user) or person


def _fill(application, *, actor, area, summary, description, start, end, lines, team=(), partners=(), attachments=(), **extra):
    services.application_update(
        application=application,
        actor=actor,
        work_area=area,
        summary=summary,
        description=description,
        start_date=start,
        end_date=end,
        partner_participants=list(partners),
        **extra,
    )
    services.application_set_budget(
        application=application,
        actor=actor,
        lines=[services.BudgetEntry(category=c, description=d, requested=D(r), own_contribution=D(o)) for c, d, r, o in lines],
    )
    if team:
        services.application_set_team(application=application, actor=actor, members=[services.TeamEntry(*m) for m in team])
    for kind in attachments:
        services.application_add_attachment(
            application=application, actor=actor, kind=kind,
            uploaded=_pdf(str(AttachmentKind(kind).label), f"{application.title}: {AttachmentKind(kind).label}."),
        )


SEED_TEXT = """## Om utlysningen

POLYFON lyser ut såkornmidler til forskningssamarbeid og praksisnære pilotprosjekter mellom klyngedeltakerne.
Midlene skal stimulere til samarbeid mellom tjenestene og forskningsmiljøene, og gjerne legge grunnlaget for
søknader om større ekstern finansiering.

## Hvem kan søke

Prosjektleder må være ansatt hos en deltaker i klyngen. En deltaker i oppsigelsestiden kan fortsatt søke.
Master- og ph.d.-studenter kan inngå i prosjektene.

## Hva vi legger vekt på

- faglig kvalitet og gjennomførbarhet
- relevans for tjenestene og for klyngens arbeidsområder
- brukermedvirkning

Har du hatt midler fra klyngen tidligere, må du rapportere om fremdrift og bruk av midlene i søknaden.
"""

DISSEMINATION_TEXT = """## Formidlingsstøtte

Klyngen gir støtte til fagdager, seminarer og annen formidling om musikkterapi, inntil 20 000 kroner per tiltak.
Søknadene vurderes fortløpende av klyngens sekretariat. Innen én måned etter tiltaket sender dere en kort
rapport om hvordan støtten ble brukt.
"""

SEED_CRITERIA = [
    services.CriterionEntry("Faglig kvalitet", 3, "Problemstilling, metode og forankring i forskning.", "Fagleg kvalitet", "Scientific quality"),
    services.CriterionEntry("Relevans for tjenestene", 2, "Nytte for brukere og tjenester i klyngen.", "Relevans for tenestene", "Relevance for the services"),
    services.CriterionEntry("Brukermedvirkning", 1, "Hvordan brukerne er med i prosjektet.", "Brukarmedverknad", "User involvement"),
    services.CriterionEntry("Gjennomførbarhet", 1, "Plan, budsjett og kompetanse.", "Gjennomførbarheit", "Feasibility"),
]


def _seed_call(coordinator, *, code, slug, year, opens_at, deadline, areas, reviewers):
    call = services.call_create(
        actor=coordinator,
        code=code,
        slug=slug,
        kind=CallKind.SEED,
        title=f"Såkornmidler {year}",
        title_nn=f"Såkornmidlar {year}",
        title_en=f"Research seed funds {year}",
        text=SEED_TEXT,
        opens_at=opens_at,
        deadline=deadline,
        total_budget=D("600000"),
        max_per_application=D("150000"),
        eligibility=Eligibility.MEMBERS,
        review_track=ReviewTrack.COMMITTEE,
        reviews_per_application=2,
        review_due_on=(deadline + timedelta(days=28)).date(),
        score_max=7,
        required_attachments=[AttachmentKind.PROJECT_SKETCH, AttachmentKind.TIMELINE, AttachmentKind.FINANCING_PLAN],
        share_reviews_with_declined=True,
        progress_report_months=6,
        final_report_months=3,
        contact_email="polyfon@uib.no",
        work_areas=areas,
        criteria=SEED_CRITERIA,
    )
    for person in reviewers:
        services.call_add_reviewer(call=call, person=person, actor=coordinator)
    return services.call_publish(call=call, actor=coordinator)


def _review(application, person, scores, comment, confidential="", *, coordinator):
    review = services.review_assign(application=application, person=person, actor=coordinator)
    services.review_declare(review=review, actor=person.user, has_conflict=False)
    criteria = list(application.call.criteria.all())
    services.review_save(
        review=review, actor=person.user, scores={c.pk: s for c, s in zip(criteria, scores, strict=True)},
        comment=comment, confidential_comment=confidential,
    )
    return services.review_submit(review=review, actor=person.user)


def load(ctx):
    users = ctx["users"]
    coordinator = users["Coordinator"]
    orgs = ctx["organisations"]
    parts = ctx["participants"]
    areas = {a.slug: a for a in WorkArea.objects.all()}
    children, mental, substance, elderly, palliative = (
        areas["barn-og-unge"], areas["psykisk-helse"], areas["rus"], areas["eldrehelse"], areas["palliasjon"],
    )

    # The scientific committee (and the steering-group demo login, who also reviews).
    ragnhild = _login_person("Ragnhild Eide", orgs["NORCE Norwegian Research Centre"], "Seniorforsker", coordinator)
    anders = _login_person("Anders Solberg", orgs["Høgskulen på Vestlandet"], "Førsteamanuensis", coordinator)
    liv = _login_person("Liv Nilsen", orgs["Oslo universitetssykehus HF"], "Forsker", coordinator)
    sigurd = users["Steering-group member"].person

    # Applicants: employees of the participants, with logins.
    ingrid = _login_person("Ingrid Haugen", orgs["Helse Bergen HF"], "Musikkterapeut", coordinator)
    lars = _login_person("Lars Dahl", orgs["Bergen kommune"], "Musikkterapeut", coordinator)
    marte = _login_person("Marte Strand", orgs["Alver kommune"], "Virksomhetsleder", coordinator)
    eirik = _login_person("Eirik Moen", orgs["KORUS Bergen"], "Fagrådgiver", coordinator)
    hanne = _login_person("Hanne Lie", orgs["Stavanger kommune"], "Musikkterapeut", coordinator)
    torbjorn = _login_person("Torbjørn Vik", orgs["Helse Førde HF"], "Overlege", coordinator)
    ase = _login_person("Åse Berg", orgs["Stord kommune"], "Kulturkonsulent", coordinator)
    magnus = _login_person("Magnus Hagen", orgs["Trondheim kommune"], "Musikkterapeut", coordinator)
    solveig = _login_person("Solveig Karlsen", orgs["Haraldsplass Diakonale Sykehus"], "Musikkterapeut", coordinator)

    # --- Såkornmidler 2026: closed, reviewed, decided, projects under way ----------------------------------
    with _at(_moment(date(2025, 9, 15), 10)):
        call_2026 = _seed_call(
            coordinator, code="SK-2026", slug="sakornmidler-2026", year=2026,
            opens_at=_moment(date(2025, 10, 1), 9), deadline=_moment(date(2026, 2, 1), 13),
            areas=[], reviewers=[ragnhild, anders, liv],
        )
    plan_2026 = [
        # applicant, participant, title, area, lines, partners, team, submitted on
        (ingrid, "helse-bergen", "Musikkterapi i akuttpsykiatrien: en pilotstudie", mental,
         [("salary", "Frikjøp av musikkterapeut 30 %", "130000", "60000"), ("operating", "Instrumenter og lydutstyr", "20000", "0")],
         ["bergen"], [("Sindre Hansen", "phd", "sindre.hansen@demo.example.no", "Universitetet i Bergen", "Musikkterapi og psykose i akuttpsykiatrien")],
         date(2026, 1, 28)),
        (lars, "bergen", "Syng med oss! Korsang på sykehjem", elderly,
         [("salary", "Korleder og musikkterapeut", "100000", "40000"), ("travel", "Reiser mellom sykehjemmene", "20000", "0")],
         [], [], date(2026, 1, 30)),
        (marte, "nordhordland", "Musikk i barnehagen i Nordhordland", children,
         [("salary", "Musikkterapeut i barnehagene", "80000", "30000"), ("dissemination", "Fagdag for ansatte", "15000", "0")],
         [], [("Tone Pedersen", "master", "tone.pedersen@demo.example.no", "Universitetet i Bergen", "Musikk i barnehagen: et tiltak for inkludering")],
         date(2026, 1, 22)),
        (eirik, "korus", "Band som rusbehandling", substance,
         [("salary", "Bandleder", "110000", "20000"), ("equipment", "Øvingsutstyr", "30000", "0")],
         ["helse-bergen"], [], date(2026, 2, 1)),
        (hanne, "stavanger", "Digital musikkterapi for ungdom", children,
         [("salary", "Utvikling av opplegg", "150000", "0")], [], [], date(2026, 1, 31)),
        (torbjorn, "forde", "Musikk i lindrende omsorg i Sunnfjord", palliative,
         [("salary", "Musikkterapeut 20 %", "110000", "25000"), ("travel", "Reiser", "20000", "0")], [], [], date(2026, 1, 29)),
        (ase, "sunnhordland", "Kartlegging av musikktilbud i Sunnhordland", elderly,
         [("operating", "Spørreundersøkelse og analyse", "80000", "10000")], [], [], date(2026, 1, 15)),
    ]
    applications_2026 = []
    for person, participant, title, area, lines, partners, team, submitted_on in plan_2026:
        applicant = person.user
        with _at(_moment(submitted_on - timedelta(days=12), 20)):
            application = services.application_start(call=call_2026, user=applicant, title=title)
            _fill(
                application, actor=applicant, area=area,
                summary=f"{title}. Prosjektet prøver ut og dokumenterer et musikkterapeutisk tilbud i {parts[participant].name}.",
                description="Bakgrunn: Nasjonale faglige retningslinjer anbefaler musikkterapi.\n\nMål: Prøve ut tilbudet og samle erfaringer.\n\n"
                "Metode: Blandet metode med intervjuer og kartleggingsverktøy.\n\nBrukermedvirkning: Brukerpanelet er med fra start.",
                start=date(2026, 4, 1), end=date(2027, 3, 31), lines=lines,
                partners=[parts[p] for p in partners], team=team,
                attachments=call_2026.required_attachments,
                lead_participant=parts[participant],
            )
        with _at(_moment(submitted_on, 11, 30)):
            applications_2026.append(services.application_submit(application=application, actor=applicant))

    scores_2026 = [
        ([7, 7, 6, 6], [6, 7, 6, 5]), ([6, 6, 7, 6], [6, 5, 6, 6]), ([6, 6, 5, 6], [5, 6, 6, 6]), ([5, 6, 5, 6], [6, 6, 5, 5]),
        ([4, 3, 4, 4], [3, 4, 3, 4]), ([4, 5, 3, 3], [4, 4, 4, 3]), ([3, 4, 3, 5], [3, 3, 2, 4]),
    ]
    comments = [
        "Godt begrunnet prosjekt med tydelig metode og god forankring i tjenesten.",
        "Relevant og gjennomførbart; brukermedvirkningen kan beskrives tydeligere.",
        "Prosjektet mangler en tydelig plan for datainnsamling og analyse.",
    ]
    with _at(_moment(date(2026, 2, 20), 14)):
        for application, (first, second) in zip(applications_2026, scores_2026, strict=True):
            strong = first[0] >= 5
            _review(application, ragnhild, first, comments[0] if strong else comments[2], coordinator=coordinator)
            _review(application, anders, second, comments[1] if strong else comments[2], coordinator=coordinator)
        # One committee member declares a conflict the register could not know of.
        conflicted = services.review_assign(application=applications_2026[5], person=liv, actor=coordinator)
        services.review_declare(review=conflicted, actor=liv.user, has_conflict=True, note="Jeg var veileder for prosjektlederens masteroppgave i 2024.")
    granted_amounts = {0: D("150000"), 1: D("110000"), 2: D("95000"), 3: D("125000")}
    with _at(_moment(date(2026, 3, 5), 10)):
        for index, amount in granted_amounts.items():
            services.application_set_proposal(application=applications_2026[index], actor=coordinator, outcome="grant", amount=amount)
        for index in (4, 5, 6):
            services.application_set_proposal(application=applications_2026[index], actor=coordinator, outcome="decline")
    with _at(_moment(date(2026, 3, 12), 16)):
        services.call_record_decisions(
            call=call_2026, actor=coordinator, meeting_reference="Styringsgruppemøte 12. mars 2026, sak 7/26",
            decided_on=date(2026, 3, 12),
            entries=[
                services.DecisionEntry(application=a, outcome="granted" if i in granted_amounts else "declined", amount=granted_amounts.get(i))
                for i, a in enumerate(applications_2026)
            ],
        )
    grants = [Grant.objects.get(application=applications_2026[i]) for i in sorted(granted_amounts)]
    with _at(_moment(date(2026, 4, 10), 9)):
        for grant in grants:
            services.grant_register_payment(payment=grant.payments.get(), actor=coordinator, paid_on=date(2026, 4, 10), reference=f"Bilag 2026-04{grant.pk:02d}")
    with _at(_moment(date(2026, 4, 20), 10)):
        # Sindre Hansen and Tone Pedersen came with their applications' teams; Jonas Strand joins later.
        services.grant_add_student(
            grant=grants[1], actor=coordinator, level="master", name="Jonas Strand", email="jonas.strand@demo.example.no",
            thesis_title="Korsang og livskvalitet på sykehjem", institution="Høgskulen på Vestlandet", started_on=date(2026, 1, 1),
        )
    # Progress reports (due 1 October 2026): three in, two approved; the band project is late.
    for grant, submitted_on, approve in [(grants[0], date(2026, 9, 28), True), (grants[1], date(2026, 9, 30), True), (grants[2], date(2026, 10, 3), False)]:
        report = grant.reports.get(kind=ReportKind.PROGRESS)
        with _at(_moment(submitted_on, 15)):
            services.report_submit(
                report=report, actor=grant.application.applicant,
                summary="Prosjektet er i gang som planlagt. Rekrutteringen er fullført og de første øktene er gjennomført.",
                use_of_funds="Midlene er brukt til frikjøp og utstyr etter budsjettet.", spent_amount=grant.amount / 2,
            )
        if approve:
            with _at(_moment(submitted_on + timedelta(days=5), 10)):
                services.report_approve(report=report, actor=coordinator, note="Takk for rapporten.")
    # Results: publications, presentations and the follow-up funding that shows whether seed funds led further.
    results = [
        (grants[0], dict(kind=OutputKind.PUBLICATION, title="Music therapy in acute psychiatric wards: a feasibility study",
                         occurred_on=date(2026, 10, 15), venue="Nordic Journal of Music Therapy", doi="10.1080/08098131.2026.2301234")),
        (grants[0], dict(kind=OutputKind.PRESENTATION, title="Musikkterapi i akuttpsykiatrien – første erfaringer",
                         occurred_on=date(2026, 6, 12), venue="Nordisk musikkterapikonferanse 2026")),
        (grants[0], dict(kind=OutputKind.FUNDING, title="MUSAKUTT: musikkterapi i akuttpsykiatrien", occurred_on=date(2026, 11, 5),
                         funder="Norges forskningsråd", amount_applied=D("11800000"), funding_status=FundingStatus.WON, amount_won=D("9800000"))),
        (grants[1], dict(kind=OutputKind.PRESENTATION, title="Syng med oss – erfaringer fra Bergen", occurred_on=date(2026, 9, 20),
                         venue="Fagdag om eldrehelse, Bergen kommune")),
        (grants[3], dict(kind=OutputKind.FUNDING, title="Band i rusbehandlingen – hovedprosjekt", occurred_on=date(2026, 10, 1),
                         funder="Stiftelsen Dam", amount_applied=D("1200000"), funding_status=FundingStatus.APPLIED)),
    ]
    for grant, values in results:
        with _at(_moment(values["occurred_on"], 13)):
            services.grant_add_output(grant=grant, actor=grant.application.applicant, **values)

    # --- Formidlingsstøtte 2026–2027: the secretariat assesses, support for a seminar granted -------------
    secretary = users["Coordinator"].person
    with _at(_moment(date(2026, 8, 20), 10)):
        dissemination = services.call_create(
            actor=coordinator, code="FS-2027", slug="formidlingsstotte-2027", kind=CallKind.DISSEMINATION,
            title="Formidlingsstøtte 2026–2027", title_nn="Formidlingsstøtte 2026–2027", title_en="Dissemination and event support 2026–2027",
            text=DISSEMINATION_TEXT, opens_at=_moment(date(2026, 9, 1), 9), deadline=_moment(date(2027, 6, 1), 12),
            total_budget=D("100000"), max_per_application=D("20000"), eligibility=Eligibility.MEMBERS_AND_ASSOCIATES,
            review_track=ReviewTrack.SECRETARIAT, reviews_per_application=1, score_max=5,
            required_attachments=[AttachmentKind.DISSEMINATION_PLAN], final_report_months=None, spending_report_months=1,
            contact_email="polyfon@uib.no",
            criteria=[
                services.CriterionEntry("Relevans for klyngens arbeidsområder", 2, name_en="Relevance for the work areas"),
                services.CriterionEntry("Spredning og målgruppe", 1, name_en="Reach and audience"),
            ],
        )
        services.call_add_reviewer(call=dissemination, person=secretary, actor=coordinator)
        services.call_publish(call=dissemination, actor=coordinator)
    with _at(_moment(date(2026, 10, 8), 14)):
        seminar = services.application_start(call=dissemination, user=solveig.user, title="Fagdag om musikk og demens")
        _fill(
            seminar, actor=solveig.user, area=elderly,
            summary="En fagdag for ansatte i sykehjem og hjemmetjenester om musikk i demensomsorgen.",
            description="Fagdagen samler 120 ansatte fra kommunene i regionen. Program: forelesninger, verksted og erfaringsdeling.",
            start=date(2026, 11, 20), end=date(2026, 11, 30),
            lines=[("dissemination", "Leie av lokale og servering", "12000", "8000"), ("travel", "Reise for foredragsholdere", "6000", "0")],
            attachments=[AttachmentKind.DISSEMINATION_PLAN], lead_participant=parts["haraldsplass"],
        )
        services.application_submit(application=seminar, actor=solveig.user)
    with _at(_moment(date(2026, 10, 20), 10)):
        _review(seminar, secretary, [5, 4], "Godt program og tydelig målgruppe.", coordinator=coordinator)
    with _at(_moment(date(2026, 11, 5), 15)):
        services.application_decide(
            application=seminar, actor=coordinator, outcome="granted", amount=D("18000"),
            meeting_reference="Styringsgruppemøte 5. november 2026, sak 31/26", decided_on=date(2026, 11, 5),
        )

    # --- Såkornmidler 2027: open until 1 February 2027 at 13:00 --------------------------------------------------
    opens_2027, deadline_2027 = _moment(date(2026, 10, 1), 9), _moment(date(2027, 2, 1), 13)
    with _at(_moment(date(2026, 9, 20), 10)):
        call_2027 = _seed_call(
            coordinator, code="SK-2027", slug="sakornmidler-2027", year=2027, opens_at=opens_2027, deadline=deadline_2027,
            areas=[], reviewers=[ragnhild, anders, liv, sigurd],
        )
    now = _now_within(opens_2027, deadline_2027)
    with _at(now - timedelta(days=6)):
        again = services.application_start(call=call_2027, user=ingrid.user, title="MUSAKUTT i kommunene: oppfølging etter utskrivning")
        _fill(
            again, actor=ingrid.user, area=mental,
            summary="Oppfølging av pilotstudien fra 2026: musikkterapi etter utskrivning, i samarbeid med Bergen kommune.",
            description="Pilotstudien viste at tilbudet er gjennomførbart. Nå prøver vi ut oppfølging i kommunen etter utskrivning.",
            start=date(2027, 4, 1), end=date(2028, 3, 31),
            lines=[("salary", "Musikkterapeut 40 %", "140000", "80000"), ("travel", "Hjemmebesøk", "10000", "0")],
            partners=[parts["bergen"]], attachments=call_2027.required_attachments, lead_participant=parts["helse-bergen"],
            previous_funding_report="Pilotstudien (SK-2026) er gjennomført som planlagt. Midlene gikk til frikjøp og utstyr; "
            "resultatene er publisert i Nordic Journal of Music Therapy, og prosjektet fikk 9,8 millioner fra Forskningsrådet.",
        )
        services.application_submit(application=again, actor=ingrid.user)
        rus = services.application_start(call=call_2027, user=magnus.user, title="Musikkterapi i rusomsorgen i Trondheim")
        _fill(
            rus, actor=magnus.user, area=substance,
            summary="Et gruppetilbud med musikk for brukere i kommunal rusomsorg.",
            description="Tilbudet bygger på erfaringene fra bandprosjektet i Bergen og prøves ut i to boliger.",
            start=date(2027, 5, 1), end=date(2028, 4, 30),
            lines=[("salary", "Musikkterapeut 25 %", "120000", "40000")],
            attachments=call_2027.required_attachments, lead_participant=parts["trondheim"],
        )
        services.application_submit(application=rus, actor=magnus.user)
    with _at(now - timedelta(days=2)):
        for application in (again, rus):
            for person in (ragnhild, anders):
                services.review_assign(application=application, person=person, actor=coordinator)
        # The steering-group demo login reviews the Trondheim application (and must declare first);
        # Helse Bergen's own application would be refused for him.
        services.review_assign(application=rus, person=sigurd, actor=coordinator)
        first = rus.reviews.get(reviewer=ragnhild)
        services.review_declare(review=first, actor=ragnhild.user, has_conflict=False)
        services.review_save(
            review=first, actor=ragnhild.user, scores={c.pk: 5 for c in call_2027.criteria.all()},
            comment="Godt forankret i tjenesten; metoden kan utdypes.",
        )
    # The participant-contact demo login has a draft in progress.
    with _at(now - timedelta(days=1)):
        draft = services.application_start(call=call_2027, user=users["Participant contact"], title="Musikk og språk i barnehagen")
        services.application_update(
            application=draft, actor=users["Participant contact"], work_area=children,
            summary="Vi vil prøve ut musikk som verktøy for språkutvikling i tre barnehager i Bergen.",
        )
        services.application_set_budget(
            application=draft, actor=users["Participant contact"],
            lines=[services.BudgetEntry("salary", "Musikkterapeut i barnehagene", D("90000"), D("30000"))],
        )
    ctx["funding"] = {"calls": [call_2026, dissemination, call_2027], "grants": grants, "applications": Application.objects.all()}
