"""manage.py export_ehf: every invoice and credit note of a year as EHF files named by number."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from polyfon.billing import ehf, services
from polyfon.billing.models import Invoice

pytestmark = pytest.mark.django_db


def test_every_document_of_the_year_is_written(issue, coordinator, tmp_path):
    issue(year=2025, issue_date=date(2025, 3, 1))  # another year
    first, second = issue(), issue()
    services.invoice_credit(invoice=first, actor=coordinator, reason="Avlyst", send=False)
    out = StringIO()
    call_command("export_ehf", year=2026, out=str(tmp_path / "ehf"), stdout=out)
    names = sorted(p.name for p in (tmp_path / "ehf").iterdir())
    assert names == ["faktura-2.xml", "faktura-3.xml", "kreditnota-K1.xml"]
    assert "3 EHF files" in out.getvalue()
    root = ehf.parse((tmp_path / "ehf" / f"faktura-{second.display_number}.xml").read_bytes())
    assert root.findtext(f"{{{ehf.CBC}}}ID") == second.display_number
    assert root.find(f".//{{{ehf.CBC}}}EmbeddedDocumentBinaryObject") is not None


def test_without_pdf_and_a_broken_document_is_reported(issue, tmp_path):
    good, bad = issue(), issue()
    Invoice.objects.filter(pk=bad.pk).update(buyer_reference="")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("export_ehf", year=2026, out=str(tmp_path), without_pdf=True, stderr=err, stdout=StringIO())
    assert [p.name for p in tmp_path.iterdir()] == [f"faktura-{good.display_number}.xml"]
    assert "PEPPOL-EN16931-R003" in err.getvalue()
    assert b"EmbeddedDocumentBinaryObject" not in (tmp_path / f"faktura-{good.display_number}.xml").read_bytes()
