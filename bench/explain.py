"""Where the time of one request goes: in-process timing, SQL queries and their plans, a profile.

Run by ``bench/run.py --explain`` against the benchmark's own database once the load is over,
or by hand with the same environment (``run.py --keep`` leaves the directory behind)::

    CONSILIUM_ENV=production SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1,localhost DEBUG=0 \\
    DATABASE_URL=sqlite:////tmp/consilium-bench-XXXX/bench.sqlite3 \\
    .venv/bin/python bench/explain.py /institutions/?q=university /api/v1/institutions/

``--headers-from FILE`` sends header lines from a file with every request, such as the session
cookie bench/visitors.py writes (``run.py --keep`` leaves ``observer.headers``,
``coordinator.headers`` and ``token.headers`` in the directory), for pages behind sign-in.

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


def explain(
    paths: list[str],
    repeat: int,
    profile_top: int,
    headers: list[str] | None = None,
    budget: float = 5.0,
) -> dict[str, Any]:
    """Each path ``repeat`` times, or as many times as fit in ``budget`` seconds (at least once).

    A path slower than the budget is timed by its first request alone (no warm-up then: it
    would not change much), so that a pathological query does not hold the report for hours.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    extra: dict[str, Any] = {}
    cookies = []
    for line in headers or []:
        name, _sep, value = line.partition(":")
        if name.strip().lower() == "cookie":
            cookies.append(value.strip())
        else:
            extra["HTTP_" + name.strip().upper().replace("-", "_")] = value.strip()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en", **extra)
    for cookie in cookies:
        client.cookies.load(cookie)
    report: dict[str, Any] = {}
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)  # warm caches and imports
        first = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"explain: {path} answered {response.status_code}")
        times = [] if first < budget else [first]
        deadline = time.perf_counter() + budget
        while len(times) < repeat and (not times or time.perf_counter() < deadline):
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
            deadline = time.perf_counter() + budget * 3  # cProfile slows Python down ~3x
            profiler.enable()
            for _ in range(len(times)):
                client.get(path)
                if time.perf_counter() > deadline:
                    break
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(profile_top)
            profile_text = out.getvalue()
        report[path] = {
            "median_ms": round(statistics.median(times) * 1000, 2),
            "min_ms": round(min(times) * 1000, 2),
            "runs": len(times),
            "queries": queries,
            "sql_ms": round(sum(q["ms"] for q in queries), 2),
            "profile": profile_text,
        }
    return report


def show(report: dict[str, Any], width: int = 160) -> None:
    for path, data in report.items():
        print(
            f"\n{path}\n  in-process: median {data['median_ms']:.2f} ms, min "
            f"{data['min_ms']:.2f} ms of {data['runs']}; {len(data['queries'])} queries, "
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
    parser.add_argument(
        "--budget", type=float, default=5.0, help="seconds of repeats per path, at most"
    )
    parser.add_argument(
        "--headers-from",
        type=argparse.FileType("r"),
        help="header lines to send (a session Cookie, an Authorization), as for bench/load.py",
    )
    args = parser.parse_args(argv)
    headers = []
    if args.headers_from:
        with args.headers_from as lines:
            headers = [line.strip() for line in lines if line.strip()]
    if not 1 <= args.repeat <= 10_000:
        parser.error("1 <= --repeat <= 10000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    show(explain(args.paths, args.repeat, args.profile, headers, args.budget))
    return 0


if __name__ == "__main__":
    sys.exit(main())
