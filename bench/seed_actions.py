"""Load a realistic tracker of follow-up actions, quickly, for the network action list.

Run after the institutions and agreements are seeded, as a child process with the benchmark's
environment. Generated deterministically: ``--count`` actions (200,000 by default) owned by the
directory's institutions with a skew (a few own thousands, most a handful), every kind (half of
them recommendations about agreements of their owner, with the agreement as origin), statuses
across the lifecycle (about a third still open or in progress, a tenth of those overdue),
decision and due dates over the last eight years, titles in English and partly in Russian,
Kazakh and Ukrainian, a person responsible for most. Rows are written with ``bulk_create`` in
batches of ``--batch``; they have no history records and no evidence files.

    python bench/seed_actions.py --count 200000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from typing import Any

KINDS = [
    ("recommendation", 50),
    ("corrective", 12),
    ("preventive", 6),
    ("improvement", 16),
    ("decision", 10),
    ("resolution", 6),
]
TOPICS = [
    ("Publish every syllabus before the term", "Опубликовать все силлабусы до начала семестра"),
    ("Train the clinical tutors", "Обучить клинических наставников"),
    ("Open a simulation room", "Открыть симуляционный класс"),
    ("Agree the placement schedule", "Согласовать график практики"),
    ("Review the assessment rubric", "Пересмотреть рубрику оценивания"),
    ("Report the mobility results", "Отчитаться о результатах мобильности"),
]


def load(count: int, seed: int, batch: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    from consilium.accounts.models import User
    from consilium.actions.models import Action
    from consilium.institutions.models import Institution
    from consilium.partnerships.models import Agreement, AgreementParty

    rng = random.Random(seed)
    started = time.monotonic()
    institutions = list(Institution.objects.values_list("pk", flat=True))
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(institutions))]
    rng.shuffle(institutions)
    agreements_of: dict[int, list[int]] = {}
    for agreement_id, institution_id in AgreementParty.objects.values_list(
        "agreement_id", "institution_id"
    ):
        agreements_of.setdefault(institution_id, []).append(agreement_id)
    people = list(User.objects.filter(is_active=True).values_list("pk", flat=True)[:5000])
    agreement_type = ContentType.objects.get_for_model(Agreement).pk
    kinds, kind_weights = zip(*KINDS, strict=True)
    today = date.today()
    rows: list[Any] = []
    written = 0
    for n in range(count):
        institution = rng.choices(institutions, weights)[0]
        kind = rng.choices(kinds, kind_weights)[0]
        opened = today - timedelta(days=rng.randrange(0, 8 * 365))
        due = opened + timedelta(days=rng.randrange(30, 720)) if rng.random() < 0.9 else None
        roll = rng.random()
        if due is not None and due < today:
            status = "open" if roll < 0.04 else "in_progress" if roll < 0.07 else "done"
            if status == "done" and rng.random() < 0.3:
                status = "verified"
            elif status == "done" and rng.random() < 0.1:
                status = "dropped"
        else:
            status = "open" if roll < 0.6 else "in_progress" if roll < 0.9 else "done"
        en, ru = TOPICS[n % len(TOPICS)]
        title = f"{en} ({n})"
        origin = None
        if kind == "recommendation" and agreements_of.get(institution):
            origin = rng.choice(agreements_of[institution])
        rows.append(
            Action(
                kind=kind,
                title=title,
                title_en=title,
                title_ru=f"{ru} ({n})" if n % 3 == 0 else None,
                institution_id=institution,
                responsible_id=rng.choice(people) if people and rng.random() < 0.8 else None,
                opened_on=opened,
                due_on=due,
                status=status,
                evidence="Reported" if status in ("done", "verified") else "",
                done_on=min(due or today, today) if status in ("done", "verified") else None,
                drop_reason="No longer needed" if status == "dropped" else "",
                origin_type_id=agreement_type if origin else None,
                origin_id=origin,
                check_criterion="No repeat in a year" if kind == "corrective" else "",
                check_result="effective" if status == "verified" and kind == "corrective" else "",
            )
        )
        if len(rows) >= batch:
            Action.objects.bulk_create(rows)
            written += len(rows)
            rows = []
    if rows:
        Action.objects.bulk_create(rows)
        written += len(rows)
    print(f"seed: {written} actions in {time.monotonic() - started:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20_261_203)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.count <= 0:
        print("seed: no actions requested")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    load(args.count, args.seed, args.batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
