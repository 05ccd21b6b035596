from modeltranslation.translator import TranslationOptions, register

from consilium.institutions.models import Institution


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ("name", "short_name", "city")
    required_languages = {"en": ("name",)}


# The history keeps every language's value, not only the active one.
@register(Institution.history.model)
class HistoricalInstitutionTranslation(TranslationOptions):
    fields = ("name", "short_name", "city")
