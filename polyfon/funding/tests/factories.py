"""factory_boy factories and small builders for the funding app."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from polyfon.content.models import WorkArea
from polyfon.funding import services
from polyfon.funding.models import (
    Application,
    ApplicationAttachment,
    AttachmentKind,
    BudgetLine,
    Call,
    CallKind,
    Criterion,
    ReviewTrack,
)
from polyfon.members.models import Affiliation
from polyfon.members.tests.factories import MemberFactory, PersonFactory, UserFactory

PDF = b"%PDF-1.4\n% test\n"
_numbers = itertools.count(1)


def _email(prefix: str) -> str:
    return f"{prefix}{next(_numbers)}@example.no"


def pdf_file(name="skisse.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CallFactory(factory.django.DjangoModelFactory):
    """A published seed-funds call, open now, with two criteria (weights 2 and 1)."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"SK-{2000 + n}")
    slug = factory.Sequence(lambda n: f"sakornmidler-{n}")
    kind = CallKind.SEED
    title = factory.Sequence(lambda n: f"Såkornmidler {n}")
    text = "## Om utlysningen\n\nMidler til forskningssamarbeid."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    total_budget = Decimal("500000")
    max_per_application = Decimal("150000")
    review_track = ReviewTrack.COMMITTEE
    reviews_per_application = 2
    required_attachments = factory.LazyFunction(lambda: [AttachmentKind.PROJECT_SKETCH])
    final_report_months = 3
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create:
            for position, (name, weight) in enumerate(extracted or [("Faglig kvalitet", 2), ("Nytte for tjenestene", 1)]):
                Criterion.objects.create(call=obj, name=name, weight=weight, position=position)


def applicant_for(participant, *, email=None, name="Ada Søker", language="nb"):
    """A login whose person in the register works for `participant`'s lead organisation."""
    user = UserFactory(email=email or _email("soker"), full_name=name, language=language)
    person = PersonFactory(name=name, email=user.email, user=user, language=language)
    organisation = participant.memberships.get(is_lead=True).organisation
    Affiliation.objects.create(person=person, organisation=organisation)
    return user


def reviewer_for(call, *, organisation=None, email=None, name="Rita Fagfelle"):
    """A person with a login in the call's reviewer pool, affiliated with `organisation` if given."""
    user = UserFactory(email=email or _email("fagfelle"), full_name=name)
    person = PersonFactory(name=name, email=user.email, user=user)
    if organisation is not None:
        Affiliation.objects.create(person=person, organisation=organisation)
    call.reviewers.add(person)
    return person


def make_application(
    *,
    call=None,
    participant=None,
    applicant=None,
    complete=True,
    requested=Decimal("100000"),
    own=Decimal("20000"),
    title="Musikk i barnehagen",
) -> Application:
    """A draft with everything a submission needs (unless complete=False: only the title)."""
    call = call or CallFactory()
    participant = participant or MemberFactory()
    applicant = applicant or applicant_for(participant)
    application = services.application_start(call=call, user=applicant, title=title)
    if not complete:
        return application
    Application.objects.filter(pk=application.pk).update(
        lead_participant=participant,
        work_area=WorkArea.objects.order_by("position").first(),
        summary="Et prosjekt om musikk.",
        description="Bakgrunn, mål og metode.",
        start_date=date.today() + timedelta(days=60),
        end_date=date.today() + timedelta(days=425),
    )
    BudgetLine.objects.create(
        application=application, category="salary", description="Lønn", requested=requested, own_contribution=own
    )
    for kind in call.required_attachments:
        attachment = ApplicationAttachment(
            application=application, kind=kind, original_name=f"{kind}.pdf", size=len(PDF), sha256="0" * 64
        )
        attachment.file.save(f"{kind}.pdf", pdf_file(), save=False)
        attachment.save()
    application.refresh_from_db()
    return application


def submitted_application(**kwargs) -> Application:
    application = make_application(**kwargs)
    return services.application_submit(application=application, actor=application.applicant)
