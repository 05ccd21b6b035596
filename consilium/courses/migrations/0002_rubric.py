"""The default rubric methodologists score courses against, named in all four languages."""

from django.db import migrations

CRITERIA = [
    {
        "name_en": "Clear learning outcomes",
        "name_ru": "Чёткие результаты обучения",
        "name_uk": "Чіткі результати навчання",
        "name_kk": "Оқытудың нақты нәтижелері",
        "description_en": "Outcomes are stated, measurable and fit the audience and level.",
        "description_ru": "Результаты сформулированы, измеримы и соответствуют аудитории и уровню.",
        "description_uk": "Результати сформульовано, вони вимірювані й відповідають аудиторії та рівню.",
        "description_kk": "Нәтижелер тұжырымдалған, өлшенетін және аудитория мен деңгейге сай.",
    },
    {
        "name_en": "Content accuracy and currency",
        "name_ru": "Точность и актуальность содержания",
        "name_uk": "Точність і актуальність змісту",
        "name_kk": "Мазмұнның дәлдігі мен өзектілігі",
        "description_en": "Content is correct and follows current evidence and guidelines.",
        "description_ru": "Содержание верно и следует современным данным и рекомендациям.",
        "description_uk": "Зміст правильний і відповідає сучасним даним і настановам.",
        "description_kk": "Мазмұн дұрыс және қазіргі деректер мен ұсынымдарға сәйкес.",
    },
    {
        "name_en": "Structure and sequencing",
        "name_ru": "Структура и последовательность",
        "name_uk": "Структура і послідовність",
        "name_kk": "Құрылымы мен реттілігі",
        "description_en": "Modules and lessons build on each other in a sensible order.",
        "description_ru": "Модули и уроки выстроены в разумном порядке и опираются друг на друга.",
        "description_uk": "Модулі й уроки вибудовано в розумному порядку, вони спираються один на одного.",
        "description_kk": "Модульдер мен сабақтар бір-біріне сүйеніп, қисынды ретпен құрылған.",
    },
    {
        "name_en": "Assessment aligned to outcomes",
        "name_ru": "Оценивание соответствует результатам",
        "name_uk": "Оцінювання відповідає результатам",
        "name_kk": "Бағалау нәтижелерге сәйкес",
        "description_en": "Quizzes test what the outcomes promise, at a fair passing score.",
        "description_ru": "Тесты проверяют заявленные результаты при разумном проходном балле.",
        "description_uk": "Тести перевіряють заявлені результати за розумного прохідного балу.",
        "description_kk": "Тесттер мәлімделген нәтижелерді әділ өту балымен тексереді.",
    },
    {
        "name_en": "Accessibility and language",
        "name_ru": "Доступность и язык",
        "name_uk": "Доступність і мова",
        "name_kk": "Қолжетімділік және тіл",
        "description_en": "Plain, correct language; text alternatives for media; readable layout.",
        "description_ru": "Ясный и грамотный язык; текстовые альтернативы для медиа; удобная вёрстка.",
        "description_uk": "Зрозуміла й грамотна мова; текстові альтернативи для медіа; зручна верстка.",
        "description_kk": "Түсінікті әрі сауатты тіл; медиаға мәтіндік балама; оқуға ыңғайлы пішім.",
    },
    {
        "name_en": "Media quality",
        "name_ru": "Качество медиаматериалов",
        "name_uk": "Якість медіаматеріалів",
        "name_kk": "Медиаматериалдардың сапасы",
        "description_en": "Video, images and files are clear, relevant and load reliably.",
        "description_ru": "Видео, изображения и файлы чёткие, по теме и надёжно загружаются.",
        "description_uk": "Відео, зображення й файли чіткі, доречні та надійно завантажуються.",
        "description_kk": "Бейне, сурет және файлдар анық, тақырыпқа сай және сенімді жүктеледі.",
    },
]


def add_rubric(apps, schema_editor):
    RubricCriterion = apps.get_model("courses", "RubricCriterion")
    if RubricCriterion.objects.exists():
        return
    RubricCriterion.objects.bulk_create(
        RubricCriterion(position=position, name=row["name_en"], max_score=5, **row)
        for position, row in enumerate(CRITERIA, start=1)
    )


def remove_rubric(apps, schema_editor):
    RubricCriterion = apps.get_model("courses", "RubricCriterion")
    RubricCriterion.objects.filter(name_en__in=[row["name_en"] for row in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(add_rubric, remove_rubric)]
