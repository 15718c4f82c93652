"""Write every invoice and credit note of a year as EHF files: `manage.py export_ehf --year 2026 --out DIR`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polyfon.billing import ehf, services
from polyfon.billing.models import CreditNote, Invoice


class Command(BaseCommand):
    help = (
        "Write every invoice and credit note of a year as EHF (PEPPOL BIS Billing 3.0) XML files, one per document, "
        "named by number (faktura-<number>.xml, kreditnota-<number>.xml). Each file is checked against the EHF "
        "rules first; a document that fails is reported and not written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year the documents are for.")
        parser.add_argument("--out", required=True, help="The folder to write to (created if missing).")
        parser.add_argument("--without-pdf", action="store_true", help="Leave out the embedded PDF (smaller files).")

    def handle(self, *args, year, out, without_pdf=False, **options):
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        documents = [
            *Invoice.objects.filter(year=year).select_related("series", "corrects__series").prefetch_related("lines")
            .order_by("number"),
            *CreditNote.objects.filter(year=year).select_related("series", "invoice__series").prefetch_related("lines")
            .order_by("number"),
        ]
        written, failed = 0, []
        for document in documents:
            try:
                pdf = None if without_pdf else services.document_pdf(document)
                content = ehf.document_xml(document, pdf=pdf)
            except ehf.EhfRuleError as error:
                failed.append(f"{document}: {error}")
                continue
            (folder / ehf.filename(document)).write_bytes(content)
            written += 1
        self.stdout.write(f"{written} EHF files written to {folder}.")
        for failure in failed:
            self.stderr.write(failure)
        if failed:
            raise CommandError(f"{len(failed)} documents break EHF rules and were not written.")
