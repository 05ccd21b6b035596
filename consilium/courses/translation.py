from modeltranslation.translator import TranslationOptions, register

from consilium.courses.models import Discipline, RubricCriterion


@register(Discipline)
class DisciplineTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en": ("name",)}


@register(RubricCriterion)
class RubricCriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
