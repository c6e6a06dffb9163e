"""The lab work queue at scale: load N lab orders into PostgreSQL, then time a queue page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/lab_queue.py [N]

Prints the plan of the page's order query (it must walk the `laboratory_order_queue` index, not
sort the table), and the median time of building one 20-row page with its serializer, over 20
runs. Reruns reuse the loaded orders when the count matches.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import DoctorProfile, PatientProfile, User  # noqa: E402
from laboratory.models import LabOrder, LabOrderItem, LabTest  # noqa: E402
from laboratory.selectors import lab_orders_visible_to  # noqa: E402
from laboratory.serializers import LabOrderSerializer  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
BATCH = 5_000


def load() -> tuple[User, int]:
    call_command("migrate", verbosity=0)
    lab, _ = User.objects.get_or_create(
        username="bench_lab", defaults={"role": "lab", "approval_status": "approved"})
    if LabOrder.objects.count() == N:
        return lab, N
    LabOrderItem.objects.all().delete()
    LabOrder.objects.all().delete()
    from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory

    doctor = DoctorProfile.objects.first() or DoctorProfileFactory()
    patients = list(PatientProfile.objects.all()[:200]) or PatientProfileFactory.create_batch(200)
    tests = list(LabTest.objects.all()[:3])
    statuses = ["released"] * 7 + ["resulted", "collected", "ordered"]
    for start in range(0, N, BATCH):
        with transaction.atomic():
            orders = LabOrder.objects.bulk_create([
                LabOrder(patient=patients[i % len(patients)], ordered_by=doctor,
                         status=statuses[i % len(statuses)],
                         priority="urgent" if i % 13 == 0 else "routine")
                for i in range(start, min(start + BATCH, N))
            ])
            LabOrderItem.objects.bulk_create([
                LabOrderItem(order=order, test=test, position=p, price=test.price)
                for order in orders for p, test in enumerate(tests)
            ])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE laboratory_laborder")
        cursor.execute("VACUUM ANALYZE laboratory_laborderitem")
    return lab, N


def main() -> None:
    assert connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database."
    lab, count = load()
    page = lab_orders_visible_to(lab).filter(status="ordered", priority="urgent")[:20]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    timings = []
    for _ in range(20):
        began = time.perf_counter()
        assert LabOrderSerializer(list(page.all()), many=True, context={"viewer": lab}).data
        timings.append((time.perf_counter() - began) * 1000)
    print(f"{count} lab orders; queue page (status=ordered&priority=urgent, 20 rows)")
    print(plan)
    print(f"page with items, tests, revisions, events, serialized: median "
          f"{statistics.median(timings):.1f} ms over 20 runs")


if __name__ == "__main__":
    main()
