"""Fixtures of the money side's tests: a fee schedule, the EHF outbox in a temporary folder,
and helpers to issue invoices quickly."""

from datetime import date
from decimal import Decimal

import pytest

from polyfon.members.tests.factories import MemberFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _outbox(settings, tmp_path):
    settings.BILLING_EHF_OUTBOX = str(tmp_path / "ehf-outbox")
    settings.BILLING_EHF_SENDER = "polyfon.billing.outbox.FolderSender"
    return tmp_path / "ehf-outbox"


@pytest.fixture
def outbox(_outbox):
    return _outbox


@pytest.fixture
def schedule(db):
    from .factories import FeeScheduleFactory

    return FeeScheduleFactory()


@pytest.fixture
def issue(schedule, coordinator):
    """issue(participant=None, amount=1000, **kwargs) -> an invoice issued by hand (not sent)."""
    from polyfon.billing import services

    def make(participant=None, *, amount="1000", year=2026, issue_date=date(2026, 3, 1), buyer=None, **kwargs):
        participant = participant or MemberFactory()
        buyer = buyer or participant.memberships.get(is_lead=True).organisation
        return services.invoice_issue(
            actor=coordinator,
            buyer=buyer,
            participant=participant,
            year=year,
            issue_date=issue_date,
            lines=kwargs.pop("lines", None) or [services.LineInput("Fagdag", Decimal("1"), Decimal(amount))],
            send=kwargs.pop("send", False),
            **kwargs,
        )

    return make


@pytest.fixture
def email_buyer(db):
    """An organisation that takes its invoices by e-mail."""
    return OrganisationFactory(receives_ehf=False, invoice_email="faktura@kommune.example.no", buyer_reference="")


@pytest.fixture
def fast_pdf(monkeypatch):
    """For tests about lists and flows, not the PDF: a tiny stand-in instead of WeasyPrint."""
    monkeypatch.setattr("polyfon.billing.pdf.render_pdf", lambda document, **kwargs: b"%PDF-1.7\n% stand-in\n")
