"""Demo register: the coordinating university and about twenty participants of every kind,
built through the services so the timelines read like real use."""

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from polyfon.content.models import WorkArea
from polyfon.core.demo import DEMO_PASSWORD, DEMO_USERS, org_number

from . import services
from .models import (
    AdmissionRound,
    ContactRole,
    FeeCategory,
    InvoiceSplit,
    Municipality,
    Network,
    OrganisationKind,
    ParticipantKind,
    ParticipantStatus,
)
from .services import OrganisationEntry

K = OrganisationKind

# name, kind, municipality number, street, postcode, post town, receives EHF
ORGANISATIONS = [
    ("Universitetet i Bergen", K.UNIVERSITY, "4601", "Postboks 7800", "5020", "Bergen", True),
    ("Bergen kommune", K.MUNICIPALITY, "4601", "Postboks 7700", "5020", "Bergen", True),
    ("Askøy kommune", K.MUNICIPALITY, "4627", "Postboks 323", "5323", "Kleppestø", True),
    ("Øygarden kommune", K.MUNICIPALITY, "4626", "Postboks 900", "5336", "Tjeldstø", True),
    ("Bjørnafjorden kommune", K.MUNICIPALITY, "4624", "Postboks 24", "5201", "Os", True),
    ("Stavanger kommune", K.MUNICIPALITY, "1103", "Postboks 8001", "4068", "Stavanger", True),
    ("Trondheim kommune", K.MUNICIPALITY, "5001", "Postboks 2300 Torgarden", "7004", "Trondheim", True),
    ("Vestland fylkeskommune", K.COUNTY_MUNICIPALITY, "4601", "Postboks 7900", "5020", "Bergen", True),
    ("Helse Bergen HF", K.HEALTH_TRUST, "4601", "Postboks 1400", "5021", "Bergen", True),
    ("Helse Stavanger HF", K.HEALTH_TRUST, "1103", "Postboks 8100", "4068", "Stavanger", True),
    ("Helse Fonna HF", K.HEALTH_TRUST, "1106", "Postboks 2170", "5504", "Haugesund", True),
    ("Helse Førde HF", K.HEALTH_TRUST, "4647", "Postboks 1000", "6807", "Førde", True),
    ("Haraldsplass Diakonale Sykehus", K.HOSPITAL, "4601", "Postboks 6165", "5892", "Bergen", False),
    ("NORCE Norwegian Research Centre", K.RESEARCH_INSTITUTE, "4601", "Postboks 22 Nygårdstangen", "5838", "Bergen", False),
    ("Høgskulen på Vestlandet", K.UNIVERSITY, "4647", "Postboks 7030", "5020", "Bergen", True),
    ("KORUS Bergen", K.COMPETENCE_CENTRE, "4601", "Postboks 297 Skøyen", "5828", "Bergen", False),
    ("Senter for omsorgsforskning vest", K.COMPETENCE_CENTRE, "4601", "Postboks 7030", "5020", "Bergen", False),
    ("Alver kommune", K.MUNICIPALITY, "4631", "Postboks 4", "5906", "Frekhaug", True),
    ("Masfjorden kommune", K.MUNICIPALITY, "4634", "Postboks 44", "5981", "Masfjordnes", True),
    ("Austrheim kommune", K.MUNICIPALITY, "4632", "Sætremarka 2", "5943", "Austrheim", True),
    ("Stord kommune", K.MUNICIPALITY, "4614", "Postboks 304", "5402", "Stord", True),
    ("Bømlo kommune", K.MUNICIPALITY, "4613", "Leirdalen 1", "5430", "Bremnes", True),
    ("Fitjar kommune", K.MUNICIPALITY, "4615", "Fitjarvegen 3", "5419", "Fitjar", True),
    ("Nasjonalforeningen for folkehelsen Vestland", K.USER_ORGANISATION, "4601", "Postboks 7139", "5020", "Bergen", False),
    ("Kristiansand kommune", K.MUNICIPALITY, "4204", "Postboks 4", "4685", "Nodeland", True),
    ("Sørlandet sykehus HF", K.HEALTH_TRUST, "4203", "Postboks 416", "4604", "Kristiansand", True),
    ("Oslo universitetssykehus HF", K.HEALTH_TRUST, "0301", "Postboks 4956 Nydalen", "0424", "Oslo", True),
    ("Tromsø kommune", K.MUNICIPALITY, "5501", "Postboks 6900", "9299", "Tromsø", True),
]

FIRST_NAMES = ["Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Anders", "Marte", "Eirik", "Solveig", "Håkon",
               "Ragnhild", "Torbjørn", "Liv", "Magnus", "Hanne", "Sindre", "Åse", "Jonas", "Tone", "Øystein"]
