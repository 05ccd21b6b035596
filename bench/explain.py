"""Where the time of one request goes: in-process timing, SQL queries and their plans, a profile.

Run by ``bench/run.py --explain`` against the benchmark's own database once the load is over,
or by hand with the same environment (``run.py --keep`` leaves the directory behind)::

    CONSILIUM_ENV=production SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1,localhost DEBUG=0 \\
    DATABASE_URL=sqlite:////tmp/consilium-bench-XXXX/bench.sqlite3 \\
    .venv/bin/python bench/explain.py /institutions/?q=university /api/v1/institutions/

Requests go through the whole middleware stack via Django's test client (in this process, no
network), so the times are what a worker spends on the request, minus the HTTP parsing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from typing import Any

PROFILE_MARK = "| "  # prefixes the profile lines, so that bench/run.py can leave them out


def explain(paths: list[str], repeat: int, profile_top: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    report: dict[str, Any] = {}
    for path in paths:
        response = client.get(path)  # warm caches and imports
        if response.status_code != 200:
            raise SystemExit(f"explain: {path} answered {response.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
            queries: list[dict[str, Any]] = []
            for query in captured.captured_queries:
                sql = query["sql"]
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute(sql)
                    cursor.fetchall()
                    elapsed = time.perf_counter() - started
                    plan = []
                    if connection.vendor == "sqlite":
                        cursor.execute("EXPLAIN QUERY PLAN " + sql)
                        plan = [str(row[-1]) for row in cursor.fetchall()]
                queries.append({"sql": sql, "ms": round(elapsed * 1000, 2), "plan": plan})
        profile_text = ""
        if profile_top:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                client.get(path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(profile_top)
            profile_text = out.getvalue()
        report[path] = {
            "median_ms": round(statistics.median(times) * 1000, 2),
            "min_ms": round(min(times) * 1000, 2),
            "queries": queries,
            "sql_ms": round(sum(q["ms"] for q in queries), 2),
            "profile": profile_text,
        }
    return report


def show(report: dict[str, Any], width: int = 160) -> None:
    for path, data in report.items():
        print(
            f"\n{path}\n  in-process: median {data['median_ms']:.2f} ms, min "
            f"{data['min_ms']:.2f} ms; {len(data['queries'])} queries, "
            f"{data['sql_ms']:.2f} ms re-run alone"
        )
        for query in data["queries"]:
            sql = query["sql"]
            short = sql if len(sql) <= width else sql[: width // 2] + " … " + sql[-width // 2 :]
            print(f"  {query['ms']:7.2f} ms  {short}")
            for step in query["plan"]:
                print(f"              plan: {step}")
        if data["profile"]:
            lines = [line for line in data["profile"].splitlines() if line.strip()]
            print(f"  {PROFILE_MARK}profile, by own time (cProfile slows everything ~3x):")
            for line in lines[3:]:
                print(f"  {PROFILE_MARK}{line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", type=int, default=0, help="show the top N functions")
    args = parser.parse_args(argv)
    if not 1 <= args.repeat <= 10_000:
        parser.error("1 <= --repeat <= 10000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    show(explain(args.paths, args.repeat, args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
