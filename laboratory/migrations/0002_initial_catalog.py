"""The contract's initial laboratory tests: LOINC code, unit, reference range, price."""

from decimal import Decimal

from django.db import migrations

# code, LOINC, name, unit, reference low, reference high, price
TESTS = [
    ("hemoglobin", "718-7", "Hemoglobin", "g/dL", "12", "17.5", "250.00"),
    ("wbc", "6690-2", "White cell count", "10*3/uL", "4", "11", "250.00"),
    ("platelets", "777-3", "Platelets", "10*3/uL", "150", "450", "250.00"),
    ("glucose_fasting", "1558-6", "Fasting glucose", "mg/dL", "70", "99", "150.00"),
    ("hba1c", "4548-4", "HbA1c", "%", "4", "5.6", "800.00"),
    ("creatinine", "2160-0", "Creatinine", "mg/dL", "0.6", "1.3", "300.00"),
    ("sodium", "2951-2", "Sodium", "mmol/L", "135", "145", "300.00"),
    ("potassium", "2823-3", "Potassium", "mmol/L", "3.5", "5.1", "300.00"),
    ("alt", "1742-6", "ALT", "U/L", "7", "56", "350.00"),
    ("tsh", "3016-3", "TSH", "m[IU]/L", "0.4", "4.0", "900.00"),
]


def load(apps, schema_editor):
    LabTest = apps.get_model("laboratory", "LabTest")
    for code, loinc, name, unit, low, high, price in TESTS:
        LabTest.objects.update_or_create(code=code, defaults={
            "loinc": loinc, "name": name, "unit": unit, "reference_low": Decimal(low),
            "reference_high": Decimal(high), "price": Decimal(price), "active": True,
        })


class Migration(migrations.Migration):
    dependencies = [("laboratory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
