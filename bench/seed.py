"""Load a realistic directory of institutions quickly, for the benchmark.

Run by ``bench/run.py`` as a child process with the benchmark's environment (its own throwaway
database). Rows are generated deterministically from templates in English, Russian, Kazakh and
Ukrainian (cities, people institutions are named after, specialities, numbered hospitals and
colleges, branches of universities, former names as aliases) and written with ``bulk_create``.
``name_key`` and ``search_text`` are computed by the directory's own ``_refresh_keys``, so the
rows are indistinguishable from rows written through the services, except that they have no
history records.

    python bench/seed.py --count 10000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import dataclass, field

# A city: English, Russian, Kazakh, Ukrainian.
City = tuple[str, str, str, str]

CITIES: dict[str, list[City]] = {
    "KZ": [
        ("Almaty", "Алматы", "Алматы", "Алмати"),
        ("Astana", "Астана", "Астана", "Астана"),
        ("Shymkent", "Шымкент", "Шымкент", "Шимкент"),
        ("Karaganda", "Караганда", "Қарағанды", "Караганда"),
        ("Aktobe", "Актобе", "Ақтөбе", "Актобе"),
        ("Pavlodar", "Павлодар", "Павлодар", "Павлодар"),
        ("Semey", "Семей", "Семей", "Семей"),
        ("Oskemen", "Усть-Каменогорск", "Өскемен", "Усть-Каменогорськ"),
        ("Taraz", "Тараз", "Тараз", "Тараз"),
        ("Kyzylorda", "Кызылорда", "Қызылорда", "Кизилорда"),
        ("Atyrau", "Атырау", "Атырау", "Атирау"),
        ("Kostanay", "Костанай", "Қостанай", "Костанай"),
        ("Petropavl", "Петропавловск", "Петропавл", "Петропавловськ"),
        ("Turkistan", "Туркестан", "Түркістан", "Туркестан"),
        ("Oral", "Уральск", "Орал", "Уральськ"),
        ("Aktau", "Актау", "Ақтау", "Актау"),
        ("Taldykorgan", "Талдыкорган", "Талдықорған", "Талдикорган"),
        ("Kokshetau", "Кокшетау", "Көкшетау", "Кокшетау"),
        ("Zhezkazgan", "Жезказган", "Жезқазған", "Жезказган"),
        ("Ekibastuz", "Экибастуз", "Екібастұз", "Екібастуз"),
    ],
    "UA": [
        ("Kyiv", "Киев", "Киев", "Київ"),
        ("Kharkiv", "Харьков", "Харьков", "Харків"),
        ("Lviv", "Львов", "Львов", "Львів"),
        ("Odesa", "Одесса", "Одесса", "Одеса"),
        ("Dnipro", "Днепр", "Днепр", "Дніпро"),
        ("Zaporizhzhia", "Запорожье", "Запорожье", "Запоріжжя"),
        ("Vinnytsia", "Винница", "Винница", "Вінниця"),
        ("Poltava", "Полтава", "Полтава", "Полтава"),
        ("Ternopil", "Тернополь", "Тернополь", "Тернопіль"),
        ("Ivano-Frankivsk", "Ивано-Франковск", "Ивано-Франковск", "Івано-Франківськ"),
        ("Chernivtsi", "Черновцы", "Черновцы", "Чернівці"),
        ("Uzhhorod", "Ужгород", "Ужгород", "Ужгород"),
        ("Sumy", "Сумы", "Сумы", "Суми"),
    ],
    "RU": [
        ("Moscow", "Москва", "Мәскеу", "Москва"),
        ("Saint Petersburg", "Санкт-Петербург", "Санкт-Петербург", "Санкт-Петербург"),
        ("Kazan", "Казань", "Қазан", "Казань"),
        ("Novosibirsk", "Новосибирск", "Новосібір", "Новосибірськ"),
        ("Omsk", "Омск", "Омбы", "Омськ"),
        ("Orenburg", "Оренбург", "Орынбор", "Оренбург"),
        ("Samara", "Самара", "Самара", "Самара"),
        ("Tomsk", "Томск", "Томск", "Томськ"),
        ("Yekaterinburg", "Екатеринбург", "Екатеринбург", "Єкатеринбург"),
    ],
    "KG": [("Bishkek", "Бишкек", "Бішкек", "Бішкек"), ("Osh", "Ош", "Ош", "Ош")],
    "UZ": [
        ("Tashkent", "Ташкент", "Ташкент", "Ташкент"),
        ("Samarkand", "Самарканд", "Самарқанд", "Самарканд"),
        ("Bukhara", "Бухара", "Бұхара", "Бухара"),
        ("Andijan", "Андижан", "Әндіжан", "Андижан"),
    ],
    "TJ": [("Dushanbe", "Душанбе", "Душанбе", "Душанбе")],
    "BY": [
        ("Minsk", "Минск", "Минск", "Мінськ"),
        ("Grodno", "Гродно", "Гродно", "Гродно"),
        ("Vitebsk", "Витебск", "Витебск", "Вітебськ"),
    ],
    "PL": [
        ("Warsaw", "Варшава", "Варшава", "Варшава"),
        ("Kraków", "Краков", "Краков", "Краків"),
        ("Łódź", "Лодзь", "Лодзь", "Лодзь"),
        ("Wrocław", "Вроцлав", "Вроцлав", "Вроцлав"),
        ("Lublin", "Люблин", "Люблин", "Люблін"),
    ],
    "LT": [("Kaunas", "Каунас", "Каунас", "Каунас"), ("Vilnius", "Вильнюс", "Вильнюс", "Вільнюс")],
    "GE": [("Tbilisi", "Тбилиси", "Тбилиси", "Тбілісі")],
    "AM": [("Yerevan", "Ереван", "Ереван", "Єреван")],
    "AZ": [("Baku", "Баку", "Баку", "Баку")],
    "DE": [
        ("Berlin", "Берлин", "Берлин", "Берлін"),
        ("Heidelberg", "Гейдельберг", "Гейдельберг", "Гейдельберг"),
        ("Hamburg", "Гамбург", "Гамбург", "Гамбург"),
    ],
    "TR": [
        ("Istanbul", "Стамбул", "Ыстанбұл", "Стамбул"),
        ("Ankara", "Анкара", "Анкара", "Анкара"),
    ],
    "GB": [
        ("London", "Лондон", "Лондон", "Лондон"),
        ("Edinburgh", "Эдинбург", "Эдинбург", "Единбург"),
    ],
    "US": [
        ("Boston", "Бостон", "Бостон", "Бостон"),
        ("Baltimore", "Балтимор", "Балтимор", "Балтимор"),
    ],
}
COUNTRY_WEIGHTS = {
    "KZ": 40,
    "UA": 20,
    "RU": 14,
    "UZ": 5,
    "KG": 4,
    "BY": 4,
    "PL": 3,
    "TJ": 1,
    "LT": 1,
    "GE": 1,
    "AM": 1,
    "AZ": 1,
    "DE": 2,
    "TR": 1,
    "GB": 1,
    "US": 1,
}
# A person institutions are named after: English; Russian, Kazakh, Ukrainian as they appear in
# "named after" (genitive in Russian and Ukrainian, nominative before "атындағы" in Kazakh).
PEOPLE: list[tuple[str, str, str, str]] = [
    ("S. D. Asfendiyarov", "С. Д. Асфендиярова", "С. Ж. Асфендияров", "С. Д. Асфендіярова"),
    ("N. I. Pirogov", "Н. И. Пирогова", "Н. И. Пирогов", "М. І. Пирогова"),
    ("I. M. Sechenov", "И. М. Сеченова", "И. М. Сеченов", "І. М. Сєченова"),
    ("O. O. Bogomolets", "А. А. Богомольца", "А. А. Богомолец", "О. О. Богомольця"),
    ("S. P. Botkin", "С. П. Боткина", "С. П. Боткин", "С. П. Боткіна"),
    ("I. I. Mechnikov", "И. И. Мечникова", "И. И. Мечников", "І. І. Мечникова"),
    ("I. P. Pavlov", "И. П. Павлова", "И. П. Павлов", "І. П. Павлова"),
    ("V. P. Filatov", "В. П. Филатова", "В. П. Филатов", "В. П. Філатова"),
    ("M. I. Syzganov", "М. И. Сызганова", "М. С. Сызғанов", "М. І. Сизганова"),
    ("Marat Ospanov", "Марата Оспанова", "Марат Оспанов", "Марата Оспанова"),
    ("V. M. Bekhterev", "В. М. Бехтерева", "В. М. Бехтерев", "В. М. Бехтерєва"),
    ("N. N. Burdenko", "Н. Н. Бурденко", "Н. Н. Бурденко", "М. М. Бурденка"),
    ("Danylo Halytskyi", "Даниила Галицкого", "Данила Галицкий", "Данила Галицького"),
    ("Kh. Dosmukhamedov", "Х. Досмухамедова", "Х. Досмұхамедов", "Х. Досмухамедова"),
    ("B. Atchabarov", "Б. Атчабарова", "Б. Атшабаров", "Б. Атчабарова"),
    ("Abu Ali ibn Sino", "Абу Али ибн Сины", "Әбу Әли ибн Сина", "Абу Алі ібн Сіни"),
]
# A speciality: English; Russian and Ukrainian genitive ("centre of ..."); Kazakh.
SPECIALITIES: list[tuple[str, str, str, str]] = [
    ("Cardiology", "кардиологии", "кардиология", "кардіології"),
    ("Oncology", "онкологии", "онкология", "онкології"),
    ("Paediatrics", "педиатрии", "педиатрия", "педіатрії"),
    ("Surgery", "хирургии", "хирургия", "хірургії"),
    (
        "Traumatology and Orthopaedics",
        "травматологии и ортопедии",
        "травматология және ортопедия",
        "травматології та ортопедії",
    ),
    ("Haematology", "гематологии", "гематология", "гематології"),
    ("Neurosurgery", "нейрохирургии", "нейрохирургия", "нейрохірургії"),
    ("Ophthalmology", "офтальмологии", "офтальмология", "офтальмології"),
    (
        "Obstetrics and Gynaecology",
        "акушерства и гинекологии",
        "акушерлік және гинекология",
        "акушерства та гінекології",
    ),
    ("Pulmonology", "пульмонологии", "пульмонология", "пульмонології"),
    ("Dermatology", "дерматологии", "дерматология", "дерматології"),
    ("Psychiatry", "психиатрии", "психиатрия", "психіатрії"),
    ("Rehabilitation", "реабилитации", "оңалту", "реабілітації"),
    ("Emergency Medicine", "экстренной медицины", "шұғыл медицина", "екстреної медицини"),
    ("Phthisiology", "фтизиатрии", "фтизиатрия", "фтизіатрії"),
    ("Infectious Diseases", "инфекционных болезней", "жұқпалы аурулар", "інфекційних хвороб"),
    ("Endocrinology", "эндокринологии", "эндокринология", "ендокринології"),
    ("Urology", "урологии", "урология", "урології"),
    ("Nephrology", "нефрологии", "нефрология", "нефрології"),
    ("Transplantology", "трансплантологии", "трансплантология", "трансплантології"),
    (
        "Public Health",
        "общественного здравоохранения",
        "қоғамдық денсаулық сақтау",
        "громадського здоров'я",
    ),
]
# Name templates per kind: English, Russian, Kazakh, Ukrainian. Placeholders: {c} city, {p}
# person, {s} speciality, {n} number. Weights give the mix of a real directory: many numbered
# hospitals and colleges, fewer universities, a handful of ministries.
Template = tuple[str, str, str, str]
TEMPLATES: dict[str, list[Template]] = {
    "university": [
        (
            "{c} State Medical University",
            "Государственный медицинский университет г. {c}",
            "{c} мемлекеттік медицина университеті",
            "Державний медичний університет м. {c}",
        ),
        (
            "{c} Medical University named after {p}",
            "Медицинский университет г. {c} имени {p}",
            "{p} атындағы {c} медицина университеті",
            "Медичний університет м. {c} імені {p}",
        ),
        (
            "{c} University of Medical Sciences",
            "Университет медицинских наук г. {c}",
            "{c} медицина ғылымдары университеті",
            "Університет медичних наук м. {c}",
        ),
        (
            "{c} Pharmaceutical Academy",
            "Фармацевтическая академия г. {c}",
            "{c} фармацевтикалық академиясы",
            "Фармацевтична академія м. {c}",
        ),
        (
            "{c} Institute of Postgraduate Medical Education",
            "Институт последипломного медицинского образования г. {c}",
            "{c} дипломнан кейінгі медициналық білім беру институты",
            "Інститут післядипломної медичної освіти м. {c}",
        ),
        (
            "{c} Higher School of Nursing",
            "Высшая школа сестринского дела г. {c}",
            "{c} мейіргер ісінің жоғары мектебі",
            "Вища школа медсестринства м. {c}",
        ),
    ],
    "college": [
        (
            "{c} Higher Medical College No. {n}",
            "Высший медицинский колледж № {n} г. {c}",
            "{c} қаласының №{n} жоғары медициналық колледжі",
            "Вищий медичний коледж № {n} м. {c}",
        ),
        (
            "{c} Medical College named after {p}",
            "Медицинский колледж имени {p} г. {c}",
            "{p} атындағы {c} медициналық колледжі",
            "Медичний коледж імені {p} м. {c}",
        ),
        (
            "{c} Pharmaceutical College No. {n}",
            "Фармацевтический колледж № {n} г. {c}",
            "{c} қаласының №{n} фармацевтикалық колледжі",
            "Фармацевтичний коледж № {n} м. {c}",
        ),
    ],
    "clinical_centre": [
        (
            "{c} City Clinical Hospital No. {n}",
            "Городская клиническая больница № {n} г. {c}",
            "{c} қаласының №{n} қалалық клиникалық ауруханасы",
            "Міська клінічна лікарня № {n} м. {c}",
        ),
        (
            "{c} Children's Hospital No. {n}",
            "Детская больница № {n} г. {c}",
            "{c} қаласының №{n} балалар ауруханасы",
            "Дитяча лікарня № {n} м. {c}",
        ),
        (
            "{c} City Polyclinic No. {n}",
            "Городская поликлиника № {n} г. {c}",
            "{c} қаласының №{n} қалалық емханасы",
            "Міська поліклініка № {n} м. {c}",
        ),
        (
            "{c} Regional Centre of {s}",
            "Региональный центр {s} г. {c}",
            "{c} {s} өңірлік орталығы",
            "Регіональний центр {s} м. {c}",
        ),
        (
            "{c} Scientific Centre of {s}",
            "Научный центр {s} г. {c}",
            "{c} {s} ғылыми орталығы",
            "Науковий центр {s} м. {c}",
        ),
        (
            "{c} Clinic of {s} named after {p}",
            "Клиника {s} имени {p} г. {c}",
            "{p} атындағы {c} {s} клиникасы",
            "Клініка {s} імені {p} м. {c}",
        ),
    ],
    "agency": [
        (
            "{c} Health Department",
            "Управление здравоохранения г. {c}",
            "{c} қаласының денсаулық сақтау басқармасы",
            "Управління охорони здоров'я м. {c}",
        ),
        (
            "{c} Centre for Sanitary and Epidemiological Expertise",
            "Центр санитарно-эпидемиологической экспертизы г. {c}",
            "{c} санитариялық-эпидемиологиялық сараптама орталығы",
            "Центр санітарно-епідеміологічної експертизи м. {c}",
        ),
        ("{c} Blood Centre", "Центр крови г. {c}", "{c} қан орталығы", "Центр крові м. {c}"),
        (
            "{c} Emergency Medical Service Station No. {n}",
            "Станция скорой медицинской помощи № {n} г. {c}",
            "{c} қаласының №{n} жедел медициналық жәрдем станциясы",
            "Станція екстреної медичної допомоги № {n} м. {c}",
        ),
    ],
    "ministry": [
        (
            "Ministry of Health, {c} Office",
            "Представительство Министерства здравоохранения в г. {c}",
            "Денсаулық сақтау министрлігінің {c} өкілдігі",
            "Представництво Міністерства охорони здоров'я в м. {c}",
        ),
    ],
    "other": [
        (
            "{c} Medical Library",
            "Медицинская библиотека г. {c}",
            "{c} медициналық кітапханасы",
            "Медична бібліотека м. {c}",
        ),
        ("{c} Society of {s}", "Общество {s} г. {c}", "{c} {s} қоғамы", "Товариство {s} м. {c}"),
    ],
}
KIND_WEIGHTS = {
    "clinical_centre": 45,
    "college": 20,
    "university": 12,
    "agency": 14,
    "other": 8,
    "ministry": 1,
}
FORMER = [  # former names, kept as aliases: English, Russian
    ("{c} State Medical Institute", "Государственный медицинский институт г. {c}"),
    ("{c} Medical Academy", "Медицинская академия г. {c}"),
    ("{c} Medical School", "Медицинское училище г. {c}"),
]
STOP_WORDS = {"of", "and", "the", "named", "after", "for", "no", "г.", "м.", "имени", "імені", "и"}


def acronym(name: str) -> str:
    letters = [w[0] for w in name.replace("-", " ").split() if w.lower() not in STOP_WORDS]
    return "".join(ch.upper() for ch in letters if ch.isalpha())[:12]


@dataclass
class Row:
    kind: str
    country: str
    names: dict[str, str]
    parent_of: int | None = None  # index of the parent row in the generated list
    extra: dict[str, str] = field(default_factory=dict)


def generate(count: int, seed: int, taken: set[tuple[str, str]]) -> list[Row]:
    """``count`` rows with (country, name key) pairs unique and not in ``taken``."""
    from consilium.core.text import search_key

    rng = random.Random(seed)
    countries, country_w = zip(*COUNTRY_WEIGHTS.items(), strict=True)
    kinds, kind_w = zip(*KIND_WEIGHTS.items(), strict=True)
    rows: list[Row] = []
    universities: dict[str, list[int]] = {}
    for _attempt in range(count * 50):
        if len(rows) >= count:
            break
        country = rng.choices(countries, country_w)[0]
        kind = rng.choices(kinds, kind_w)[0]
        city = rng.choice(CITIES[country])
        person = rng.choice(PEOPLE)
        spec = rng.choice(SPECIALITIES)
        number = str(rng.randint(1, 120))
        template = rng.choice(TEMPLATES[kind])
        names: dict[str, str] = {}
        for i, lang in enumerate(("en", "ru", "kk", "uk")):
            names[f"name_{lang}"] = template[i].format(c=city[i], p=person[i], s=spec[i], n=number)
            names[f"city_{lang}"] = city[i]
        key = (country, search_key(names["name_en"])[:300])
        if key in taken:
            continue
        taken.add(key)
        # Not every record is translated into every language.
        keep = {
            "ru": rng.random() < 0.9,
            "kk": rng.random() < (0.95 if country == "KZ" else 0.3),
            "uk": rng.random() < (0.95 if country == "UA" else 0.25),
        }
        for lang, kept in keep.items():
            if not kept:
                names[f"name_{lang}"] = ""
                names[f"city_{lang}"] = ""
        if kind == "university":
            names["short_name_en"] = acronym(names["name_en"])
            if names["name_ru"]:
                names["short_name_ru"] = acronym(names["name_ru"])
        extra: dict[str, str] = {}
        if rng.random() < 0.6:
            slug = acronym(names["name_en"]).lower() or "med"
            extra["website"] = f"https://{slug}{len(rows)}.example.{country.lower()}"
        if kind in {"university", "college"} and rng.random() < 0.25:
            former = rng.choice(FORMER)
            extra["aliases"] = "\n".join(part.format(c=city[i]) for i, part in enumerate(former))
        parent_of = None
        if (
            kind in {"clinical_centre", "college"}
            and universities.get(country)
            and rng.random() < 0.08
        ):
            parent_of = rng.choice(universities[country])
        if kind == "university":
            universities.setdefault(country, []).append(len(rows))
        rows.append(Row(kind, country, names, parent_of, extra))
    if len(rows) < count:
        raise SystemExit(f"seed: could generate only {len(rows)} unique names of {count}")
    return rows


def load(count: int, seed: int, batch: int) -> None:
    from django.db import transaction
    from django.utils import translation

    from consilium.institutions.models import Institution
    from consilium.institutions.services import _refresh_keys

    translation.activate("en")  # as `python -m consilium demo` does: `name` holds English
    started = time.monotonic()
    taken = set(Institution.objects.values_list("country", "name_key"))
    before = len(taken)
    rows = generate(count, seed, taken)
    objects: list[Institution] = []
    from consilium.institutions.services import institution_search_rebuild

    for row in rows:
        institution = Institution(kind=row.kind, country=row.country, **row.names, **row.extra)
        _refresh_keys(institution)
        objects.append(institution)
    with transaction.atomic():
        # Parents before branches, so that the branches can point at saved rows.
        roots = [obj for obj, row in zip(objects, rows, strict=True) if row.parent_of is None]
        Institution.objects.bulk_create(roots, batch_size=batch)
        branches = []
        for obj, row in zip(objects, rows, strict=True):
            if row.parent_of is not None:
                obj.parent = objects[row.parent_of]
                branches.append(obj)
        Institution.objects.bulk_create(branches, batch_size=batch)
        institution_search_rebuild(objects)
    _verify([obj.pk for obj in random.Random(seed).sample(objects, min(200, len(objects)))])
    total = Institution.objects.count()
    print(
        f"seed: {len(objects)} institutions added ({len(branches)} branches) to {before} "
        f"existing, {total} in all, in {time.monotonic() - started:.1f} s"
    )


def _verify(sample: list[int | None]) -> None:
    """The stored keys equal what the services would compute for the stored row."""
    from consilium.institutions.models import Institution
    from consilium.institutions.services import _refresh_keys

    for institution in Institution.objects.filter(pk__in=sample):
        stored = (institution.name_key, institution.search_text)
        _refresh_keys(institution)
        if stored != (institution.name_key, institution.search_text):
            raise SystemExit(f"seed: keys of institution {institution.pk} do not match")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20_250_101)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    load(args.count, args.seed, args.batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
