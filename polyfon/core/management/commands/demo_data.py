"""Fill an empty database with a plausible cluster, once. Each app that has demo data has a
`demo.py` with `load(ctx)`; they run in INSTALLED_APPS order and share `ctx`."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from polyfon.core.demo import DemoContext, demo_logins, is_loaded


class Command(BaseCommand):
    help = "Load the demo cluster into an empty database (a second run keeps the data) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        if is_loaded():
            self.stdout.write("Demo data already loaded; keeping it.")
        else:
            ctx = DemoContext()
            with transaction.atomic():
                # The register first: every other app's demo data builds on its participants.
                for config in sorted(apps.get_app_configs(), key=lambda c: c.label != "members"):
                    module_name = f"{config.name}.demo"
                    if config.name.startswith("polyfon.") and config.label != "core" and find_spec(module_name):
                        import_module(module_name).load(ctx)
                        self.stdout.write(f"  loaded {config.label}")
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            self.stdout.write(f"\nDemo logins (password for all: {demo_logins()['password']}):")
            for role, email in demo_logins()["users"]:
                self.stdout.write(f"  {role:<28} {email}")
