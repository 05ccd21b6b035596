from modeltranslation.translator import TranslationOptions, register

from consilium.actions.models import Action


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Action.history.model)
class HistoricalActionTranslation(TranslationOptions):
    fields = ("title", "description")
