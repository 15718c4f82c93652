"""factory_boy factories for the register. Organisation numbers are valid (MOD11)."""

from datetime import date

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from polyfon.core.demo import org_number
from polyfon.members.models import (
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

PASSWORD = "et-godt-passord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.no")
    full_name = factory.Sequence(lambda n: f"Bruker {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    org_number = factory.Sequence(lambda n: org_number(5000 + n))
    kind = OrganisationKind.MUNICIPALITY
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(number="4601"))
    county = factory.LazyAttribute(lambda o: o.municipality.county if o.municipality else None)
    postal_address = "Postboks 1"
    postal_code = "5020"
    postal_place = "Bergen"
    buyer_reference = "REF-1"
    receives_ehf = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.no")
    phone = "+4791234567"


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A single-organisation prospect; use MemberFactory for a member."""

    class Meta:
        model = Participant
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Deltaker {n}")
    kind = ParticipantKind.SINGLE
    status = ParticipantStatus.PROSPECT
    fee_category = FeeCategory.ORDINARY

    @factory.post_generation
    def organisation(obj, create, extracted, **kwargs):
        if create:
            ParticipantOrganisation.objects.create(
                participant=obj, organisation=extracted or OrganisationFactory(name=obj.name), is_lead=True
            )

    @factory.post_generation
    def main_contact(obj, create, extracted, **kwargs):
        if create:
            ParticipantContact.objects.create(participant=obj, person=extracted or PersonFactory(), role=ContactRole.MAIN)


class MemberFactory(ParticipantFactory):
    status = ParticipantStatus.MEMBER
    member_since = date(2021, 1, 1)

    @factory.post_generation
    def agreement(obj, create, extracted, **kwargs):
        if create:
            Agreement.objects.create(
                participant=obj, signed_on=obj.member_since, start_date=obj.member_since, notice_period_months=12
            )


class ParticipantContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantContact

    participant = factory.SubFactory(ParticipantFactory)
    person = factory.SubFactory(PersonFactory)
    role = ContactRole.CONTACT
