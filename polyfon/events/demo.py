"""Demo events, built through the services: the three webinars of 26 October 2020 (one event and
two copies, as the seed letter describes them) with their attendance, and the events of 2027: a
seminar in Bergen that asks about dietary needs, a webinar and the annual conference."""

from datetime import datetime
from decimal import Decimal
from itertools import cycle

from django.utils import timezone

from polyfon.content.models import WorkArea
from polyfon.members.demo import FIRST_NAMES, LAST_NAMES

from . import services
from .models import Audience, EventKind, QuestionMode, RegistrationSource

A = Audience


def _oslo(year, month, day, hour=0, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def _email(name: str, organisation: str, n: int) -> str:
    plain = name.lower().replace(" ", ".")
    for a, b in (("å", "a"), ("ø", "o"), ("æ", "ae")):
        plain = plain.replace(a, b)
    domain = organisation.split()[0].lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")
    return f"{plain}.{n}@{domain}.example.no"


WEBINAR_2020 = (
    "Kunnskapsklynga POLYFON blir et langsiktig samarbeid fra og med 2021, og åpner for nye deltakere fra hele landet.\n\n"
    "I webinaret forteller vi om hva deltakelse innebærer: erfaringsutveksling, samarbeid om forskning, utlysninger "
    "av prosjekt- og såkornmidler, og de fem arbeidsområdene barn og unges oppvekst, psykisk helse, rustjenester, "
    "eldrehelse og palliativ omsorg. Det blir god tid til spørsmål.\n\n"
    "Intensjonserklæring kan sendes innen **20. november**."
)
SEMINAR_2027 = (
    "Et fagseminar for ansatte i kommuner og helseforetak om musikk i omsorgen for personer med demens.\n\n"
    "- Forskningsstatus: hva vet vi om musikkterapi ved demens?\n"
    "- Erfaringer fra sykehjem i Bergen og Sunnhordland\n"
    "- Praksisverksted: musikk i hverdagen på avdelingen\n\n"
    "Lunsj er inkludert. Seminaret er gratis for ansatte hos klyngedeltakerne."
)
CONFERENCE_2027 = (
    "Den årlige konferansen samler deltakerne i kunnskapsklynga: kommuner, helseforetak, universiteter og "
    "kompetansesentre. To dager med innlegg, parallelle sesjoner for hvert arbeidsområde og presentasjon av "
    "prosjektene som har fått midler fra klynga.\n\n"
    "Konferansemiddag første kveld. Gi beskjed om matbehov ved påmelding."
)


def load(ctx):
    coordinator = ctx["users"]["Coordinator"]
    orgs = ctx["organisations"]
    areas = {a.slug: a for a in WorkArea.objects.all()}
    all_areas = list(areas.values())
    # 400 different names (every first name with every last name), in a mixed order.
    people = cycle((f"{FIRST_NAMES[i % 20]} {LAST_NAMES[(i // 20 + 3 * i + 5) % 20]}", i) for i in range(400))

    def register(event, organisation_names, count, *, attended=None, diets=(), language_every=0):
        """`count` people from the organisations, in turn; attendance marked for the past ones."""
        registrations = []
        organisations = cycle(organisation_names)
        diet = cycle(diets or [""])
        for k in range(count):
            name, n = next(people)
            organisation = orgs[next(organisations)]
            source = RegistrationSource.PUBLIC if event.registration_state() == "open" else RegistrationSource.OFFICE
            registration = services.registration_create(
                event=event,
                name=name,
                email=_email(name, organisation.name, n),
                language="en" if language_every and k % language_every == 0 else "nb",
                organisation=organisation,
                role="Musikkterapeut" if k % 3 else "Enhetsleder",
                dietary_needs=next(diet) if k % 4 == 0 else "",
                answers={str(q.pk): "Hvordan komme i gang med musikkterapi hos oss." for q in event.questions.all()[:1]}
                if k % 2
                else {},
                source=source,
                registered_by=coordinator if source == RegistrationSource.OFFICE else None,
            )
            registrations.append(registration)
        if attended is not None:
            for k, registration in enumerate(registrations):
                if registration.is_confirmed:
                    services.registration_set_attendance(registration=registration, actor=coordinator, attended=k % attended != 0)
        return registrations

    # --- 26 October 2020: three webinars, one per audience (the invitation of 22 September 2020) ---
    municipalities = services.event_create(
        actor=coordinator,
        title="Webinar for kommuner og fylkeskommuner",
        kind=EventKind.WEBINAR,
        description=WEBINAR_2020,
        starts_at=_oslo(2020, 10, 26, 10, 0),
        ends_at=_oslo(2020, 10, 26, 11, 0),
        online_url="https://uib.zoom.us/j/61026100000",
        online_details="Passord: polyfon",
        capacity=100,
        registration_closes_at=_oslo(2020, 10, 23, 12, 0),
        is_public=True,
        ask_organisation=QuestionMode.REQUIRED,
        ask_role=QuestionMode.OPTIONAL,
        audiences=[A.MUNICIPALITIES],
        work_areas=all_areas,
    )
    services.event_set_questions(
        event=municipalities,
        actor=coordinator,
        questions=[services.QuestionEntry(text="Hva ønsker dere å vite mer om?", help_text="Vi svarer i webinaret.")],
    )
    health_trusts = services.event_copy(
        event=municipalities,
        actor=coordinator,
        title="Webinar for helseforetak",
        starts_at=_oslo(2020, 10, 26, 11, 30),
        audiences=[A.HEALTH_TRUSTS],
    )
    universities = services.event_copy(
        event=municipalities,
        actor=coordinator,
        title="Webinar for høyskoler, universitet og kunnskaps- og kompetansesenter",
        starts_at=_oslo(2020, 10, 26, 13, 0),
        audiences=[A.UNIVERSITIES],
    )
    for event in (municipalities, health_trusts, universities):
        services.event_publish(event=event, actor=coordinator)
    register(
        municipalities,
        ["Askøy kommune", "Øygarden kommune", "Bjørnafjorden kommune", "Stavanger kommune", "Alver kommune", "Stord kommune",
         "Vestland fylkeskommune", "Bømlo kommune"],
        14,
        attended=5,
    )
    register(health_trusts, ["Helse Bergen HF", "Helse Stavanger HF", "Helse Fonna HF", "Helse Førde HF", "Haraldsplass Diakonale Sykehus"], 11, attended=4)
    register(
        universities,
        ["Høgskulen på Vestlandet", "NORCE Norwegian Research Centre", "KORUS Bergen", "Senter for omsorgsforskning vest"],
        9,
        attended=6,
    )
    # The demo's registered user took part in the first webinar (see /min-side/arrangement/).
    user = ctx["users"]["Registered user"]
    mine = services.registration_create(
        event=municipalities,
        name=user.full_name,
        email=user.email,
        organisation=orgs["Askøy kommune"],
        role="Helsesykepleier",
        source=RegistrationSource.OFFICE,
        registered_by=coordinator,
    )
    services.registration_set_attendance(registration=mine, actor=coordinator, attended=True)

    # --- 2027 ---------------------------------------------------------------------------------------------
    seminar = services.event_create(
        actor=coordinator,
        title="Musikk og demens – fra forskning til praksis",
        kind=EventKind.SEMINAR,
        description=SEMINAR_2027,
        starts_at=_oslo(2027, 3, 11, 9, 30),
        ends_at=_oslo(2027, 3, 11, 15, 30),
        location="Griegakademiet, Lars Hilles gate 3, 5015 Bergen",
        capacity=30,
        registration_closes_at=_oslo(2027, 3, 4, 12, 0),
        is_public=True,
        ask_organisation=QuestionMode.REQUIRED,
        ask_role=QuestionMode.REQUIRED,
        ask_dietary_needs=True,
        audiences=[A.MUNICIPALITIES, A.HEALTH_TRUSTS],
        work_areas=[areas[s] for s in areas if "eldre" in s] or all_areas[3:4],
    )
    services.event_set_questions(
        event=seminar,
        actor=coordinator,
        questions=[services.QuestionEntry(text="Vil du delta i praksisverkstedet etter lunsj?", help_text="Ja eller nei.")],
    )
    services.event_publish(event=seminar, actor=coordinator)
    register(
        seminar,
        ["Bergen kommune", "Helse Bergen HF", "Askøy kommune", "Haraldsplass Diakonale Sykehus", "Alver kommune", "Stord kommune"],
        32,  # 30 places: the last two wait
        diets=["Vegetar", "Glutenfri", "Laktoseintoleranse", "Nøtteallergi"],
        language_every=9,
    )

    webinar = services.event_copy(
        event=municipalities,
        actor=coordinator,
        title="Musikkterapi i barnevernet",
        starts_at=_oslo(2027, 2, 3, 14, 0),
        audiences=[A.MUNICIPALITIES, A.PUBLIC],
    )
    services.event_update(
        event=webinar,
        actor=coordinator,
        description="Hvordan kan musikkterapi styrke barn og unge i barnevernet? Erfaringer fra Bergen og Stavanger, "
        "og hva forskningen sier. Åpent for alle.",
        online_url="https://uib.zoom.us/j/62702031400",
        capacity=300,
        registration_closes_at=_oslo(2027, 2, 3, 12, 0),
        work_areas=[areas[s] for s in areas if "barn" in s] or all_areas[:1],
    )
    services.event_publish(event=webinar, actor=coordinator)
    register(webinar, ["Bergen kommune", "Stavanger kommune", "Kristiansand kommune", "Trondheim kommune", "NORCE Norwegian Research Centre"], 12)

    conference = services.event_copy(
        event=seminar,
        actor=coordinator,
        title="POLYFON-konferansen 2027",
        starts_at=_oslo(2027, 6, 9, 9, 0),
        ends_at=_oslo(2027, 6, 10, 16, 0),
        audiences=[A.MUNICIPALITIES, A.HEALTH_TRUSTS, A.UNIVERSITIES, A.PUBLIC],
    )
    services.event_update(
        event=conference,
        actor=coordinator,
        kind=EventKind.CONFERENCE,
        description=CONFERENCE_2027,
        location="Grieghallen, Edvard Griegs plass 1, 5015 Bergen",
        capacity=150,
        registration_closes_at=_oslo(2027, 5, 26, 12, 0),
        certificate_hours=Decimal("12.0"),
        reminder_hours=48,
        work_areas=all_areas,
    )
    services.event_set_questions(
        event=conference,
        actor=coordinator,
        questions=[
            services.QuestionEntry(text="Deltar du på konferansemiddagen?", required=True),
            services.QuestionEntry(text="Hvilken parallellsesjon ønsker du?", help_text="Arbeidsområde."),
        ],
    )
    services.event_publish(event=conference, actor=coordinator)
    register(conference, ["Helse Stavanger HF", "Universitetet i Bergen", "Tromsø kommune", "Høgskulen på Vestlandet", "Trondheim kommune"], 18, diets=["Vegansk", "Glutenfri"])
    # The demo contact person registers three colleagues from Bergen kommune in one go.
    services.registrations_create_for_colleagues(
        event=conference,
        actor=ctx["users"]["Participant contact"],
        organisation=orgs["Bergen kommune"],
        colleagues=[
            services.ColleagueEntry(name="Ingrid Solberg", email="ingrid.solberg@bergen.example.no", role="Musikkterapeut",
                                    answers={str(q.pk): "Ja" for q in conference.questions.filter(required=True)}),
            services.ColleagueEntry(name="Håkon Vik", email="hakon.vik@bergen.example.no", role="Avdelingsleder",
                                    dietary_needs="Vegetar", answers={str(q.pk): "Nei" for q in conference.questions.filter(required=True)}),
            services.ColleagueEntry(name="Åse Moen", email="ase.moen@bergen.example.no", role="Fagutvikler",
                                    answers={str(q.pk): "Ja" for q in conference.questions.filter(required=True)}),
        ],
    )

    # Internal: the steering group's meeting, seen only by the steering group and the coordinator.
    steering = services.event_create(
        actor=coordinator,
        title="Styringsgruppemøte januar 2027",
        kind=EventKind.STEERING_MEETING,
        description="Saksliste og sakspapirer sendes ut en uke før møtet.",
        starts_at=_oslo(2027, 1, 20, 12, 0),
        ends_at=_oslo(2027, 1, 20, 15, 0),
        location="Griegakademiet, møterom 2.12, Bergen",
        online_url="https://uib.zoom.us/j/62701201200",
        capacity=25,
        is_public=False,
        ask_organisation=QuestionMode.REQUIRED,
        ask_role=QuestionMode.OFF,
        audiences=[A.PARTICIPANTS],
    )
    services.event_publish(event=steering, actor=coordinator)
    # A draft the coordinator is still working on.
    services.event_create(
        actor=coordinator,
        title="Nettverkssamling Nord-Norge",
        kind=EventKind.NETWORK_MEETING,
        description="Samling for deltakerne i Nord-Norge-nettverket.",
        starts_at=_oslo(2027, 4, 22, 10, 0),
        ends_at=_oslo(2027, 4, 22, 15, 0),
        location="Tromsø",
        capacity=40,
        is_public=False,
        audiences=[A.PARTICIPANTS],
    )
    ctx["events"] = {
        "webinar-2020-municipalities": municipalities,
        "webinar-2020-health-trusts": health_trusts,
        "webinar-2020-universities": universities,
        "seminar-2027": seminar,
        "webinar-2027": webinar,
        "conference-2027": conference,
        "steering-2027": steering,
    }
