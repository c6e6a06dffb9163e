"""Load the hospital's six departments."""

from decimal import Decimal

from django.db import migrations

DEPARTMENTS = [
    ("CL", "Cardiology", Decimal("1500.00")),
    ("DL", "Dermatology", Decimal("1000.00")),
    ("EMC", "Emergency Medicine", Decimal("2000.00")),
    ("IL", "Immunology", Decimal("1200.00")),
    ("AL", "Anesthesiology", Decimal("1800.00")),
    ("CRS", "Colon and Rectal Surgery", Decimal("2500.00")),
]


def load(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    for code, name, rate in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "daily_room_rate": rate})


def unload(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    Department.objects.filter(code__in=[code for code, _, _ in DEPARTMENTS], doctors__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
