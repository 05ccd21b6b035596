"""The demo partnerships: seeds 001/002 (the programme and its six pairs) and 003 (memoranda)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from consilium.accounts.models import User
from consilium.core.demo import DemoContext
from consilium.partnerships import services
from consilium.partnerships.models import (
    Agreement,
    AgreementStatus,
    Programme,
)

PROGRAMME_TITLE = "Strategic partnership of medical universities with leading foreign universities"

PAIRS = [
    # (domestic key, foreign key, area focus, phase I result, 2017–2018 goal)
    (
        "kaznmu",
        "duke",
        "Clinical research and evidence-based practice",
        "Joint analysis of research management; recommendations on a clinical research office",
        "Set up a clinical research office and a joint course in research methods",
    ),
    (
        "wksmu",
        "poznan",
        "Quality of the educational process",
        "Review of the curriculum against European standards",
        "Introduce integrated modules in the first three years",
    ),
    (
        "skspa",
        "gdansk",
        "Pharmaceutical education",
        "Situation analysis of the pharmacy programme and its laboratories",
        "Modernise the pharmacy practice laboratory and train its staff",
    ),
    (
        "ksmu",
        "lund",
        "Trust management and university governance",
        "Governance review and trust-management plan agreed",
        "Implement the trust-management plan and a new committee structure",
    ),
    (
        "semey-smu",
        "slu",
        "Nursing and clinical skills",
        "Assessment of the simulation centre",
        "Run a joint train-the-trainers programme in clinical skills",
    ),
    (
        "mua",
        "sapienza",
        "Residency programmes",
        "Analysis of residency programmes in surgery and internal medicine",
        "Mentoring of programme directors and joint residency rotations",
    ),
]

AREAS = [
    ("Medical education", "Медицинское образование", "Медициналық білім"),
    ("Science and research", "Наука и исследования", "Ғылым және зерттеулер"),
    ("Clinical practice", "Клиническая практика", "Клиникалық тәжірибе"),
    ("University governance", "Управление университетом", "Университетті басқару"),
]


def _programme(institutions: dict[str, Any], by: User | None) -> Programme:
    existing = Programme.objects.filter(title_en=PROGRAMME_TITLE).first()
    if existing:
        return existing
    programme = services.programme_create(
        owner=institutions["kz-ministry"],
        by=by,
        titles={
            "en": PROGRAMME_TITLE,
            "ru": "Стратегическое партнёрство медицинских вузов с ведущими зарубежными университетами",
            "kk": "Медициналық ЖОО-ның жетекші шетелдік университеттермен стратегиялық серіктестігі",
            "uk": "Стратегічне партнерство медичних університетів із провідними зарубіжними університетами",
        },
        descriptions={
            "en": "Each domestic medical university works with a leading foreign partner: "
            "consulting, mentoring, collaboration and trust management.",
            "ru": "Каждый отечественный медицинский вуз работает с ведущим зарубежным партнёром: "
            "консалтинг, менторство, сотрудничество и доверительное управление.",
            "kk": "Әрбір отандық медициналық ЖОО жетекші шетелдік серіктеспен жұмыс істейді: "
            "консалтинг, менторлық, бірлескен және сенімгерлік басқару.",
        },
        starts_on=date(2016, 1, 1),
        ends_on=date(2019, 12, 31),
        funding_frame="Co-funded by the World Bank and the Ministry of Healthcare and Social "
        "Development of the Republic of Kazakhstan (2017–2019).",
    )
    services.phase_add(
        programme=programme,
        number=1,
        starts_on=date(2016, 1, 1),
        ends_on=date(2016, 12, 31),
        titles={
            "en": "Choosing partners, negotiation, signing, situation analysis",
            "ru": "Выбор партнёров, переговоры, подписание, анализ ситуации",
            "kk": "Серіктесті таңдау, келіссөздер, қол қою, жағдайды талдау",
        },
    )
    services.phase_add(
        programme=programme,
        number=2,
        starts_on=date(2017, 1, 1),
        ends_on=date(2019, 12, 31),
        titles={"en": "Main activities", "ru": "Основные мероприятия", "kk": "Негізгі іс-шаралар"},
    )
    for en, ru, kk in AREAS:
        services.priority_area_add(programme=programme, names={"en": en, "ru": ru, "kk": kk})
    services.funder_add(programme=programme, source="World Bank")
    services.funder_add(
        programme=programme,
        source="Ministry of Healthcare and Social Development of the Republic of Kazakhstan",
    )
    return programme


def _agreement_exists(title: str) -> bool:
    return Agreement.objects.filter(title_en=title).exists()


@transaction.atomic
def build(context: DemoContext) -> None:
    """Registered as the demo builder "partnerships" (``PartnershipsConfig.ready``)."""
    institutions: dict[str, Any] = context.institutions
    users: dict[str, User] = context.users
    by = users.get("coordinator@kaznmu.demo.consilium.kz")
    programme = _programme(institutions, by)
    phase_one, phase_two = list(programme.phases.order_by("number"))
    areas = list(programme.priority_areas.all())
    for index, (domestic, foreign, focus, result, goal) in enumerate(PAIRS):
        home, partner = institutions[domestic], institutions[foreign]
        title = f"Strategic partnership: {home.display_short} and {partner.display_short}"
        if _agreement_exists(title):
            continue
        agreement = services.agreement_create(
            kind="strategic",
            by=by,
            programme=programme,
            phase=phase_one,
            titles={
                "en": title,
                "ru": f"Стратегическое партнёрство: {home.short_name_ru or home.name_ru} и "
                f"{partner.name_ru}",
            },
            number=f"SP-2016-{index + 1:02d}",
            parties=[
                services.PartyData(institution=home, role="domestic"),
                services.PartyData(institution=partner, role="foreign"),
            ],
            forms=["consulting", "mentoring", "collaboration", "trust_management"],
            valid_from=date(2016, 6, 1),
            valid_until=date(2019, 12, 31),
            funding=[
                services.FundingData(
                    "World Bank", Decimal("250000"), "USD", date(2017, 1, 1), date(2019, 12, 31)
                ),
                services.FundingData(
                    "Ministry of Healthcare",
                    Decimal("40000000"),
                    "KZT",
                    date(2017, 1, 1),
                    date(2019, 12, 31),
                ),
            ],
            summary=f"Priority: {focus}.",
        )
        version = services.current_version(agreement)
        assert version is not None
        for party in agreement.parties.all():
            services.agreement_approve(
                agreement=agreement,
                party=party,
                by=by,  # type: ignore[arg-type]
                version_number=version.number,
            )
        services.agreement_transition(agreement=agreement, to=AgreementStatus.NEGOTIATING, by=by)
        services.agreement_transition(
            agreement=agreement,
            to=AgreementStatus.SIGNED,
            by=by,
            data={"signed_on": date(2016, 6, 1)},
        )
        services.agreement_transition(agreement=agreement, to=AgreementStatus.ACTIVE, by=by)
        area = areas[index % len(areas)]
        services.analysis_save(
            agreement=agreement,
            area=area,
            situation=f"{focus}: current practice analysed jointly in 2016.",
        )
        done = services.recommendation_add(
            agreement=agreement,
            area=area,
            owner=by,
            text=f"Adopt the partner's approach to {focus.lower()}.",
            due_on=date(2017, 6, 30),
            opened_on=date(2016, 6, 1),
        )
        services.recommendation_update(
            recommendation=done,
            status="done",
            evidence="Reported at the Astana conference, 2016",
            owner=by,
            by=by,
            due_on=done.due_on,
        )
        services.recommendation_add(
            agreement=agreement,
            area=area,
            owner=by,
            text="Train the staff who lead the change.",
            due_on=date(2018, 12, 31),
            opened_on=date(2016, 6, 1),
        )
        services.work_item_add(
            agreement=agreement,
            phase=phase_one,
            kind="result",
            period="2016",
            title=result,
            is_done=True,
            done="Presented at the conference on the results of phase I.",
        )
        services.work_item_add(
            agreement=agreement,
            phase=phase_two,
            kind="goal",
            period="2017–2018",
            title=goal,
            planned=goal,
        )

    _memoranda(institutions, by=users.get("placements@hematology.demo.consilium.kz"))


def _memoranda(institutions: dict[str, Any], by: User | None) -> None:
    centre = institutions["hematology"]
    colleges = [
        ("ukg-college", "signed", date(2022, 4, 21)),
        ("semey-college", "signed", date(2022, 3, 1)),
        ("karaganda-college", "planned", None),
        ("temirtau-college", "planned", None),
    ]
    for key, state, signed_on in colleges:
        college = institutions[key]
        title = f"Memorandum of cooperation: Hematology Centre and {college.name_en}"
        if _agreement_exists(title):
            continue
        agreement = services.agreement_create(
            kind="memorandum",
            by=by,
            titles={
                "en": title,
                "ru": f"Меморандум о сотрудничестве: ТОО «Центр гематологии» и {college.name_ru}",
            },
            parties=[
                services.PartyData(institution=centre, role="clinical_base"),
                services.PartyData(institution=college, role="college"),
            ],
            forms=["practice", "conferences", "information", "cpd"],
            valid_from=signed_on,
            valid_until=date(2027, 4, 20) if signed_on else None,
            summary="Students of the college do their practice at the centre's branches, learn "
            "work with patients and the medical information system; joint conferences "
            "of nurses and students.",
        )
        if state == "signed":
            version = services.current_version(agreement)
            assert version is not None
            for party in agreement.parties.all():
                services.agreement_approve(
                    agreement=agreement,
                    party=party,
                    by=by,  # type: ignore[arg-type]
                    version_number=version.number,
                )
            services.agreement_transition(agreement=agreement, to="negotiating", by=by)
            services.agreement_transition(
                agreement=agreement, to="signed", by=by, data={"signed_on": signed_on}
            )
            services.agreement_transition(agreement=agreement, to="active", by=by)
