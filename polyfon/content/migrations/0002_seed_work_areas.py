"""The five work areas the partners prioritised (invitation letters 2018 and 2020)."""

from django.db import migrations

WORK_AREAS = [
    ("barn-og-unge", "Barn og unges oppvekst", "Barn og unge sin oppvekst", "Children and youth"),
    ("psykisk-helse", "Psykisk helse", "Psykisk helse", "Mental health"),
    ("rus", "Rustjenester", "Rustenester", "Substance-use services"),
    ("eldrehelse", "Eldrehelse", "Eldrehelse", "Elderly health"),
    ("palliasjon", "Palliativ omsorg", "Palliativ omsorg", "Palliative care"),
]


def seed(apps, schema_editor):
    WorkArea = apps.get_model("content", "WorkArea")
    for position, (slug, nb, nn, en) in enumerate(WORK_AREAS, start=1):
        WorkArea.objects.get_or_create(
            slug=slug, defaults={"name": nb, "name_nn": nn, "name_en": en, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
