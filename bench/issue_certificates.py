"""Issue certificates in bulk as the background worker would, and time each one.

Run by ``bench/run.py`` (``--certificates N``) on the benchmark's throwaway database after the
course bank is seeded, or by hand on any database with published courses::

    python bench/issue_certificates.py --count 10000 --processes 2

It completes ``--count`` enrolments of generated learners in the busiest published courses
(rows written directly, as an import would), then, in ``--processes`` worker processes (the
task worker's concurrency), runs for each one what the completion task runs
(``consilium.certificates.tasks.issue_for_enrolment``): the certificate with its signed Open
Badges credential (``certificate_issue``), then its PDF (``certificate_pdf``). It reports the
median and 95th percentile of each step, the time per certificate and the throughput.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any


def _prepare(count: int) -> list[int]:
    """``count`` completed enrolments without a certificate; returns their ids."""
    from django.db import transaction

    from consilium.accounts.models import User
    from consilium.courses.models import Course, Enrolment, EnrolmentStatus, Run

    courses = list(
        Course.objects.filter(status="published", variants__isnull=False, runs__isnull=False)
        .distinct()
        .order_by("id")[:50]
    )
    if not courses:
        raise SystemExit("issue: no published course with a run; seed the course bank first")
    runs = {run.course_id: run for run in Run.objects.filter(course__in=courses)}
    variants = {c.pk: c.variants.order_by("language").first() for c in courses}
    stamp = int(time.time())
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench-holder-{stamp}-{n}@example.org",
                    full_name=f"Асель Қасымова {n}",
                    password="!",
                )
                for n in range(count)
            ],
            batch_size=1000,
        )
        now = datetime.now(UTC)
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    run=runs[courses[n % len(courses)].pk],
                    course=courses[n % len(courses)],
                    learner=user,
                    variant=variants[courses[n % len(courses)].pk],
                    status=EnrolmentStatus.COMPLETED,
                    enrolled_at=now,
                    completed_at=now,
                    progress=100,
                    is_demo=True,
                )
                for n, user in enumerate(users)
            ],
            batch_size=1000,
        )
    return [e.pk for e in enrolments]


def _issue(ids: list[int]) -> list[tuple[float, float]]:
    """(issue and sign, PDF) seconds for each enrolment, in a worker process."""
    import django

    django.setup()
    from consilium.certificates.services import certificate_issue, certificate_pdf
    from consilium.courses.models import Enrolment

    timings = []
    for pk in ids:
        enrolment = Enrolment.objects.get(pk=pk)
        started = time.perf_counter()
        certificate = certificate_issue(enrolment=enrolment)
        signed = time.perf_counter()
        certificate_pdf(certificate=certificate)
        timings.append((signed - started, time.perf_counter() - signed))
    return timings


def _figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not (1 <= args.count <= 100_000 and 1 <= args.processes <= 16):
        parser.error("1 <= --count <= 100000, 1 <= --processes <= 16")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    from django.db import connections

    ids = _prepare(args.count)
    connections.close_all()  # the workers open their own
    chunks = [ids[n :: args.processes] for n in range(args.processes)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        results = pool.map(_issue, chunks)
    wall = time.perf_counter() - started
    timings: list[tuple[float, float]] = [t for chunk in results for t in chunk]
    figures: dict[str, Any] = {
        "certificates": len(timings),
        "processes": args.processes,
        "wall_seconds": round(wall, 1),
        "per_second": round(len(timings) / wall, 1),
        "wall_ms_per_certificate": round(wall * 1000 / len(timings), 1),
        "issue_and_sign": _figures([a for a, _ in timings]),
        "pdf": _figures([b for _, b in timings]),
        "total": _figures([a + b for a, b in timings]),
    }
    print(json.dumps(figures))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
