"""Load the 2024 regional division (15 counties, 357 municipalities) from members/data/."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    County = apps.get_model("members", "County")
    Municipality = apps.get_model("members", "Municipality")
    with open(DATA / "counties_2024.csv", encoding="utf-8") as f:
        counties = {
            row["number"]: County.objects.update_or_create(
                number=row["number"], defaults={"name": row["name"], "official_name": row["official_name"]}
            )[0]
            for row in csv.DictReader(f)
        }
    with open(DATA / "municipalities_2024.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Municipality.objects.update_or_create(
                number=row["number"],
                defaults={
                    "name": row["name"],
                    "official_name": row["official_name"],
                    "county": counties[row["county"]],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
