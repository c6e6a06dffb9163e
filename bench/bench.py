"""The steps of `bench/run`: prepare a database, drive a server with wrk, explain, report.

Run from the repository root with the project's Python; `bench/run` calls it. Subcommands:

  prepare  create the database if missing, migrate, load `bench_data` unless it already holds
           this size of this week's data, remove what earlier runs added
  wait     poll the server's health endpoint until it answers
  drive    sign the personas in, run wrk against each endpoint, read the workers' memory
  explain  run each endpoint in-process, count its SQL and EXPLAIN ANALYZE its SELECTs
  report   write bench/RESULTS.md from the JSON the other steps left in bench/out/
"""

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

BOOKING_REASON = "Bench booking"
BOOKING_PATIENTS = 64
BOOKING_REQUESTS = 20_000
# The list endpoints of the targets; `me` is the floor, `book` is the write.
LISTS = ("appointments", "history", "slots", "available", "invoices")
# A sequential scan of a table above this many rows counts against a hot list.
LARGE_TABLE = 10_000


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital.settings")
    import django

    django.setup()


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


# prepare ---------------------------------------------------------------------------------

def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")


def loaded_at_size(args) -> bool:
    from django.utils import timezone

    from accounts.models import DoctorProfile, PatientProfile, User
    from appointments.models import Appointment
    from billing.management.commands.bench_data import ADMIN_USERNAME, WEEKS_BEFORE

    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        return False
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    joined = timezone.localtime(admin.date_joined).date()
    # The data is anchored on the week it was loaded in; an older load has lost its future.
    this_week = joined + timedelta(weeks=WEEKS_BEFORE + 4) == monday
    return (
        this_week
        and DoctorProfile.objects.count() == args.doctors
        and PatientProfile.objects.count() == args.patients
        and Appointment.objects.exclude(reason=BOOKING_REASON).count() == args.appointments
    )


