"""Import a large directory file as the background worker would, and time it.

    python bench/import_institutions.py --rows 20000            # a throwaway SQLite database
    DATABASE_URL=postgres://… python bench/import_institutions.py --rows 20000 --keep-db

Builds a throwaway database in a temporary directory (``migrate``; or the one DATABASE_URL
names, which must be migrated and disposable: the rows are imported into it), generates a CSV
of ``--rows`` realistic institutions (names in several languages, every tenth one a branch of
an institution earlier in the file, aliases) and, in a fresh process each (cold caches), times:

- the **floor**: the same rows written with a bare ``bulk_create`` (no validation, no history,
  no search words): what the database alone costs;
- the **import**: ``spreadsheets.import_institutions`` on the file, everything an import does
  (reading, validating every row, history, search words, all or nothing).

It prints both, their ratio and whether the import stays under ``--limit`` seconds (60: the
issue's target for 20,000 rows, half the server's 30-s page timeout twice over, since a large
file is imported by the task worker, not in the request), writes ``var/bench/import.json`` and
exits 1 when the limit is missed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOWNS = ["Almaty", "Astana", "Shymkent", "Karaganda", "Aktobe", "Kyiv", "Lviv", "Odesa", "Kazan"]
TOWNS_RU = ["Алматы", "Астана", "Шымкент", "Караганда", "Актобе", "Киев", "Львов", "Одесса"]
KINDS = ["university", "college", "clinical_centre", "agency", "other"]


def make_csv(rows: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    out = io.StringIO()
    out.write("name_en,name_ru,short_name_en,kind,country,city_en,city_ru,parent,aliases\n")
    names: list[tuple[str, str]] = []
    for n in range(1, rows + 1):
        country = rnd.choice(["KZ", "KZ", "KZ", "UA", "UA", "RU"])
        town = rnd.randrange(len(TOWNS_RU))
        kind = rnd.choice(KINDS)
        name = f"{TOWNS[town]} {kind.replace('_', ' ').title()} No. {n}"
        name_ru = f"{TOWNS_RU[town]} учреждение № {n}" if rnd.random() < 0.6 else ""
        parent = ""
        same_country = [p for p in names[-50:] if p[1] == country]
        if n % 10 == 0 and same_country:
            parent = rnd.choice(same_country)[0]
        aliases = f"Institution {n}; Inst {n}" if rnd.random() < 0.3 else ""
        short = f"I{n}" if rnd.random() < 0.5 else ""
        out.write(
            f'"{name}","{name_ru}",{short},{kind},{country},{TOWNS[town]},{TOWNS_RU[town]},'
            f'"{parent}","{aliases}"\n'
        )
        names.append((name, country))
    return out.getvalue().encode()


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def run_floor(path: str) -> dict[str, Any]:
    _setup()
    from consilium.institutions import spreadsheets
    from consilium.institutions.models import Institution

    started = time.perf_counter()
    with open(path, "rb") as handle:
        rows = [row for _line, row in spreadsheets.read_rows(handle, "bench.csv")]
    Institution.objects.bulk_create(
        [
            Institution(
                name_en=row["name_en"],
                kind=row["kind"],
                country=row["country"],
                name_key=f"floor {n}",
            )
            for n, row in enumerate(rows)
        ],
        batch_size=1000,
    )
    seconds = time.perf_counter() - started
    Institution.objects.filter(name_key__startswith="floor ").delete()
    return {"seconds": round(seconds, 2), "rows": len(rows)}


def run_import(path: str) -> dict[str, Any]:
    _setup()
    from consilium.accounts.models import User
    from consilium.institutions import spreadsheets

    by = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="bench-importer@example.org", password=None
    )
    started = time.perf_counter()
    with open(path, "rb") as handle:
        report = spreadsheets.import_institutions(upload=handle, filename="bench.csv", by=by)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "created": report.created,
        "errors": [(e.line, e.messages) for e in report.errors[:5]],
    }


def child(kind: str, path: str, env: dict[str, str]) -> dict[str, Any]:
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
        f"import import_institutions as b; print(json.dumps(b.run_{kind}({path!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds allowed (60)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="consilium-import-bench-") as tmp:
        env = dict(os.environ)
        env.setdefault("CONSILIUM_ENV", "development")
        env["DEBUG"] = "0"
        env["DJANGO_SETTINGS_MODULE"] = "consilium.settings"
        env["CONSILIUM_VAR_DIR"] = tmp
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        env["TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
        subprocess.run(
            [sys.executable, "-m", "consilium", "migrate", "-v0"], env=env, cwd=ROOT, check=True
        )
        path = os.path.join(tmp, "bench.csv")
        Path(path).write_bytes(make_csv(args.rows))
        floor = child("floor", path, env)
        result = child("import", path, env)
    ratio = result["seconds"] / floor["seconds"] if floor["seconds"] else float("inf")
    passed = result["created"] == args.rows and result["seconds"] <= args.limit
    summary = {
        "rows": args.rows,
        "floor_seconds": floor["seconds"],
        "import_seconds": result["seconds"],
        "ratio_to_floor": round(ratio, 1),
        "created": result["created"],
        "errors": result["errors"],
        "limit_seconds": args.limit,
        "pass": passed,
    }
    print(
        f"{args.rows} rows: floor (bare bulk insert) {floor['seconds']} s, import "
        f"{result['seconds']} s ({ratio:.1f}× the floor), created {result['created']}; "
        f"limit {args.limit} s: {'pass' if passed else 'FAIL'}"
    )
    if result["errors"]:
        print("first errors:", result["errors"])
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "import.json").write_text(json.dumps(summary, indent=2))
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
