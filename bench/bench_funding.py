"""Funding at scale: a call with 300 submitted applications and 3 submitted reviews each (on a
4-criterion scale), and an applicant with 10 applications. The large size adds nine earlier
calls of the same size, to show the pages do not grow with the data around them.

Benchmarks: the ranking page, the applicant's own list page, the office application list of the
call and the call's totals page."""

import random
from datetime import timedelta
from decimal import Decimal

ORDER = 60  # after the register (always first) and billing
APPLICATIONS_PER_CALL = 300
REVIEWS_PER_APPLICATION = 3
OWN_APPLICATIONS = 10
CALLS = {"small": 1, "large": 10}


def GENERATE(size: str, ctx: dict) -> None:  # noqa: N802 – the name bench.generate looks for
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from polyfon.content.models import WorkArea
    from polyfon.funding.models import (
        Application,
        ApplicationStatus,
        BudgetLine,
        Call,
        CallKind,
        Criterion,
        Review,
        ReviewScore,
        ReviewStatus,
        ReviewTrack,
    )
    from polyfon.members.models import Person

    User = get_user_model()
    rng = random.Random(7)
    now = timezone.now()
    participants, persons, organisations = ctx["participants"], ctx["persons"], ctx["organisations"]
    areas = list(WorkArea.objects.all())
    n_orgs = len(organisations)

    # Reviewers: twenty persons with logins.
    reviewer_users = User.objects.bulk_create(
        [User(email=f"bench-fagfelle{i}@example.no", full_name=f"Fagfelle {i}") for i in range(20)]
    )
    reviewers = list(
        Person.objects.bulk_create(
            [Person(name=f"Fagfelle {i}", email=f"bench-fagfelle{i}@example.no", user=u) for i, u in enumerate(reviewer_users)]
        )
    )
    applicant = User.objects.create(email="bench-soker@example.no", full_name="Bench Søker")
    applicant_person = Person.objects.create(name="Bench Søker", email="bench-soker@example.no", user=applicant)
    applicant_users = User.objects.bulk_create(
        [User(email=f"bench-soker{i}@example.no", full_name=f"Søker {i}") for i in range(APPLICATIONS_PER_CALL)]
    )

    calls = []
    for c in range(CALLS[size]):
        deadline = now - timedelta(days=30 + 180 * c)
        call = Call.objects.create(
            code=f"BENCH-{c:02d}", slug=f"bench-{c:02d}", kind=CallKind.SEED, title=f"Såkornmidler {2026 - c}",
            text="Tekst", opens_at=deadline - timedelta(days=120), deadline=deadline,
            total_budget=Decimal("6000000"), max_per_application=Decimal("150000"), review_track=ReviewTrack.COMMITTEE,
            reviews_per_application=REVIEWS_PER_APPLICATION, published_at=deadline - timedelta(days=130),
        )
        call.reviewers.set(reviewers)
        criteria = Criterion.objects.bulk_create(
            [Criterion(call=call, name=name, weight=w, position=i) for i, (name, w) in enumerate(
                [("Faglig kvalitet", 3), ("Relevans", 2), ("Brukermedvirkning", 1), ("Gjennomførbarhet", 1)]
            )]
        )
        applications = []
        for i in range(APPLICATIONS_PER_CALL):
            participant = participants[i % len(participants)]
            own = c == 0 and i < OWN_APPLICATIONS
            applications.append(
                Application(
                    call=call, number=i + 1,
                    applicant=applicant if own else applicant_users[i],
                    leader=applicant_person if own else persons[((i % len(participants)) * 3) % n_orgs],
                    lead_participant=participant, work_area=areas[i % len(areas)],
                    title=f"Prosjekt {c}-{i:03d}", summary="Sammendrag", description="Beskrivelse",
                    status=ApplicationStatus.SUBMITTED, submitted_at=deadline - timedelta(hours=i),
                )
            )
        applications = Application.objects.bulk_create(applications, batch_size=1000)
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(application=a, category=category, description=category, requested=Decimal(rng.randrange(20, 75) * 1000),
                           own_contribution=Decimal(rng.randrange(0, 30) * 1000), position=j)
                for a in applications for j, category in enumerate(["salary", "operating"])
            ],
            batch_size=5000,
        )
        weights = {cr.pk: cr.weight for cr in criteria}
        reviews, scores = [], []
        for i, application in enumerate(applications):
            for k in range(REVIEWS_PER_APPLICATION):
                given = {cr.pk: rng.randint(1, 7) for cr in criteria}
                mean = sum(weights[pk] * s for pk, s in given.items()) / sum(weights.values())
                reviews.append(
                    Review(application=application, reviewer=reviewers[(i + k) % len(reviewers)], status=ReviewStatus.SUBMITTED,
                           weighted_score=Decimal(str(round(mean, 2))), comment="Kommentar", submitted_at=deadline + timedelta(days=10),
                           declared_at=deadline + timedelta(days=2))
                )
                scores.append(given)
        reviews = Review.objects.bulk_create(reviews, batch_size=5000)
        ReviewScore.objects.bulk_create(
            [ReviewScore(review=r, criterion_id=pk, score=s) for r, given in zip(reviews, scores, strict=True) for pk, s in given.items()],
            batch_size=10000,
        )
        calls.append(call)
    ctx.update(funding_call=calls[0], funding_applicant=applicant)


def bench_funding(ctx: dict, repeat: int) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from bench.run import measure, page

    office = Client()
    office.force_login(ctx["coordinator"])
    applicant = Client()
    applicant.force_login(ctx["funding_applicant"])
    call = ctx["funding_call"]
    return [
        measure("ranking page (300 applications × 3 reviews)", page(office, reverse("funding:call_ranking", args=[call.pk])), repeat=repeat),
        measure("applicant's list page (My applications)", page(applicant, reverse("funding:mine_applications")), repeat=repeat),
        measure("office applications list, one call", page(office, reverse("funding:application_list") + f"?call={call.pk}&sort=-score"), repeat=repeat),
        measure("call page with totals", page(office, reverse("funding:call_detail", args=[call.pk])), repeat=repeat),
    ]


BENCHMARKS = {"funding": bench_funding}
