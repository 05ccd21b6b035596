from modeltranslation.translator import TranslationOptions, register

from consilium.partnerships.models import Agreement, Phase, PriorityArea, Programme


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}


@register(Programme.history.model)
class HistoricalProgrammeTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("title", "description")


@register(PriorityArea)
class PriorityAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"en": ("title",)}


@register(Agreement.history.model)
class HistoricalAgreementTranslation(TranslationOptions):
    fields = ("title",)
