"""Builders for reporting's tests. The indicators the system defines exist in every test
database (they are created after migrate), so tests fetch them by code."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from polyfon.content.models import WorkArea
from polyfon.members.models import (
    Agreement,
    County,
    FeeCategory,
    Municipality,
    OrganisationKind,
    ParticipantKind,
    ParticipantStatus,
)
from polyfon.members.tests.factories import (
    MemberFactory,
    OrganisationFactory,
    ParticipantContactFactory,
    PersonFactory,
    UserFactory,
)
from polyfon.reporting import services
from polyfon.reporting.models import Indicator, ReportingRound, RoundStatus


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def member(
    name: str,
    *,
    start: date = date(2021, 1, 1),
    end: date | None = None,
    kind: str = ParticipantKind.SINGLE,
    fee: str = FeeCategory.ORDINARY,
    municipality: str = "4601",
    organisation_kind: str = OrganisationKind.MUNICIPALITY,
    status: str | None = None,
):
    """A participant with one agreement from `start` (to `end`), its lead organisation in
    `municipality` (and that municipality's county)."""
    place = Municipality.objects.select_related("county").get(number=municipality)
    organisation = OrganisationFactory(name=f"{name} org", kind=organisation_kind, municipality=place, county=place.county)
    if status is None:
        status = ParticipantStatus.MEMBER if end is None else ParticipantStatus.FORMER
    participant = MemberFactory(
        name=name, kind=kind, fee_category=fee, status=status, member_since=start, organisation=organisation
    )
    if end is not None:
        Agreement.objects.filter(participant=participant).update(end_date=end)
    return participant


def county(number: str) -> County:
    return County.objects.get(number=number)


def contact_for(participant, *, email: str | None = None, name: str = "Kari Kontakt", language: str = "nb"):
    """A login that is a contact person (role: contact) of `participant`."""
    user = UserFactory(email=email or f"kontakt.{participant.pk}@example.no", full_name=name, language=language)
    person = PersonFactory(email=user.email, name=name, user=user, language=language)
    ParticipantContactFactory(participant=participant, person=person, role="contact")
    return user


def open_round(*, year: int = 2025, deadline: date = date(2026, 12, 15), actor=None, indicators=None) -> ReportingRound:
    """A round for `year`, opened (nobody is invited unless members exist)."""
    reporting_round = services.round_create(actor=actor, year=year, deadline=deadline, indicators=indicators)
    ReportingRound.objects.filter(pk=reporting_round.pk).update(status=RoundStatus.OPEN)
    reporting_round.refresh_from_db()
    return reporting_round


def areas() -> list[WorkArea]:
    return list(WorkArea.objects.filter(is_active=True).order_by("position"))


def full_answers(reporting_round: ReportingRound, value: Decimal = Decimal("2")) -> dict:
    """An answer to every question of the round (every work area of per-area questions)."""
    answers = {}
    for item in reporting_round.indicators.all():
        if item.per_work_area:
            for area in areas():
                answers[(item.pk, area.pk)] = value
        else:
            answers[(item.pk, None)] = value
    return answers


def csv_file(text: str, name: str = "npr.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


NPR_CSV = """År;Helseregion;Kontakter
2023;Helse Vest;1 650
2023;Helse Sør-Øst;2 800
2024;Helse Vest RHF;1 812
2024;Helse Sør-Øst;2 940
2024;Helse Midt-Norge;640
2024;Helse Nord;410
"""
