"""Load a realistic register of agreements between the directory's institutions, quickly.

Run by ``bench/run.py`` after ``bench/seed.py`` (the institutions), as a child process with the
benchmark's environment (its own throwaway database). Generated deterministically:

* a few programmes with phases besides the demo's (through the services, so they are ordinary
  rows), each run by a ministry of the directory;
* ``--count`` agreements, mostly between two parties and a quarter with a third (a funder, a
  clinical base or another partner): memoranda, contracts (clinical placements, continuing
  education), strategic partnerships (domestic university and foreign university) and Erasmus+
  inter-institutional agreements (with universities of the EU countries of the directory);
  a few institutions are hubs with hundreds of agreements, most have a handful;
* statuses across the whole lifecycle that agree with the dates: recent proposals and
  negotiations, signed ones waiting for their start, active ones (some ending within 90 days),
  expired, terminated and renewed ones, each renewed one with its successor (``renewal_of``);
* forms of cooperation that suit the kind, titles in English and, as real records are, only
  partly in Russian, Kazakh and Ukrainian, numbers, summaries, signatories, about 15% not
  public, creation times spread over the last fifteen years (ids follow them).

Rows are written with ``bulk_create`` in batches of ``--batch``: Agreement, AgreementParty and
AgreementForm only. They have no history records, no AgreementVersion (the frozen draft the
parties approve; the list, the filters and the API list never read it, the detail page shows
"no version yet") and no transitions, funding lines or work items.

    python bench/seed_agreements.py --count 50000
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

LANGS = ("en", "ru", "kk", "uk")
EU = {"PL", "LT", "DE"}  # the directory's countries whose universities sign Erasmus+ IIAs

# Programmes added to the demo's strategic partnership programme: (titles per language, owner
# country, start, end, phases as (title, start, end)).
NewProgramme = tuple[tuple[str, str, str, str], str, date, date, list[tuple[str, date, date]]]
PROGRAMMES: list[NewProgramme] = [
    (
        (
            "Clinical bases for medical colleges",
            "Клинические базы для медицинских колледжей",
            "Медициналық колледждерге арналған клиникалық базалар",
            "",
        ),
        "KZ",
        date(2018, 1, 1),
        date(2023, 12, 31),
        [
            ("Choosing clinical bases", date(2018, 1, 1), date(2019, 6, 30)),
            ("Placements and mentoring", date(2019, 7, 1), date(2023, 12, 31)),
        ],
    ),
    (
        (
            "Academic mobility of medical students and teachers",
            "Академическая мобильность студентов и преподавателей медицины",
            "Медицина студенттері мен оқытушыларының академиялық ұтқырлығы",
            "Академічна мобільність студентів і викладачів медицини",
        ),
        "KZ",
        date(2020, 9, 1),
        date(2028, 8, 31),
        [
            ("Agreements and first exchanges", date(2020, 9, 1), date(2022, 8, 31)),
            ("Joint modules", date(2022, 9, 1), date(2025, 8, 31)),
            ("Double degrees", date(2025, 9, 1), date(2028, 8, 31)),
        ],
    ),
    (
        (
            "Continuing professional development of nurses",
            "Непрерывное профессиональное развитие медицинских сестёр",
            "Мейіргерлердің үздіксіз кәсіби дамуы",
            "",
        ),
        "KZ",
        date(2021, 1, 1),
        date(2026, 12, 31),
        [
            ("Curricula", date(2021, 1, 1), date(2022, 12, 31)),
            ("Training the trainers", date(2023, 1, 1), date(2026, 12, 31)),
        ],
    ),
    (
        (
            "Partnerships for rebuilding medical education",
            "Партнёрства для восстановления медицинского образования",
            "",
            "Партнерства для відновлення медичної освіти",
        ),
        "UA",
        date(2023, 1, 1),
        date(2030, 12, 31),
        [
            ("Urgent support", date(2023, 1, 1), date(2024, 12, 31)),
            ("Rebuilding", date(2025, 1, 1), date(2030, 12, 31)),
        ],
    ),
]

KIND_WEIGHTS = {"memorandum": 50, "contract": 32, "strategic": 10, "erasmus_iia": 8}
# Forms of cooperation that suit each kind, with weights; 1 to 4 are drawn.
FORMS: dict[str, dict[str, int]] = {
    "memorandum": {
        "collaboration": 5,
        "information": 5,
        "conferences": 4,
        "research": 3,
        "mentoring": 2,
        "mobility": 2,
        "consulting": 1,
    },
    "contract": {"practice": 6, "cpd": 4, "consulting": 2, "mentoring": 1},
    "strategic": {
        "consulting": 4,
        "mentoring": 4,
        "collaboration": 4,
        "trust_management": 2,
        "research": 2,
    },
    "erasmus_iia": {"mobility": 8, "cpd": 1, "research": 1},
}
# Titles: English, Russian, Kazakh, Ukrainian; {a} and {b} are the parties' short names.
TITLES: dict[str, list[tuple[str, str, str, str]]] = {
    "memorandum": [
        (
            "Memorandum of cooperation between {a} and {b}",
            "Меморандум о сотрудничестве между {a} и {b}",
            "{a} мен {b} арасындағы ынтымақтастық туралы меморандум",
            "Меморандум про співпрацю між {a} та {b}",
        ),
        (
            "Memorandum of understanding: {a} – {b}",
            "Меморандум о взаимопонимании: {a} – {b}",
            "Өзара түсіністік туралы меморандум: {a} – {b}",
            "Меморандум про взаєморозуміння: {a} – {b}",
        ),
    ],
    "contract": [
        (
            "Agreement on a clinical base: {a} – {b}",
            "Договор о клинической базе: {a} – {b}",
            "Клиникалық база туралы шарт: {a} – {b}",
            "Договір про клінічну базу: {a} – {b}",
        ),
        (
            "Agreement on practical training of students: {a} – {b}",
            "Договор о практической подготовке обучающихся: {a} – {b}",
            "Білім алушылардың практикалық даярлығы туралы шарт: {a} – {b}",
            "Договір про практичну підготовку здобувачів: {a} – {b}",
        ),
        (
            "Contract on continuing education of staff: {a} – {b}",
            "Договор о повышении квалификации сотрудников: {a} – {b}",
            "Қызметкерлердің біліктілігін арттыру туралы шарт: {a} – {b}",
            "Договір про підвищення кваліфікації працівників: {a} – {b}",
        ),
    ],
    "strategic": [
        (
            "Strategic partnership of {a} and {b}",
            "Стратегическое партнёрство {a} и {b}",
            "{a} мен {b} стратегиялық серіктестігі",
            "Стратегічне партнерство {a} та {b}",
        ),
    ],
    "erasmus_iia": [
        (
            "Erasmus+ inter-institutional agreement {y}: {a} – {b}",
            "Межвузовское соглашение Erasmus+ {y}: {a} – {b}",
            "Erasmus+ жоғары оқу орындары арасындағы келісім {y}: {a} – {b}",
            "Міжінституційна угода Erasmus+ {y}: {a} – {b}",
        ),
    ],
}
SUMMARIES: dict[str, list[str]] = {
    "memorandum": [
        "The parties exchange information, organise joint conferences and look for joint "
        "research projects.",
        "Cooperation in education, research and clinical practice; details in annual plans.",
    ],
    "contract": [
        "The clinical centre receives students for practical training and appoints mentors.",
        "Staff of the centre take continuing education courses at the university.",
    ],
    "strategic": [
        "The foreign partner advises on the curriculum, research management and governance; "
        "mentors are assigned to the university's leaders.",
    ],
    "erasmus_iia": [
        "Student and staff mobility for studies and teaching, with the numbers agreed per "
        "academic year.",
    ],
}
FIRST = ["Aigerim", "Nurlan", "Olena", "Serhii", "Marat", "Dana", "Ivan", "Anna", "Piotr", "Lina"]
LAST = ["Bekova", "Sadykov", "Kovalenko", "Shevchuk", "Ivanov", "Nowak", "Schmidt", "Tulegenova"]
SIGNATORY_TITLES = ["Rector", "Chairman of the Board – Rector", "Director", "Chief physician"]


# A programme: id, start, end, phases as (id, start, end), the kinds of agreement it covers.
ProgrammeInfo = tuple[int, date, date, list[tuple[int, date, date]], set[str]]


@dataclass
class Inst:
    pk: int
    kind: str
    country: str
    short: dict[str, str]  # display short name per language ("" where there is none)


@dataclass
class Spec:
    """One agreement to be written."""

    kind: str
    parties: list[tuple[Inst, str]]  # (institution, role), in order
    forms: list[str]
    created: datetime
    status: str
    signed_on: date | None
    valid_from: date | None
    valid_until: date | None
    is_public: bool
    programme: tuple[int, int | None] | None = None  # (programme id, phase id)
    renews: Spec | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Pool:
    """Institutions of some kind and country, drawn with a skew: a few hubs, a long tail."""

    def __init__(self, members: list[Inst], activity: dict[int, float]) -> None:
        self.members = members
        self.cumulative = list(itertools.accumulate(activity[m.pk] for m in members))

    def __bool__(self) -> bool:
        return bool(self.members)

    def draw(self, rng: random.Random) -> Inst:
        point = rng.random() * self.cumulative[-1]
        return self.members[bisect.bisect_left(self.cumulative, point)]


class Directory:
    def __init__(self, institutions: list[Inst], rng: random.Random) -> None:
        # Activity: Pareto-distributed, so that some institutions are parties to hundreds of
        # agreements and most to a few, as in a real register.
        activity = {i.pk: min(rng.paretovariate(1.5), 15.0) for i in institutions}
        self.by: dict[tuple[str, str], Pool] = {}
        groups: dict[tuple[str, str], list[Inst]] = {}
        for inst in institutions:
            groups.setdefault((inst.kind, inst.country), []).append(inst)
            groups.setdefault((inst.kind, "*"), []).append(inst)
            groups.setdefault(("*", inst.country), []).append(inst)
            groups.setdefault(("*", "*"), []).append(inst)
            if inst.country in EU:
                groups.setdefault((inst.kind, "EU"), []).append(inst)
        self.by = {key: Pool(members, activity) for key, members in groups.items()}
        self.countries = Counter(i.country for i in institutions)

    def pick(self, rng: random.Random, kind: str, country: str, avoid: set[int]) -> Inst | None:
        pool = self.by.get((kind, country))
        if not pool:
            return None
        for _ in range(20):
            inst = pool.draw(rng)
            if inst.pk not in avoid:
                return inst
        return None

    def foreign(self, rng: random.Random, kind: str, home: str, avoid: set[int]) -> Inst | None:
        for _ in range(20):
            inst = self.pick(rng, kind, "*", avoid)
            if inst is not None and inst.country != home:
                return inst
        return None


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def choose_parties(rng: random.Random, d: Directory, kind: str) -> list[tuple[Inst, str]] | None:
    """The parties of one agreement of this kind, with their roles; None to draw again."""
    if kind == "contract":
        home_kind = weighted(rng, {"university": 3, "college": 2})
    elif kind in ("strategic", "erasmus_iia"):
        home_kind = "university"
    else:
        home_kind = weighted(rng, {"university": 5, "college": 2, "clinical_centre": 3})
    home = d.pick(rng, home_kind, "*", set())
    if home is None:
        return None
    taken = {home.pk}
    home_role = "college" if home.kind == "college" else "domestic"
    if kind == "contract":
        other = d.pick(rng, "clinical_centre", home.country, taken)
        parties = [(home, home_role), (other, "clinical_base")] if other else None
    elif kind == "strategic":
        other = d.foreign(rng, "university", home.country, taken)
        parties = [(home, "domestic"), (other, "foreign")] if other else None
    elif kind == "erasmus_iia":
        if home.country in EU:
            other = d.foreign(rng, "university", home.country, taken)
        else:
            other = d.pick(rng, "university", "EU", taken)
        parties = [(home, "domestic"), (other, "foreign")] if other else None
    else:
        same = rng.random() < 0.6
        other_kind = weighted(
            rng, {"university": 4, "clinical_centre": 3, "college": 1, "agency": 1, "other": 1}
        )
        other = (
            d.pick(rng, other_kind, home.country, taken)
            if same
            else d.foreign(rng, other_kind, home.country, taken)
        )
        if other is None:
            return None
        parties = [(home, home_role), (other, "partner" if same else "foreign")]
    if parties is None:
        return None
    if rng.random() < 0.25:  # a third party: a funder, a clinical base or another partner
        taken |= {p.pk for p, _role in parties}
        third_kind, role = rng.choice(
            [("agency", "funder"), ("ministry", "funder"), ("clinical_centre", "clinical_base")]
            + [("university", "partner")] * 2
        )
        third = d.pick(rng, third_kind, home.country, taken)
        if third is not None:
            parties.append((third, role))
    return parties


def lifecycle(rng: random.Random, created: datetime, today: date) -> dict[str, Any]:
    """A status and dates that agree with each other and with the creation time."""
    made = created.date()
    age = (today - made).days
    if age < 200 or rng.random() < 0.02:  # recent, or an old draft that stalled
        status = weighted(rng, {"proposed": 4, "negotiating": 4, "signed": 1, "active": 1})
    else:
        status = ""
    if status in ("proposed", "negotiating"):
        start = made + timedelta(days=rng.randint(60, 240)) if rng.random() < 0.6 else None
        end = start + timedelta(days=365 * rng.choice((1, 3, 5))) if start else None
        return {"status": status, "signed_on": None, "valid_from": start, "valid_until": end}
    signed = min(made + timedelta(days=rng.randint(7, 150)), today)
    start = signed + timedelta(days=rng.choice((0, 0, 1, 14, 30, 60)))
    end = (
        None
        if rng.random() < 0.08
        else start + timedelta(days=365 * rng.choice((1, 1, 2, 3, 3, 5)) - 1)
    )
    if not status:
        if end is not None and end < today:
            status = weighted(rng, {"expired": 6, "renewed": 3, "terminated": 1})
        elif start > today:
            status = "signed"
        else:
            status = weighted(rng, {"active": 19, "terminated": 1})
    elif status == "active" and start > today:
        status = "signed"
    elif status == "signed" and start <= today and rng.random() < 0.5:
        status = "active"
    if status == "active" and end is not None and end < today:
        status = "expired"
    return {"status": status, "signed_on": signed, "valid_from": start, "valid_until": end}


def generate(
    count: int,
    seed: int,
    institutions: list[Inst],
    programmes: list[ProgrammeInfo],
    today: date,
) -> list[Spec]:
    rng = random.Random(seed)
    d = Directory(institutions, rng)
    first = datetime(today.year - 15, 1, 1, tzinfo=UTC)
    span = (datetime.combine(today, datetime.min.time(), tzinfo=UTC) - first).total_seconds()
    specs: list[Spec] = []
    while len(specs) < count:
        kind = weighted(rng, KIND_WEIGHTS)
        parties = choose_parties(rng, d, kind)
        if parties is None:
            continue
        # More agreements in recent years than long ago.
        created = first + timedelta(seconds=rng.triangular(0, span, span))
        pool = FORMS[kind]
        forms = sorted(set(rng.choices(list(pool), list(pool.values()), k=rng.randint(1, 4))))
        spec = Spec(
            kind=kind,
            parties=parties,
            forms=forms,
            created=created,
            is_public=rng.random() < 0.85,
            **lifecycle(rng, created, today),
        )
        spec.programme = in_programme(rng, spec, programmes)
        specs.append(spec)
        if spec.status == "renewed" and len(specs) < count:
            specs.append(successor(rng, spec, today, programmes))
    specs.sort(key=lambda s: s.created)
    return specs


def successor(
    rng: random.Random,
    old: Spec,
    today: date,
    programmes: list[ProgrammeInfo],
) -> Spec:
    """The renewal of ``old``: the same parties, opened before it expired."""
    assert old.valid_until is not None
    opened = old.valid_until - timedelta(days=rng.randint(20, 90))
    created = datetime.combine(opened, datetime.min.time(), tzinfo=UTC) + timedelta(
        seconds=rng.randint(8 * 3600, 18 * 3600)
    )
    start = old.valid_until + timedelta(days=1)
    end = start + timedelta(days=365 * rng.choice((1, 2, 3, 5)) - 1)
    if end < today:
        status = "expired"  # one generation of renewals is enough for the list
    elif start > today:
        status = "signed"
    else:
        status = "active"
    spec = Spec(
        kind=old.kind,
        parties=list(old.parties),
        forms=list(old.forms),
        created=created,
        status=status,
        signed_on=min(opened + timedelta(days=rng.randint(5, 15)), today),
        valid_from=start,
        valid_until=end,
        is_public=old.is_public,
        renews=old,
    )
    spec.programme = in_programme(rng, spec, programmes)
    return spec


def in_programme(
    rng: random.Random,
    spec: Spec,
    programmes: list[ProgrammeInfo],
) -> tuple[int, int | None] | None:
    """A programme (and the phase) running when the agreement was made, for some of them."""
    made = spec.created.date()
    share = 0.8 if spec.kind == "strategic" else 0.3
    running = [p for p in programmes if p[1] <= made <= p[2] and spec.kind in p[4]]
    if not running or rng.random() >= share:
        return None
    pk, _start, _end, phases, _kinds = rng.choice(running)
    phase = next((ph for ph, s, e in phases if s <= made <= e), None)
    return pk, phase


def title_of(spec: Spec, rng: random.Random) -> dict[str, str]:
    template = rng.choice(TITLES[spec.kind])
    year = spec.valid_from.year if spec.valid_from else spec.created.year
    titles: dict[str, str] = {}
    for i, lang in enumerate(LANGS):
        names = [inst.short.get(lang) or "" for inst, _role in spec.parties]
        if lang != "en" and not all(names):
            titles[lang] = ""  # not translated where a party has no name in that language
            continue
        first, *others = names
        joiner = {"en": " and ", "ru": " и ", "kk": " және ", "uk": " та "}[lang]
        rest = joiner.join(others) if len(others) < 3 else ", ".join(others)
        titles[lang] = template[i].format(a=first, b=rest, y=f"{year}–{year + 7}")[:300]
    home = spec.parties[0][0].country
    keep = {
        "ru": rng.random() < 0.7,
        "kk": rng.random() < (0.5 if home == "KZ" else 0.05),
        "uk": rng.random() < (0.8 if home == "UA" else 0.05),
    }
    for lang, kept in keep.items():
        if not kept:
            titles[lang] = ""
    return titles


def number_of(spec: Spec, seq: int, rng: random.Random) -> str:
    year = (spec.signed_on or spec.created.date()).year
    if spec.kind == "strategic":
        return f"SP-{year}/{seq % 1000:03d}"
    if spec.kind == "erasmus_iia":
        return f"IIA-{year}-{rng.getrandbits(32):08X}"
    if rng.random() < 0.3:
        return ""
    return f"{seq % 10_000}-{'Д' if spec.kind == 'contract' else 'М'}/{year}"


def ensure_programmes(
    today: date,
) -> list[ProgrammeInfo]:
    """The demo programme and the ones above: (id, start, end, phases, kinds of agreement)."""
    from consilium.institutions.models import Institution
    from consilium.partnerships import services
    from consilium.partnerships.models import Programme

    for titles, country, start, end, phase_dates in PROGRAMMES:
        programme = Programme.objects.filter(title_en=titles[0]).first()
        if programme is None:
            owner = (
                Institution.objects.filter(kind="ministry", country=country).order_by("id").first()
            )
            if owner is None:
                continue
            programme = services.programme_create(
                owner=owner,
                titles=dict(zip(LANGS, titles, strict=True)),
                starts_on=start,
                ends_on=end,
                funding_frame="Ministry of Health and the participants' own funds.",
            )
            for number, (title, s, e) in enumerate(phase_dates, start=1):
                services.phase_add(
                    programme=programme, number=number, titles={"en": title}, starts_on=s, ends_on=e
                )
    kinds_of = {
        PROGRAMMES[0][0][0]: {"contract", "memorandum"},
        PROGRAMMES[1][0][0]: {"erasmus_iia", "memorandum"},
        PROGRAMMES[2][0][0]: {"contract", "memorandum"},
        PROGRAMMES[3][0][0]: {"strategic", "memorandum", "contract"},
    }
    result: list[ProgrammeInfo] = []
    for programme in Programme.objects.prefetch_related("phases").order_by("id"):
        kinds = kinds_of.get(getattr(programme, "title_en", "") or "", {"strategic"})
        end = programme.ends_on or today
        phases = [(ph.pk, ph.starts_on, ph.ends_on) for ph in programme.phases.all()]
        result.append((programme.pk, programme.starts_on, end, phases, kinds))
    return result


def load(count: int, seed: int, batch: int) -> None:
    from django.db import transaction
    from django.db.models import DateTimeField
    from django.utils import timezone, translation

    from consilium.institutions.models import Institution
    from consilium.partnerships.models import Agreement, AgreementForm, AgreementParty

    translation.activate("en")
    started = time.monotonic()
    today = timezone.localdate()
    before = Agreement.objects.count()
    institutions = []
    for row in Institution.objects.values(
        "pk", "kind", "country", *(f"{f}_{lang}" for f in ("name", "short_name") for lang in LANGS)
    ):
        short = {lang: row[f"short_name_{lang}"] or row[f"name_{lang}"] or "" for lang in LANGS}
        institutions.append(Inst(row["pk"], row["kind"], row["country"], short))
    with transaction.atomic():
        programmes = ensure_programmes(today)
        specs = generate(count, seed, institutions, programmes, today)
        rng = random.Random(seed + 1)
        # Creation and change times are the generated ones, not the time of the insert.
        stamps = [
            cast("DateTimeField[Any, Any]", Agreement._meta.get_field(name))
            for name in ("created_at", "updated_at")
        ]
        saved = [(f, f.auto_now, f.auto_now_add) for f in stamps]
        for f in stamps:
            f.auto_now = f.auto_now_add = False
        try:
            agreements = []
            for seq, spec in enumerate(specs, start=1):
                titles = title_of(spec, rng)
                changed = spec.created + timedelta(days=rng.randint(0, 60))
                agreements.append(
                    Agreement(
                        kind=spec.kind,
                        **{f"title_{lang}": text for lang, text in titles.items()},
                        number=number_of(spec, seq, rng),
                        programme_id=spec.programme[0] if spec.programme else None,
                        phase_id=spec.programme[1] if spec.programme else None,
                        status=spec.status,
                        summary=rng.choice(SUMMARIES[spec.kind]) if rng.random() < 0.6 else "",
                        signed_on=spec.signed_on,
                        valid_from=spec.valid_from,
                        valid_until=spec.valid_until,
                        is_public=spec.is_public,
                        revision=1 if spec.status == "proposed" else rng.randint(1, 4),
                        created_at=spec.created,
                        updated_at=min(changed, timezone.now()),
                    )
                )
            Agreement.objects.bulk_create(agreements, batch_size=batch)
        finally:
            for f, auto_now, auto_now_add in saved:
                f.auto_now, f.auto_now_add = auto_now, auto_now_add
        if any(a.pk is None for a in agreements):
            raise SystemExit("seed: the database did not return the new agreements' ids")
        index = {id(spec): a for spec, a in zip(specs, agreements, strict=True)}
        parties = []
        forms = []
        renewals = []
        for spec, agreement in zip(specs, agreements, strict=True):
            for order, (inst, role) in enumerate(spec.parties):
                person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                parties.append(
                    AgreementParty(
                        agreement=agreement,
                        institution_id=inst.pk,
                        role=role,
                        signatory=person if spec.signed_on else "",
                        signatory_title=rng.choice(SIGNATORY_TITLES) if spec.signed_on else "",
                        contact_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                        if rng.random() < 0.5
                        else "",
                        contact_email=f"international{inst.pk}@example.org"
                        if rng.random() < 0.5
                        else "",
                        order=order,
                    )
                )
            forms += [AgreementForm(agreement=agreement, form=form) for form in spec.forms]
            if spec.renews is not None:
                agreement.renewal_of = index[id(spec.renews)]
                renewals.append(agreement)
        AgreementParty.objects.bulk_create(parties, batch_size=batch)
        AgreementForm.objects.bulk_create(forms, batch_size=batch)
        Agreement.objects.bulk_update(renewals, ["renewal_of"], batch_size=batch)
    _verify(count, before)
    statuses = Counter(s.status for s in specs)
    kinds = Counter(s.kind for s in specs)
    print(
        f"seed: {len(specs)} agreements added to {before} ({len(parties)} parties, "
        f"{len(forms)} forms, {len(renewals)} renewals, "
        f"{sum(1 for s in specs if s.programme)} in programmes, "
        f"{sum(1 for s in specs if not s.is_public)} not public); "
        f"statuses {dict(statuses.most_common())}; kinds {dict(kinds.most_common())}; "
        f"in {time.monotonic() - started:.1f} s"
    )


def _verify(count: int, before: int) -> None:
    """Every new agreement has two or more parties, English title and consistent dates."""
    from django.db.models import Count, F, Q

    from consilium.partnerships.models import Agreement

    new = Agreement.objects.order_by("-id")[:count]
    ids = list(new.values_list("id", flat=True))
    if len(ids) != count or Agreement.objects.count() != before + count:
        raise SystemExit("seed: the number of agreements does not match")
    bad = (
        Agreement.objects.filter(id__in=ids[:2000])
        .annotate(n=Count("parties"))
        .filter(
            Q(n__lt=2)
            | Q(title_en="")
            | Q(valid_until__lt=F("valid_from"))
            | Q(created_at__gt=F("updated_at"))
        )
    )
    if bad.exists():
        raise SystemExit(f"seed: agreement {bad.first()} is incomplete")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20_250_102)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args(argv)
    if args.count <= 0:
        print("seed: no agreements requested")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    load(args.count, args.seed, args.batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