LAST_NAMES = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
              "Karlsen", "Berg", "Haugen", "Hagen", "Dahl", "Lie", "Solberg", "Vik", "Strand", "Moen", "Eide"]


def _users(ctx):
    User = get_user_model()
    users = {}
    for (role, email), full_name in zip(
        DEMO_USERS, ["Kari Koordinator", "Sigurd Styremedlem", "Kristin Kontaktperson", "Berit Bruker"], strict=True
    ):
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, is_coordinator=(role == "Coordinator")
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        users[role] = user
    ctx["users"] = users
    return users


def load(ctx):
    users = _users(ctx)
    coordinator = users["Coordinator"]
    municipalities = {m.number: m for m in Municipality.objects.select_related("county")}
    work_areas = list(WorkArea.objects.order_by("position"))
    west = Network.objects.create(name="Vestlandsnettverket", description="Deltakerne på Vestlandet.")
    west.counties.set([municipalities["4601"].county])
    north = Network.objects.create(name="Nord-Norge-nettverket", description="Deltakerne i Nord-Norge.")

    orgs = {}
    for index, (name, kind, municipality, street, postcode, place, ehf) in enumerate(ORGANISATIONS):
        orgs[name] = services.organisation_create(
            actor=coordinator,
            name=name,
            org_number=org_number(index + 1),
            kind=kind,
            municipality=municipalities[municipality],
            postal_address=street,
            postal_code=postcode,
            postal_place=place,
            receives_ehf=ehf,
            invoice_email="" if ehf else f"faktura@{name.split()[0].lower()}.example.no",
            buyer_reference=f"MUSIKK-{index + 1:03d}" if ehf else "",
        )
    ctx["organisations"] = orgs

    people = iter(
        (f"{FIRST_NAMES[i % 20]} {LAST_NAMES[(i * 7) % 20]}", i) for i in range(200)
    )

    def person_for(organisation, title="Musikkterapeut"):
        name, i = next(people)
        email = f"{name.lower().replace(' ', '.').replace('å', 'a').replace('ø', 'o').replace('æ', 'ae')}{i}@example.no"
        return services.person_create(
            actor=coordinator, name=name, email=email, phone=f"+479{i:07d}"[:11], title=title, organisations=[organisation]
        )

    def participant(name, members, *, status, fee=FeeCategory.ORDINARY, start=None, notice=None,
                    split=InvoiceSplit.LEAD, shares=None, network=west, areas=(0, 1)):
        kind = ParticipantKind.GROUP if len(members) > 1 else ParticipantKind.SINGLE
        entries = [
            OrganisationEntry(orgs[m], is_lead=(i == 0), invoice_share=(shares[i] if shares else None))
            for i, m in enumerate(members)
        ]
        p = services.participant_create(
            actor=coordinator, name=name, kind=kind, fee_category=fee, organisations=entries, invoice_split=split,
            network=network, work_areas=[work_areas[a] for a in areas],
        )
        main = person_for(orgs[members[0]], "Leder for musikkterapi")
        services.participant_add_contact(participant=p, person=main, role=ContactRole.MAIN, actor=coordinator)
        if status in (ParticipantStatus.MEMBER, ParticipantStatus.NOTICE_GIVEN):
            rep = person_for(orgs[members[0]], "Avdelingsleder")
            services.participant_add_contact(participant=p, person=rep, role=ContactRole.STEERING_REP, actor=coordinator)
            services.participant_add_contact(
                participant=p, person=person_for(orgs[members[0]], "Rådgiver"), role=ContactRole.STEERING_DEPUTY, actor=coordinator
            )
            services.participant_record_letter(participant=p, actor=coordinator, received_on=start, note="")
            services.participant_admit(participant=p, actor=coordinator, signed_on=start, start_date=start)
        if status == ParticipantStatus.NOTICE_GIVEN:
            services.participant_give_notice(participant=p, actor=coordinator, notice_date=notice)
        return p

    M, N = ParticipantStatus.MEMBER, ParticipantStatus.NOTICE_GIVEN
    founding = date(2019, 1, 1)
    parts = {
        "uib": participant("Universitetet i Bergen", ["Universitetet i Bergen"], status=M, fee=FeeCategory.LARGE, start=founding, areas=(0, 1, 2, 3, 4)),
        "bergen": participant("Bergen kommune", ["Bergen kommune"], status=M, fee=FeeCategory.LARGE, start=founding, areas=(0, 1, 3)),
        "helse-bergen": participant("Helse Bergen HF", ["Helse Bergen HF"], status=M, fee=FeeCategory.LARGE, start=founding, areas=(1, 2, 4)),
        "stavanger-hf": participant("Helse Stavanger HF", ["Helse Stavanger HF"], status=M, start=date(2019, 1, 1), areas=(1, 4)),
        "fonna": participant("Helse Fonna HF", ["Helse Fonna HF"], status=M, start=date(2020, 1, 1), areas=(1,)),
        "forde": participant("Helse Førde HF", ["Helse Førde HF"], status=M, start=date(2021, 1, 1), areas=(0, 3)),
        "haraldsplass": participant("Haraldsplass Diakonale Sykehus", ["Haraldsplass Diakonale Sykehus"], status=M, start=date(2019, 1, 1), areas=(3, 4)),
        "norce": participant("NORCE Norwegian Research Centre", ["NORCE Norwegian Research Centre"], status=M, start=date(2019, 1, 1), areas=(0, 1)),
        "hvl": participant("Høgskulen på Vestlandet", ["Høgskulen på Vestlandet"], status=M, start=date(2021, 1, 1), areas=(0, 3)),
        "korus": participant("KORUS Bergen", ["KORUS Bergen"], status=M, start=date(2021, 1, 1), areas=(2,)),
        "vestland": participant("Vestland fylkeskommune", ["Vestland fylkeskommune"], status=M, start=date(2022, 1, 1), areas=(0,)),
        "stavanger": participant("Stavanger kommune", ["Stavanger kommune"], status=M, start=date(2021, 1, 1), network=None, areas=(0, 3)),
        "trondheim": participant("Trondheim kommune", ["Trondheim kommune"], status=M, fee=FeeCategory.LARGE, start=date(2026, 1, 1), network=None, areas=(1, 2)),
        "tromso": participant("Tromsø kommune", ["Tromsø kommune"], status=M, start=date(2026, 3, 1), network=north, areas=(3, 4)),
        "nordhordland": participant(
            "Nordhordland-samarbeidet", ["Alver kommune", "Masfjorden kommune", "Austrheim kommune"], status=M,
            fee=FeeCategory.GROUP, start=date(2021, 1, 1), areas=(0, 3),
        ),
        "sunnhordland": participant(
            "Sunnhordland musikkterapi", ["Stord kommune", "Bømlo kommune", "Fitjar kommune"], status=M,
            fee=FeeCategory.GROUP, start=date(2022, 1, 1), split=InvoiceSplit.SHARES, shares=[50, 30, 20], areas=(3,),
        ),
        "askoy": participant("Askøy kommune", ["Askøy kommune"], status=N, start=date(2021, 1, 1), notice=date(2026, 6, 30), areas=(0,)),
        "sokf": participant("Senter for omsorgsforskning vest", ["Senter for omsorgsforskning vest"], status=M, start=date(2023, 1, 1), areas=(3, 4)),
    }
    # Prospects: one the coordinator registered, two that sent letters through the join page.
    parts["oygarden"] = participant("Øygarden kommune", ["Øygarden kommune"], status=ParticipantStatus.PROSPECT, areas=(0,))
    AdmissionRound.objects.create(
        name="Opptak 2027", opens_on=date(2026, 9, 1), letter_deadline=date(2026, 11, 20), agreement_by=date(2026, 12, 15),
        intro="Nye deltakere fra 2027: send intensjonserklæring innen 20. november.",
    )
    for name, number, kind, contact in [
        ("Kristiansand kommune", orgs["Kristiansand kommune"].org_number, K.MUNICIPALITY, "Marit Kvinlaug"),
        ("Sørlandet sykehus HF", orgs["Sørlandet sykehus HF"].org_number, K.HEALTH_TRUST, "Per Sørensen"),
    ]:
        services.letter_of_intent_submit(
            organisation_name=name, org_number=number, organisation_kind=kind, participation_kind=ParticipantKind.SINGLE,
            intended_fee_category=FeeCategory.ORDINARY, contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@example.no", message="Vi ønsker å delta fra 2027.",
        )

    # The demo logins behind the roles.
    steering = services.person_create(
        actor=coordinator, name="Sigurd Styremedlem", email=users["Steering-group member"].email,
        title="Spesialrådgiver", organisations=[orgs["Helse Bergen HF"]],
    )
    services.participant_add_contact(participant=parts["helse-bergen"], person=steering, role=ContactRole.STEERING_REP, actor=coordinator)
    contact = services.person_create(
        actor=coordinator, name="Kristin Kontaktperson", email=users["Participant contact"].email,
        title="Enhetsleder", organisations=[orgs["Bergen kommune"]],
    )
    services.participant_add_contact(participant=parts["bergen"], person=contact, role=ContactRole.MAIN, actor=coordinator)
    services.participant_add_contact(participant=parts["nordhordland"], person=contact, role=ContactRole.CONTACT, actor=coordinator)
    services.person_create(
        actor=coordinator, name="Kari Koordinator", email=users["Coordinator"].email, title="Klyngekoordinator",
        organisations=[orgs["Universitetet i Bergen"]],
    )
    ctx["participants"] = parts
