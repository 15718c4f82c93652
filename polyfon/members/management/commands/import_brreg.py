from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polyfon.core.errors import DomainError
from polyfon.members.brreg import import_units


class Command(BaseCommand):
    help = "Import organisations from a Brønnøysund (Enhetsregisteret) JSON file; prints every row's outcome."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            report = import_units(raw=file.read_bytes(), actor=None)
        except DomainError as error:
            raise CommandError(str(error)) from None
        for row in report.rows:
            self.stdout.write(f"{row.line:>6} {row.org_number:<10} {row.outcome:<10} {row.name} {row.detail}".rstrip())
        self.stdout.write(", ".join(f"{count} {outcome}" for outcome, count in report.totals.items()))
