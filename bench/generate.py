"""Synthetic data at scale, written with bulk_create (not through the services: the point is
volume, not history). Each app's generator adds to the same context.

Sizes: small ~1 000 organisations / 800 participants / 10 000 persons;
       large ~5 000 organisations / 4 000 participants / 100 000 persons.
"""

import random
from datetime import date

SIZES = {
    "small": {"organisations": 1_000, "participants": 800, "persons": 10_000},
    "large": {"organisations": 5_000, "participants": 4_000, "persons": 100_000},
}


def generate_members(size: str, ctx: dict) -> None:
    from polyfon.accounts.models import User
    from polyfon.content.models import WorkArea
    from polyfon.core.demo import org_number
    from polyfon.members.models import (
        Affiliation,
        Agreement,
        ContactRole,
        FeeCategory,
        Municipality,
        Organisation,
        OrganisationKind,
        Participant,
        ParticipantContact,
        ParticipantKind,
        ParticipantOrganisation,
        ParticipantStatus,
        Person,
    )

    counts = SIZES[size]
    rng = random.Random(42)
    municipalities = list(Municipality.objects.select_related("county"))
    kinds = [k for k, _ in OrganisationKind.choices]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Organisasjon {i:05d}",
                org_number=org_number(100_000 + i),
                kind=rng.choice(kinds),
                municipality=(m := rng.choice(municipalities)),
                county=m.county,
                postal_address=f"Postboks {i}",
                postal_code=f"{rng.randint(1, 9999):04d}",
                postal_place=m.name,
                receives_ehf=rng.random() < 0.8,
                buyer_reference=f"REF-{i}",
            )
            for i in range(counts["organisations"])
        ],
        batch_size=2000,
    )
    persons = Person.objects.bulk_create(
        [Person(name=f"Person {i:06d}", email=f"person{i}@bench.example.no", phone="+4791234567") for i in range(counts["persons"])],
        batch_size=5000,
    )
    Affiliation.objects.bulk_create(
        [Affiliation(person=p, organisation=orgs[i % len(orgs)]) for i, p in enumerate(persons)], batch_size=5000
    )
    statuses = [ParticipantStatus.MEMBER] * 7 + [ParticipantStatus.NOTICE_GIVEN, ParticipantStatus.PROSPECT, ParticipantStatus.FORMER]
    participants = []
    for i in range(counts["participants"]):
        status = rng.choice(statuses)
        group = i % 10 == 0
        start = date(rng.randint(2019, 2026), 1, 1)
        participants.append(
            Participant(
                name=f"Deltaker {i:05d}",
                kind=ParticipantKind.GROUP if group else ParticipantKind.SINGLE,
                status=status,
                fee_category=FeeCategory.GROUP if group else rng.choice([FeeCategory.ORDINARY, FeeCategory.LARGE]),
                member_since=start if status != ParticipantStatus.PROSPECT else None,
            )
        )
    participants = Participant.objects.bulk_create(participants, batch_size=2000)
    links, contacts, agreements = [], [], []
    areas = list(WorkArea.objects.all())
    through = Participant.work_areas.through
    area_links = []
    for i, participant in enumerate(participants):
        size_of = 3 if participant.kind == ParticipantKind.GROUP else 1
        for j in range(size_of):
            links.append(ParticipantOrganisation(participant=participant, organisation=orgs[(i * 3 + j) % len(orgs)], is_lead=(j == 0)))
        for j, role in enumerate([ContactRole.MAIN, ContactRole.STEERING_REP, ContactRole.STEERING_DEPUTY]):
            contacts.append(ParticipantContact(participant=participant, person=persons[(i * 3 + j) % len(persons)], role=role))
        if participant.member_since:
            end = date(participant.member_since.year + 2, 12, 31) if participant.status == ParticipantStatus.FORMER else None
            agreements.append(Agreement(participant=participant, signed_on=participant.member_since, start_date=participant.member_since, end_date=end))
        area_links.append(through(participant=participant, workarea=areas[i % len(areas)]))
    ParticipantOrganisation.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    ParticipantContact.objects.bulk_create(contacts, batch_size=5000, ignore_conflicts=True)
    Agreement.objects.bulk_create(agreements, batch_size=5000)
    through.objects.bulk_create(area_links, batch_size=5000)
    coordinator, _ = User.objects.get_or_create(email="bench-koordinator@example.no", defaults={"is_coordinator": True})
    ctx.update(coordinator=coordinator, participants=participants, organisations=orgs, persons=persons)


def generators() -> list:
    """The register's generator first, then each `bench/bench_<name>.py` module's GENERATE, in
    the order of BENCH_ORDER (apps that depend on others come later)."""
    import importlib
    import pkgutil

    import bench

    found = []
    for module_info in pkgutil.iter_modules(bench.__path__):
        if module_info.name.startswith("bench_"):
            module = importlib.import_module(f"bench.{module_info.name}")
            if hasattr(module, "GENERATE"):
                found.append((getattr(module, "ORDER", 50), module.GENERATE))
    return [generate_members] + [fn for _, fn in sorted(found, key=lambda item: item[0])]


def generate(size: str) -> dict:
    ctx: dict = {"size": size}
    for generator in generators():
        generator(size, ctx)
    return ctx
