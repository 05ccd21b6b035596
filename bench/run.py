"""Benchmark the directory and the agreements: requests/s against the floor, worker memory.

Builds a throwaway production-like instance (SQLite in a temporary directory, the demo network
plus generated institutions and agreements, signed-in visitors), serves it with gunicorn on
127.0.0.1 and drives it from a separate load-generator process (bench/load.py), one target after
another. Prints a table and writes var/bench/results.json. Everything it starts is stopped and
the temporary directory removed on exit, Ctrl+C included. See bench/README.md.

    .venv/bin/python bench/run.py [--seconds 10] [--warmup 2] [--rounds 3] [--explain]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
RESULTS = ROOT / "var" / "bench" / "results.json"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Realistic searches: a surname in Latin script, a city in Kazakh, an acronym, a Russian stem
# and an English word. On the default data they match 1 to ~3,000 of the 10,000 rows.
TERMS = ["Asfendiyarov", "Қарағанды", "KazNMU", "медицин", "university"]
# Filters of the agreements list people use: the criterion's own (active ones with a Kazakh
# party), a programme (the one with most agreements, found after seeding), a form of
# cooperation, a kind, and the ones ending within 90 days. On the default data they match from
# ~1,000 to ~25,000 of the 50,000 rows.
AGREEMENT_FILTERS = [
    "status=active&country=KZ",
    "programme={programme}",
    "form=mentoring",
    "kind=memorandum",
    "ending_soon=1",
]
# Catalog searches: a Russian stem, the same word in Latin script, a Kazakh word, an English
# word and a Russian word of the title patterns (bench/seed_courses.py).
CATALOG_TERMS = ["кардиол", "kardiolog", "мейіргер", "simulation", "введение"]
RSS_LIMIT_MB = 150.0
BUSY_MACHINE = 0.15  # share of all CPUs used by other processes that makes a run unreliable


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    paths: list[str]  # may hold {programme}, {course0}, {code0}..., filled in once seeded
    threshold: float | None  # minimum ratio to the floor; None: the floor, or reported only
    visitor: str = ""  # who sends the requests (bench/visitors.py); "" is anonymous

    @property
    def is_floor(self) -> bool:
        return self.key == "floor"


def all_targets() -> list[Target]:
    def q(term: str) -> str:
        return quote(term, safe="")

    return [
        Target("floor", "GET /floor/", ["/floor/"], None),
        Target(
            "search_page",
            "GET /institutions/?q=…",
            [f"/institutions/?q={q(t)}" for t in TERMS],
            0.25,
        ),
        Target(
            "api_search",
            "GET /api/v1/institutions/?q=…",
            [f"/api/v1/institutions/?q={q(t)}" for t in TERMS],
            0.35,
        ),
        Target("api_list", "GET /api/v1/institutions/", ["/api/v1/institutions/"], 0.35),
        Target(
            "agreements_filtered",
            "GET /partnerships/agreements/?… observer",
            [f"/partnerships/agreements/?{f}" for f in AGREEMENT_FILTERS],
            0.25,
            "observer",
        ),
        Target(
            "agreements_coordinator",
            "GET /partnerships/agreements/?… coordinator",
            [f"/partnerships/agreements/?{f}" for f in AGREEMENT_FILTERS],
            0.25,
            "coordinator",
        ),
        Target(
            "api_agreements",
            "GET /api/v1/partnerships/agreements/?status=active",
            ["/api/v1/partnerships/agreements/?status=active"],
            None,
            "token",
        ),
        Target(
            "catalog_search",
            "GET /courses/?q=…",
            [f"/courses/?q={q(t)}" for t in CATALOG_TERMS],
            0.2,
        ),
        Target(
            "course_page", "GET /courses/<id>/", [f"/courses/{{course{n}}}/" for n in range(5)], 0.3
        ),
        Target(
            "network_dashboard",
            "GET /courses/statistics/ observer",
            ["/courses/statistics/"],
            0.3,
            "observer",
        ),
        Target(
            "verify_code",
            "GET /certificates/verify/?code=…",
            [f"/certificates/verify/?code={{code{n}}}" for n in range(5)],
            0.5,
        ),
    ]


# --- the instance --------------------------------------------------------------------------


def bench_env(workdir: Path, cache_url: str = "") -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "CACHE_URL", "TASK_BACKEND", "LOG_LEVEL"):
        env.pop(name, None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    env.update(
        {
            "CONSILIUM_ENV": "production",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "CONSILIUM_VAR_DIR": str(workdir),
            "MEDIA_ROOT": str(workdir / "media"),
            "SITE_URL": "http://127.0.0.1",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # The tree this harness belongs to, whatever the virtualenv has installed.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def step(title: str, cmd: list[str], env: dict[str, str], timeout: float) -> str:
    started = time.monotonic()
    print(f"  {title} ...", end=" ", flush=True)
    result = subprocess.run(
        cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        print("failed")
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"bench: {title} failed with exit status {result.returncode}")
    print(f"done in {time.monotonic() - started:.1f} s")
    return result.stdout


def prepare(
    env: dict[str, str], workdir: Path, args: argparse.Namespace, targets: list[Target]
) -> dict[str, Any]:
    """Migrate, seed, and sign in the visitors the targets need: their headers and ids."""
    manage = [sys.executable, "-m", "consilium"]
    step("migrate", [*manage, "migrate", "--noinput"], env, 600)
    step("collectstatic", [*manage, "collectstatic", "--noinput"], env, 600)
    step("demo network", [*manage, "demo"], env, 600)
    out = step(
        f"seed {args.institutions} institutions",
        [sys.executable, str(BENCH / "seed.py"), "--count", str(args.institutions)],
        env,
        900,
    )
    print("   ", out.strip().splitlines()[-1] if out.strip() else "")
    if args.agreements:
        out = step(
            f"seed {args.agreements} agreements",
            [sys.executable, str(BENCH / "seed_agreements.py"), "--count", str(args.agreements)],
            env,
            900,
        )
        print("   ", out.strip().splitlines()[-1] if out.strip() else "")
    if args.courses:
        out = step(
            f"seed {args.courses} courses, {args.enrolments} enrolments",
            [
                sys.executable,
                str(BENCH / "seed_courses.py"),
                "--courses",
                str(args.courses),
                "--enrolments",
                str(args.enrolments),
            ],
            env,
            1800,
        )
        print("   ", out.strip().splitlines()[-1] if out.strip() else "")
    path = workdir / "visitors.json"
    out = step(
        "sign in the visitors",
        [sys.executable, str(BENCH / "visitors.py"), "--out", str(path)],
        env,
        300,
    )
    print("   ", out.strip().splitlines()[-1] if out.strip() else "")
    visitors: dict[str, Any] = json.loads(path.read_text())
    # The secrets go to the load generator in files, not on its command line.
    lines = {
        "observer": [f"Cookie: {visitors['observer']['cookie']}"],
        "coordinator": [f"Cookie: {visitors['coordinator']['cookie']}"],
        "token": [f"Authorization: {visitors['observer']['authorization']}"],
    }
    files = {}
    for name, headers in lines.items():
        files[name] = workdir / f"{name}.headers"
        fd = os.open(files[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out_file:
            out_file.write("\n".join(headers) + "\n")
    return {"files": files, "lines": lines, "data": visitors}


def resolve(targets: list[Target], visitors: dict[str, Any]) -> list[Target]:
    """The targets with the seeded ids filled into their paths."""
    data = visitors.get("data", {})
    ids = {
        key: value
        for key, value in data.items()
        if key == "programme" or key.startswith(("course", "code"))
    }
    return [
        Target(t.key, t.label, [p.format(**ids) for p in t.paths], t.threshold, t.visitor)
        for t in targets
    ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn in its own process group, so that Ctrl+C reaches it only through us."""

    def __init__(self, env: dict[str, str], workdir: Path, args: argparse.Namespace) -> None:
        self.port = free_port()
        self.log_path = workdir / "gunicorn.log"
        self.cmd = [
            str(BIN / "gunicorn"),
            "consilium.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(args.workers),
            "--worker-class", args.worker_class,
            "--timeout", "60",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "--error-logfile", str(self.log_path),
            "--chdir", str(ROOT),
        ]  # fmt: skip
        if args.worker_class == "gthread":
            self.cmd += ["--threads", str(args.threads)]
        self.proc = subprocess.Popen(
            self.cmd, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited ({self.proc.returncode}): {self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/health/", timeout=2) as response:
                    if response.status == 200 and len(self.workers()) >= 1:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"bench: /health/ did not answer in {timeout:.0f} s: {self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def workers(self) -> list[int]:
        """Process ids of the workers (the children of the gunicorn master)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                        pids.append(int(entry.name))
        return sorted(pids)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its current workers."""
        return sum(process_cpu_seconds(pid) for pid in [self.proc.pid, *self.workers()])

    def wait_idle(self, timeout: float = 180.0) -> float:
        """Wait until the workers are idle; returns the seconds waited.

        A request the load generator gave up on (its 10 s timeout) goes on in the worker, and
        would otherwise be counted against the next target.
        """
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            before = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - before <= 0.03:  # at most 3 clock ticks in 0.5 s
                break
        return time.monotonic() - started

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group created for it above
            self.proc.wait(timeout=5)


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all CPUs together."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    total = sum(values)
    idle = values[3] + values[4]  # idle + iowait
    return (total - idle) / CLK_TCK, total / CLK_TCK


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def workspace(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="consilium-bench-"))
    try:
        yield path
    finally:
        if keep:
            print(f"Kept {path} (--keep).")
        else:
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def serving(env: dict[str, str], workdir: Path, args: argparse.Namespace) -> Iterator[Server]:
    server = Server(env, workdir, args)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# --- measuring -----------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (to the sign-in page, say) is an answer to check, not to follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def preflight(server: Server, target: Target, visitors: dict[str, Any]) -> None:
    """Every path answers 200 before the load starts; the match counts are shown."""
    opener = urllib.request.build_opener(_NoRedirect)
    headers = dict(
        line.split(": ", 1) for line in visitors.get("lines", {}).get(target.visitor, [])
    )
    for path in target.paths:
        request = urllib.request.Request(
            server.url + path, headers={"Accept-Language": "en", **headers}
        )
        started = time.monotonic()
        try:
            with opener.open(request, timeout=120) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise SystemExit(
                f"bench: {path} answered {exc.code} {exc.headers.get('Location', '')}"
            ) from exc
        who = f" ({target.visitor})" if target.visitor else ""
        took = f"first answer in {(time.monotonic() - started) * 1000:.0f} ms"
        if path.startswith("/api/"):
            print(f"    {path}{who}: {json.loads(body)['count']} matches, {took}")
        elif match := re.search(rb"([0-9][0-9,\xc2\xa0 ]*) agreements?<", body):
            count = re.sub(rb"[^0-9]", b"", match.group(1)).decode()
            print(f"    {path}{who}: {count} matches, {len(body) // 1024} KB, {took}")


def measure(
    server: Server, target: Target, args: argparse.Namespace, visitors: dict[str, Any]
) -> dict[str, Any]:
    cmd = [
        sys.executable, str(BENCH / "load.py"),
        "--port", str(server.port),
        "--seconds", str(args.seconds),
        "--warmup", str(args.warmup),
        "--connections", str(args.connections),
    ]  # fmt: skip
    for path in target.paths:
        cmd += ["--path", path]
    if target.visitor:
        cmd += ["--headers-from", str(visitors["files"][target.visitor])]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # CPU is counted over the measurement window only, not the warm-up.
        time.sleep(args.warmup)
        server_before, machine_before = server.cpu_seconds(), machine_cpu_seconds()
        time.sleep(args.seconds)
        server_after, machine_after = server.cpu_seconds(), machine_cpu_seconds()
        stdout, stderr = proc.communicate(timeout=args.seconds + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    if proc.returncode != 0:
        sys.stderr.write(stderr[-4000:])
        raise SystemExit(f"bench: the load generator failed for {target.key}")
    data: dict[str, Any] = json.loads(stdout)
    cpus = os.cpu_count() or 1
    server_cpu = server_after - server_before
    busy = machine_after[0] - machine_before[0]
    wall = (machine_after[1] - machine_before[1]) / cpus or args.seconds
    client_cpu = data["client_cpu_share"] * args.seconds
    data["server_cpu_seconds"] = round(server_cpu, 2)
    data["server_cpu_share"] = round(server_cpu / (wall * cpus), 3)
    data["server_cpu_ms_per_request"] = (
        round(server_cpu * 1000 / data["requests"], 3) if data["requests"] else None
    )
    data["other_cpu_share"] = round(max(0.0, busy - server_cpu - client_cpu) / (wall * cpus), 3)
    return data


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The best run (the least disturbed by anything else), every run's req/s alongside.

    Errors are counted over all runs.
    """
    chosen = dict(max(runs, key=lambda run: run["rps"]))
    chosen["runs_rps"] = [round(run["rps"], 1) for run in runs]
    chosen["errors"] = sum(run["errors"] for run in runs)
    chosen["error_samples"] = [s for run in runs for s in run["error_samples"]][:10]
    return chosen


def explain(
    env: dict[str, str], targets: list[Target], path: Path, visitors: dict[str, Any]
) -> None:
    """Time, SQL and query plans of each path of the targets, in process (bench/explain.py).

    Each target's paths are requested as its visitor (the same session or token). The whole
    text, profiles included, goes to ``path``; the console gets it without profiles.
    """
    chosen = [t for t in targets if not t.is_floor]
    if not chosen:
        return
    print("\nWhere the time goes (bench/explain.py, in process, warm):")
    text = ""
    for target in chosen:
        cmd = [sys.executable, str(BENCH / "explain.py"), "--profile", "30", *target.paths]
        if target.visitor:
            cmd += ["--headers-from", str(visitors["files"][target.visitor])]
        result = subprocess.run(
            cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
        )
        part = f"\n== {target.key}" + (f" (as {target.visitor})" if target.visitor else "")
        part += "\n" + result.stdout + (result.stderr[-3000:] if result.returncode else "")
        for line in part.splitlines():
            if not line.startswith("  | "):
                print(line)
        text += part
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"Profiles in {path}")


# --- reporting -----------------------------------------------------------------------------


def table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    rule = "  ".join("-" * w for w in widths)

    def fmt(row: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )

    print("\n".join([rule, fmt(head), rule, *map(fmt, rows), rule]))


def report(
    targets: list[Target], results: dict[str, dict[str, Any]], memory: dict[str, Any],
    meta: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    floor = results["floor"]
    rows = []
    for target in targets:
        data = results[target.key]
        ratio = data["rps"] / floor["rps"] if floor["rps"] else 0.0
        floor_ms, own_ms = floor["server_cpu_ms_per_request"], data["server_cpu_ms_per_request"]
        data["cpu_ratio"] = round(floor_ms / own_ms, 3) if floor_ms and own_ms else None
        verdict = ""
        if not target.is_floor:
            data["ratio"] = round(ratio, 3)
        if target.threshold is not None:
            data["threshold"] = target.threshold
            data["pass"] = ratio >= target.threshold and data["errors"] == 0
            verdict = "PASS" if data["pass"] else "FAIL"
        rows.append(
            (
                target.label,
                f"{data['rps']:.0f}",
                "-" if target.is_floor else f"{ratio:.3f}",
                "" if target.threshold is None else f">= {target.threshold:.2f}",
                verdict,
                f"{data['latency_ms']['p50']:.1f} / {data['latency_ms']['p99']:.1f}",
                str(data["errors"]),
                f"{own_ms:.2f}" if own_ms else "-",
                "-" if target.is_floor or not data["cpu_ratio"] else f"{data['cpu_ratio']:.3f}",
                f"{data['server_cpu_share'] * 100:.0f}%",
                f"{data['client_cpu_share'] * 100 / (os.cpu_count() or 1):.0f}%",
                f"{data['other_cpu_share'] * 100:.0f}%",
            )
        )  # fmt: skip
    print(
        f"\nResults: {meta['seconds']:g} s per target after {meta['warmup']:g} s warm-up, "
        f"{meta['rounds']} round(s), best run kept, {meta['connections']} connections, "
        f"{meta['workers']} gunicorn {meta['worker_class']} workers, "
        f"{meta['institutions_total']} institutions, "
        f"{meta.get('agreements_total', '?')} agreements, {meta['cpus']} CPUs"
    )
    table(
        ("target", "req/s", "ratio", "needed", "", "p50 / p99 ms", "errors", "CPU ms/req",
         "CPU ratio", "server", "client", "others"),
        rows,
    )  # fmt: skip
    if len(floor["runs_rps"]) > 1:
        print(f"Floor runs (first and last of each round): {floor['runs_rps']} req/s; best kept.")
    print(
        "ratio = req/s / floor req/s (the criterion).  CPU ms/req = server CPU per request; "
        "CPU ratio = floor's / target's,\nthe same comparison by cost, which a busy machine "
        "disturbs less.  server/client/others = share of all CPUs in the window."
    )
    memory["pass"] = bool(memory["workers"]) and all(
        w["rss_mb"] is not None and w["rss_mb"] < RSS_LIMIT_MB for w in memory["workers"]
    )
    sizes = ", ".join(f"{w['rss_mb']:.1f} MB" for w in memory["workers"])
    print(
        f"Worker memory (VmRSS after the load, needed < {RSS_LIMIT_MB:.0f} MB each): {sizes} -> "
        f"{'PASS' if memory['pass'] else 'FAIL'}   (master {memory['master_rss_mb']:.1f} MB)"
    )
    failed = [t.key for t in targets if results[t.key].get("pass") is False]
    if not memory["pass"]:
        failed.append("memory")
    busiest = max(results[t.key]["other_cpu_share"] for t in targets)
    if busiest > BUSY_MACHINE:
        print(
            f"WARNING: other processes used up to {busiest * 100:.0f}% of the CPUs during the "
            "measurement; the figures are disturbed (use --rounds 3, or a quiet machine)."
        )
    errors = sum(results[t.key]["errors"] for t in targets)
    if errors:
        print(f"WARNING: {errors} requests did not answer 200, for example:")
        for target in targets:
            for sample in results[target.key]["error_samples"]:
                print(f"  {target.key}: {sample}")
    print(f"Overall: {'PASS' if not failed else 'FAIL (' + ', '.join(failed) + ')'}")
    return {
        "meta": meta,
        "targets": results,
        "memory": memory,
        "pass": not failed,
        "failed": failed,
        "machine_busy_warning": busiest > BUSY_MACHINE,
    }


# --- main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per target")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured time per target")
    parser.add_argument("--rounds", type=int, default=1, help="repeat all targets; best kept")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--institutions", type=int, default=10_000, help="generated rows")
    parser.add_argument(
        "--agreements", type=int, default=50_000, help="generated agreements (0: none)"
    )
    parser.add_argument("--courses", type=int, default=100_000, help="generated courses (0: none)")
    parser.add_argument("--enrolments", type=int, default=1_000_000, help="generated enrolments")
    parser.add_argument(
        "--cache-url", default="",
        help="a shared cache for the workers, e.g. redis://127.0.0.1:6379/15 (default: each "
        "worker's memory)",
    )  # fmt: skip
    parser.add_argument(
        "--baseline-enrolments", type=int, default=10_000,
        help="measure the network dashboard again at this size (0: skip)",
    )  # fmt: skip
    parser.add_argument(
        "--only", action="append", choices=[t.key for t in all_targets()],
        help="measure only these targets (the floor is always measured)",
    )  # fmt: skip
    parser.add_argument(
        "--explain",
        choices=["auto", "always", "never"],
        default="auto",
        help="afterwards, show each path's SQL, query plans and profile (auto: on FAIL)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args(argv)
    if not (0 < args.seconds <= 600 and 0 <= args.warmup <= 60 and 1 <= args.rounds <= 10):
        parser.error("0 < --seconds <= 600, 0 <= --warmup <= 60, 1 <= --rounds <= 10")
    if not (1 <= args.workers <= 16 and 1 <= args.connections <= 256 and 1 <= args.threads <= 32):
        parser.error("1 <= --workers <= 16, 1 <= --connections <= 256, 1 <= --threads <= 32")
    if not 0 <= args.institutions <= 200_000:
        parser.error("0 <= --institutions <= 200000")
    if not 0 <= args.agreements <= 500_000:
        parser.error("0 <= --agreements <= 500000")
    if not (0 <= args.courses <= 500_000 and 0 <= args.enrolments <= 5_000_000):
        parser.error("0 <= --courses <= 500000, 0 <= --enrolments <= 5000000")
    return args


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds through the clean-ups like Ctrl+C


def run(args: argparse.Namespace) -> dict[str, Any]:
    targets = [t for t in all_targets() if t.key == "floor" or not args.only or t.key in args.only]
    meta: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "seconds": args.seconds,
        "warmup": args.warmup,
        "rounds": args.rounds,
        "connections": args.connections,
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads": args.threads if args.worker_class == "gthread" else 1,
        "institutions": args.institutions,
        "agreements": args.agreements,
        "courses": args.courses,
        "enrolments": args.enrolments,
        "terms": TERMS,
        "catalog_terms": CATALOG_TERMS,
        "agreement_filters": AGREEMENT_FILTERS,
    }
    with workspace(args.keep) as workdir:
        env = bench_env(workdir, args.cache_url)
        print(f"Preparing a throwaway instance in {workdir}")
        visitors = prepare(env, workdir, args, targets)
        targets = resolve(targets, visitors)
        if visitors:
            seeded = visitors["data"]
            meta["agreements_total"] = seeded["observer"]["sees"]
            meta["coordinator"] = {
                key: seeded["coordinator"][key]
                for key in ("institution", "institution_name", "own", "sees")
            }
            meta["programme"] = seeded["programme"]
        with serving(env, workdir, args) as server:
            print(f"gunicorn {' '.join(server.cmd[2:])}")
            for target in targets:
                preflight(server, target, visitors)
            with urllib.request.urlopen(server.url + "/api/v1/institutions/", timeout=30) as r:
                meta["institutions_total"] = json.loads(r.read())["count"]
            runs: dict[str, list[dict[str, Any]]] = {t.key: [] for t in targets}
            # The floor opens and closes every round, so that a disturbance at either end
            # shows as a difference between its two figures.
            order = [*targets, targets[0]] if len(targets) > 1 else targets
            for round_no in range(1, args.rounds + 1):
                for target in order:
                    print(f"  round {round_no}: {target.key} ...", end=" ", flush=True)
                    waited = server.wait_idle()
                    if waited > 2:
                        print(f"(waited {waited:.0f} s for earlier requests to end)", end=" ")
                    data = measure(server, target, args, visitors)
                    runs[target.key].append(data)
                    print(f"{data['rps']:.0f} req/s, {data['errors']} errors")
            memory = {
                "master_rss_mb": rss_mb(server.proc.pid) or 0.0,
                "workers": [{"pid": p, "rss_mb": rss_mb(p)} for p in server.workers()],
                "limit_mb": RSS_LIMIT_MB,
            }
            log = server.log()
        results = {key: combine(value) for key, value in runs.items()}
        summary = report(targets, results, memory, meta)
        if log.strip():
            summary["gunicorn_log_tail"] = log
            print(f"gunicorn logged:\n{log}")
        if args.explain == "always" or (args.explain == "auto" and not summary["pass"]):
            explain(env, targets, args.json.with_name("explain.txt"), visitors)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        print(f"Written {args.json}")
    return summary


DASHBOARD_GROWTH = 1.5  # the dashboard may be at most this much slower at full size


def dashboard_scale(args: argparse.Namespace, summary: dict[str, Any]) -> None:
    """The network dashboard again on a small bank (``--baseline-enrolments``): its ratio to
    the floor there, against the full-size one, says whether its cost grows with the data."""
    full = summary["targets"].get("network_dashboard")
    if full is None or not args.baseline_enrolments:
        return
    small = argparse.Namespace(**vars(args))
    small.institutions, small.agreements = 1_000, 0
    small.courses = max(1, args.baseline_enrolments // 10)
    small.enrolments = args.baseline_enrolments
    small.only = ["network_dashboard"]
    small.explain = "never"
    small.json = args.json.with_name("results-baseline.json")
    print(f"\nThe network dashboard at {small.enrolments} enrolments, for comparison")
    base = run(small)["targets"]["network_dashboard"]
    slower = base["ratio"] / full["ratio"] if full["ratio"] else float("inf")
    passed = slower <= DASHBOARD_GROWTH
    summary["dashboard_scale"] = {
        "baseline_enrolments": small.enrolments,
        "baseline_ratio": base["ratio"],
        "full_ratio": full["ratio"],
        "slower": round(slower, 3),
        "needed": DASHBOARD_GROWTH,
        "pass": passed,
    }
    if not passed:
        summary["pass"] = False
        summary["failed"].append("dashboard_scale")
    args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(
        f"Network dashboard: ratio {base['ratio']:.3f} at {small.enrolments} enrolments, "
        f"{full['ratio']:.3f} at {args.enrolments}: {slower:.2f} times slower "
        f"(needed <= {DASHBOARD_GROWTH}) -> {'PASS' if passed else 'FAIL'}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (BIN / "gunicorn").exists():
        raise SystemExit(f"bench: {BIN / 'gunicorn'} not found; run `make setup`")
    signal.signal(signal.SIGTERM, _terminate)
    try:
        dashboard_scale(args, run(args))
    except KeyboardInterrupt:
        print(
            "\nbench: interrupted; gunicorn stopped and temporary files removed.", file=sys.stderr
        )
        return 130
    except subprocess.TimeoutExpired as exc:
        print(f"\nbench: timed out: {' '.join(map(str, exc.cmd))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