def prepare(args) -> None:
    create_database(args.url)
    django_setup(args.url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if loaded_at_size(args):
        log(f"{args.appointments:,} appointments already loaded")
    else:
        log(f"loading {args.appointments:,} appointments")
        started = time.monotonic()
        call_command(
            "bench_data", doctors=args.doctors, patients=args.patients,
            appointments=args.appointments, seed=args.seed, wipe=True,
        )
        # Kept apart from the run's results: a later run reuses the data and this number.
        OUT.mkdir(exist_ok=True)
        (OUT / f"{args.label}-load.json").write_text(json.dumps({
            "seconds": round(time.monotonic() - started, 1),
            "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average_after": Path("/proc/loadavg").read_text().split()[:3],
        }))
    from appointments.models import Appointment, AppointmentEvent

    booked = Appointment.objects.filter(reason=BOOKING_REASON)
    AppointmentEvent.objects.filter(appointment__in=booked).delete()
    booked.delete()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE trust_auditevent, trust_idempotencyrecord")
    connection.close()
    import psycopg

    with psycopg.connect(args.url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    log("database ready (earlier bookings and audit events removed, vacuumed)")


def record(label: str, key: str, value) -> None:
    """Keep one fact about this run in bench/out/<label>.json."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{label}.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = value
    path.write_text(json.dumps(data, indent=2, default=str))


# wait ------------------------------------------------------------------------------------

def wait(args) -> None:
    """Poll the health endpoint for up to 30 s."""
    for _ in range(60):
        try:
            http(f"http://127.0.0.1:{args.port}", "GET", "/api/health/")
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("bench: the server did not come up; see bench/out/gunicorn-*.log")


# drive -----------------------------------------------------------------------------------

def http(base: str, method: str, path: str, body=None, token=None):
    request = urllib.request.Request(base + path, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data=data, timeout=30) as response:
        return json.loads(response.read())


def next_weekday(after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def booking_file(path: Path, seed: int) -> int:
    """Write "<token>\\t<body>" lines asking for distinct free slots of every doctor."""
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import DoctorProfile, User
    from appointments.selectors import doctor_free_slots

    today = timezone.localdate()
    first, last = today + timedelta(days=8), today + timedelta(days=37)
    patients = list(
        User.objects.filter(role=User.Role.PATIENT, username__startswith="bench_patient_")
        .order_by("username")[:BOOKING_PATIENTS]
    )
    tokens = [str(AccessToken.for_user(patient)) for patient in patients]
    slots = []
    for doctor in DoctorProfile.objects.order_by("pk"):
        for slot in doctor_free_slots(doctor=doctor, first_day=first, last_day=last):
            slots.append((str(doctor.pk), slot.start))
    random.Random(seed).shuffle(slots)
    taken, lines = set(), []
    for index, (doctor_id, start) in enumerate(slots):
        patient = index % len(patients)
        if (patient, start) in taken:
            continue
        taken.add((patient, start))
        body = {"doctor": doctor_id, "start": start.isoformat(), "reason": BOOKING_REASON}
        lines.append(f"{tokens[patient]}\t{json.dumps(body)}")
        if len(lines) == BOOKING_REQUESTS:
            break
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


def wrk(url: str, *, duration: int, connections: int, threads: int, token=None, script_args=()):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk.lua")]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    result = json.loads(match.group(1))
    seconds = result["duration_us"] / 1e6
    statuses = {int(status): count for status, count in result["statuses"].items()}
    return {
        "requests": result["requests"],
        "rps": round(result["requests"] / seconds, 1),
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p90_ms": round(result["p90_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "max_ms": round(result["max_us"] / 1000, 2),
        "statuses": statuses,
        "non_2xx": sum(count for status, count in statuses.items() if not 200 <= status < 300),
        "socket_errors": result["socket_errors"],
    }


def combine(runs: list[dict]) -> dict:
    """One result from several rounds: totals, the median p50, the worst p99."""
    statuses: dict = {}
    for run in runs:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["requests"] / run["rps"] for run in runs if run["rps"])
    return {
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p90_ms": max(run["p90_ms"] for run in runs),
        "p99_ms": max(run["p99_ms"] for run in runs),
        "max_ms": max(run["max_ms"] for run in runs),
        "statuses": statuses,
        "non_2xx": sum(run["non_2xx"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "rounds": [run["rps"] for run in runs],
    }


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of the gunicorn master's children (the workers), in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == master and "VmRSS" in fields:
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(sizes)


def personas(base: str) -> dict:
    from billing.management.commands.bench_data import (
        ADMIN_USERNAME,
        BENCH_PASSWORD,
        DOCTOR_USERNAME,
        PATIENT_USERNAME,
    )

    people = {}
    for role, username in (("admin", ADMIN_USERNAME), ("doctor", DOCTOR_USERNAME),
                           ("patient", PATIENT_USERNAME)):
        tokens = http(base, "POST", "/api/token/", {"username": username, "password": BENCH_PASSWORD})
        me = http(base, "GET", "/api/me/", token=tokens["access"])
        people[role] = {"token": tokens["access"], "id": me["id"]}
    return people


def endpoints(people: dict, today: date) -> list[dict]:
    """The benchmarked requests: name, who, method, path."""
    week = next_weekday(today + timedelta(days=7))
    week -= timedelta(days=week.weekday())
    day = next_weekday(today)
    doctor, patient = people["doctor"]["id"], people["patient"]["id"]
    return [
        {"name": "me", "who": "doctor", "path": "/api/me/"},
        {"name": "appointments", "who": "doctor", "path": "/api/appointments/?page_size=20"},
        {"name": "history", "who": "patient", "path": f"/api/patients/{patient}/history/"},
        {"name": "slots", "who": "patient",
         "path": f"/api/doctors/{doctor}/slots/?from={week}&to={week + timedelta(days=6)}"},
        {"name": "available", "who": "patient", "path": f"/api/doctors/available/?date={day}"},
        {"name": "invoices", "who": "admin", "path": "/api/invoices/?page_size=20"},
    ]


def drive(args) -> None:
    django_setup(args.url)
    from django.utils import timezone

    base = f"http://127.0.0.1:{args.port}"
    record(args.label, "load_average_before", Path("/proc/loadavg").read_text().split()[:3])
    record(args.label, "commit", git_commit())
    record(args.label, "at", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    people = personas(base)
    targets = endpoints(people, timezone.localdate())
    for endpoint in targets:
        wrk(base + endpoint["path"], duration=2, connections=args.connections, threads=1,
            token=people[endpoint["who"]]["token"])
    # Rounds through all endpoints, so a change in the machine's background load during
    # the run weighs on every endpoint alike rather than on whichever ran then.
    rounds: dict = {endpoint["name"]: [] for endpoint in targets}
    for _ in range(args.rounds):
        for endpoint in targets:
            rounds[endpoint["name"]].append(wrk(
                base + endpoint["path"], duration=max(1, args.duration // args.rounds),
                connections=args.connections, threads=1, token=people[endpoint["who"]]["token"],
            ))
    results = []
    for endpoint in targets:
        result = combine(rounds[endpoint["name"]])
        results.append({**endpoint, "method": "GET", "connections": args.connections, **result})
        log(f"{endpoint['name']:<13}{result['rps']:>8} req/s  p50 {result['p50_ms']} ms  "
            f"p99 {result['p99_ms']} ms  non-2xx {result['non_2xx']}")
    OUT.mkdir(exist_ok=True)
    items = OUT / f"booking-{args.label}.tsv"
    count = booking_file(items, args.seed)
    threads = 2
    result = wrk(base + "/api/appointments/", duration=args.duration,
                 connections=args.booking_connections, threads=threads,
                 script_args=(str(items), str(threads)))
    results.append({"name": "book", "who": f"{BOOKING_PATIENTS} patients", "method": "POST",
                    "path": "/api/appointments/", "connections": args.booking_connections,
                    "distinct_slots": count, **result})
    log(f"{'book':<13}{result['rps']:>8} req/s  p50 {result['p50_ms']} ms  "
        f"p99 {result['p99_ms']} ms  statuses {result['statuses']}")
    record(args.label, "endpoints", results)
    record(args.label, "load_average_after", Path("/proc/loadavg").read_text().split()[:3])
    rss = worker_rss_mb(args.master)
    record(args.label, "worker_rss_mb", rss)
    log(f"worker RSS {rss} MB")


# explain ---------------------------------------------------------------------------------

def plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def table_rows(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def explain(args) -> None:
    """Call each endpoint in-process; count its queries; EXPLAIN ANALYZE each SELECT."""
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    django_setup(args.url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import User
    from billing.management.commands.bench_data import (
        ADMIN_USERNAME,
        DOCTOR_USERNAME,
        PATIENT_USERNAME,
    )

    users = {role: User.objects.get(username=name) for role, name in (
        ("admin", ADMIN_USERNAME), ("doctor", DOCTOR_USERNAME), ("patient", PATIENT_USERNAME))}
    people = {role: {"id": str(user.pk), "token": str(AccessToken.for_user(user))}
              for role, user in users.items()}
    client = Client(HTTP_HOST="127.0.0.1")
    report = []
    for endpoint in endpoints(people, timezone.localdate()):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {people[endpoint['who']]['token']}"}
        client.get(endpoint["path"], **auth)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(endpoint["path"], **auth)
        queries = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                queries.append({"sql": sql[:200], "kind": "write"})
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                (result,) = cursor.fetchone()
            document = result[0] if isinstance(result, list) else json.loads(result)[0]
            nodes = list(plan_nodes(document["Plan"]))
            scans = sorted({f"{node['Node Type']} on {node.get('Relation Name', '?')}"
                            + (f" using {node['Index Name']}" if "Index Name" in node else "")
                            for node in nodes if "Relation Name" in node})
            seq = sorted({node["Relation Name"] for node in nodes
                          if node["Node Type"] == "Seq Scan"})
            large_seq = [table for table in seq if table_rows(table) > LARGE_TABLE]
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)
                text = "\n".join(row[0] for row in cursor.fetchall())
            queries.append({
                "sql": sql, "kind": "select", "ms": document["Execution Time"],
                "scans": scans, "seq_scans": seq, "large_seq_scans": large_seq, "plan": text,
            })
        report.append({**endpoint, "status": response.status_code, "queries": queries})
        log(f"{endpoint['name']:<13}{len(queries)} queries, seq scans on large tables: "
            f"{sorted({t for q in queries for t in q.get('large_seq_scans', [])}) or 'none'}")
    record(args.label, "explain", report)


# report ----------------------------------------------------------------------------------

def machine() -> dict:
    import psycopg

    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hospital_bench")
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = names[0] if names else ""
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "postgres": version,
            "python": platform.python_version(),
            "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(" [")[0]}


def git_commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, cwd=ROOT).stdout.strip()


def verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


def report(args) -> None:
    small = json.loads((OUT / "small.json").read_text())
    large = json.loads((OUT / "large.json").read_text())
    info = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `bench/run`, measured on {large.get('at', '?')} at commit "
        f"`{large.get('commit', git_commit())}`. Every ratio compares numbers measured in the "
        "same run on the same machine, so it holds elsewhere even though the absolute numbers do not.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['nproc']} cores ({info['cpu']}); wrk and the server share them",
        f"- PostgreSQL {info['postgres']}, Python {info['python']}, {info['wrk']}",
        "- `free -h`:",
        "",
        "```",
        info["memory"],
        "```",
        "",
        "## Command",
        "",
        "```",
        args.command,
        "```",
        "",
        f"gunicorn on 127.0.0.1 with {args.workers} sync workers, `DJANGO_DEBUG=0`, a generated "
        "secret key, PostgreSQL over TCP on the same machine. GET endpoints: wrk with "
        f"{args.connections} connections, a 2 s warm-up each, then {args.rounds} rounds through all "
        f"of them, {args.duration // args.rounds} s each (req/s over the {args.duration} s, median "
        "p50, worst p99); booking: "
        f"{args.booking_connections} connections for {args.duration} s.",
        "",
    ]
    for label, data in (("small", small), ("large", large)):
        title = f"{data['size']['appointments']:,} appointments"
        lines += [
            f"## {title} ({data['size']['doctors']:,} doctors, {data['size']['patients']:,} patients)",
            "",
        ]
        load = OUT / f"{label}-load.json"
        if load.exists():
            loaded = json.loads(load.read_text())
            after = " ".join(loaded["load_average_after"])
            lines += [f"Data loaded by `manage.py bench_data` in {loaded['seconds']} s "
                      f"({loaded['at']}; load average after it {after}).", ""]
        lines += [
            "| endpoint | caller | req/s | p50 ms | p99 ms | requests | statuses | non-2xx |",
            "|---|---|---:|---:|---:|---:|---|---:|",
        ]
        for row in data["endpoints"]:
            statuses = ", ".join(f"{status}: {count}" for status, count in sorted(
                (int(status), count) for status, count in row["statuses"].items()))
            lines.append(
                f"| `{row['method']} {row['path']}` "
                f"| {row['who']} | {row['rps']} | {row['p50_ms']} | {row['p99_ms']} "
                f"| {row['requests']:,} | {statuses} | {row['non_2xx'] + row['socket_errors']} |"
            )
        lines += [
            "",
            f"Worker RSS after the run: {data['worker_rss_mb']} MB. Load average (1, 5, 15 min) "
            f"before: {' '.join(data['load_average_before'])}, after: "
            f"{' '.join(data['load_average_after'])}.",
            "",
        ]

    by_name = {row["name"]: row for row in large["endpoints"]}
    small_by_name = {row["name"]: row for row in small["endpoints"]}
    floor = by_name["me"]["rps"]
    lines += ["## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    checks = []
    for name in LISTS:
        ratio = by_name[name]["rps"] / floor
        checks.append((f"`{name}` req/s ≥ 50 % of `/api/me/` ({floor} req/s), 1 M data",
                       f"{by_name[name]['rps']} req/s = {ratio:.0%}", ratio >= 0.5))
    p50_ratio = by_name["appointments"]["p50_ms"] / small_by_name["appointments"]["p50_ms"]
    checks.append(("doctor's appointment list p50 at 1 M ≤ 1.3 × p50 at 10 000",
                   f"{by_name['appointments']['p50_ms']} ms / "
                   f"{small_by_name['appointments']['p50_ms']} ms = {p50_ratio:.2f}×",
                   p50_ratio <= 1.3))
    rss = max(large["worker_rss_mb"] + small["worker_rss_mb"])
    checks.append(("each gunicorn worker < 150 MB RSS after the run", f"max {rss} MB", rss < 150))
    unexpected = sum(
        row["socket_errors"] + sum(count for status, count in row["statuses"].items()
                                   if not 200 <= int(status) < 300
                                   and not (row["name"] == "book" and int(status) == 409))
        for data in (small, large) for row in data["endpoints"]
    )
    checks.append(("zero non-2xx answers (409 allowed on booking)", f"{unexpected}",
                   unexpected == 0))
    queries = {}
    for data in (small, large):
        for item in data.get("explain", []):
            queries.setdefault(item["name"], []).append(len(item["queries"]))
    constant = all(len(set(counts)) == 1 for counts in queries.values())
    checks.append((
        "same number of SQL queries at 10 000 and 1 M appointments",
        ", ".join(f"{name}: {'/'.join(map(str, counts))}" for name, counts in queries.items()),
        constant,
    ))
    seq_scans = sorted({
        f"{item['name']}: {table}" for item in large.get("explain", [])
        for query in item["queries"] for table in query.get("large_seq_scans", [])
    })
    checks.append((
        f"no sequential scan of a table over {LARGE_TABLE:,} rows, 1 M data",
        ", ".join(seq_scans) or "none", not seq_scans,
    ))
    for target, measured, ok in checks:
        lines.append(f"| {target} | {measured} | {verdict(ok)} |")
    book = by_name["book"]
    lines += [
        "",
        f"Booking at 1 M: {book['statuses'].get('201', 0):,} created, "
        f"{book['statuses'].get('409', 0):,} refused with 409 out of {book['requests']:,} "
        f"(each request asks for a distinct free slot of {book['distinct_slots']:,}; a 409 means "
        "the patient already held an overlapping appointment with another doctor, or a slot "
        "repeated after the list ran out).",
        "",
    ]
    lines += explain_section(large)
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n")
    headline = {
        "floor_rps": floor,
        "lists": {name: round(by_name[name]["rps"] / floor, 2) for name in LISTS},
        "p50_ratio": round(p50_ratio, 2),
        "rss_max_mb": rss,
        "unexpected_non_2xx": unexpected,
    }
    record("large", "headline", headline)
    log("wrote bench/RESULTS.md")
    print(json.dumps(headline, indent=2))


def explain_section(data: dict) -> list[str]:
    lines = [
        f"## Query plans at {data['size']['appointments']:,} appointments",
        "",
        "Each endpoint called in-process once warm; every SELECT it ran, with `EXPLAIN ANALYZE` "
        "(execution time on the server; `bench/bench.py explain`).",
        "",
        "| endpoint | SQL | ms | scans |",
        "|---|---|---:|---|",
    ]
    for item in data.get("explain", []):
        for query in item["queries"]:
            if query["kind"] != "select":
                continue
            lines.append(f"| {item['name']} | `{query['sql'][:60].replace('|', '')}…` "
                         f"| {query['ms']:.2f} | {'; '.join(query['scans'])} |")
    hot = {"appointments", "history", "available", "invoices"}
    lines += ["", "Plans of the hot lists:", ""]
    for item in data.get("explain", []):
        if item["name"] not in hot:
            continue
        for query in item["queries"]:
            if query["kind"] == "select" and query["ms"] >= 0.05 and "accounts_user" not in query["sql"][:80]:
                sql = query["sql"]
                shown = sql if len(sql) <= 700 else f"{sql[:200]} … {sql[-450:]}"
                lines += [f"`{item['name']}`:", "", "```sql", shown, "```", "",
                          "```", query["plan"], "```", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    for name in ("prepare", "drive", "explain"):
        step = sub.add_parser(name)
        step.add_argument("--url", required=True)
        step.add_argument("--label", required=True)
        step.add_argument("--seed", type=int, default=42)
        if name == "prepare":
            step.add_argument("--doctors", type=int, required=True)
            step.add_argument("--patients", type=int, required=True)
            step.add_argument("--appointments", type=int, required=True)
        if name == "drive":
            step.add_argument("--port", type=int, required=True)
            step.add_argument("--master", type=int, required=True)
            step.add_argument("--duration", type=int, required=True)
            step.add_argument("--rounds", type=int, default=3)
            step.add_argument("--connections", type=int, required=True)
            step.add_argument("--booking-connections", type=int, required=True)
    step = sub.add_parser("wait")
    step.add_argument("--port", type=int, required=True)
    step = sub.add_parser("report")
    step.add_argument("--command", required=True)
    step.add_argument("--rounds", type=int, default=3)
    step.add_argument("--workers", type=int, required=True)
    step.add_argument("--duration", type=int, required=True)
    step.add_argument("--connections", type=int, required=True)
    step.add_argument("--booking-connections", type=int, required=True)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args)
        record(args.label, "size", {"doctors": args.doctors, "patients": args.patients,
                                    "appointments": args.appointments})
    else:
        globals()[args.step](args)


if __name__ == "__main__":
    main()
