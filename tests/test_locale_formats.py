"""Readers of every language get Django's own messages in their language and one date format
everywhere (consilium/formats, locale/kk)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import formats, translation

from consilium.core.testing import get_ok

LANGUAGES = ("en", "ru", "uk", "kk")
DAY = datetime.datetime(2026, 3, 5, 14, 30)


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_date_format_per_language(language: str) -> None:
    with translation.override(language):
        long = formats.date_format(DAY, "DATE_FORMAT")
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == long
        assert formats.date_format(DAY, "j E Y") == long  # what templates wrote by hand
        assert "2026" in long and long.startswith("5 ")
        assert formats.date_format(DAY, "DATETIME_FORMAT") == f"{long}, 14:30"
        assert formats.date_format(DAY, "SHORT_DATETIME_FORMAT") == f"{long}, 14:30"


def test_kazakh_months_are_lower_case_inside_a_date() -> None:
    with translation.override("kk"):
        assert formats.date_format(DAY, "DATE_FORMAT") == "5 наурыз 2026"
        assert formats.date_format(datetime.date(2026, 9, 1), "MONTH_DAY_FORMAT") == "1 қыркүйек"
        assert formats.date_format(DAY, "YEAR_MONTH_FORMAT").startswith("Наурыз")  # alone: capital


@pytest.mark.parametrize("language", ("ru", "uk", "kk"))
def test_djangos_own_messages_are_translated(language: str) -> None:
    class Form(forms.Form):
        email = forms.EmailField()
        name = forms.CharField(max_length=3)
        count = forms.IntegerField()

    with translation.override(language):
        errors = Form({"email": "not-an-address", "name": "long", "count": ""}).errors
        texts = [*errors["email"], *errors["name"], *errors["count"]]
        assert "Enter a valid email address." not in texts
        assert not any(text.startswith("Ensure this value") for text in texts)
        assert "This field is required." not in texts
        with pytest.raises(ValidationError) as raised:
            validate_password("1234")
        messages = raised.value.messages
        assert messages and not any("password" in m for m in messages), messages
        for msgid in (
            "The two password fields didn’t match.",
            "That page number is less than 1",
            "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.",
        ):
            assert translation.gettext(msgid) != msgid, msgid


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_cards_show_the_year_of_the_start(language: str) -> None:
    from consilium.core import public_cache
    from consilium.courses.services.authoring import course_next_start_refresh
    from consilium.courses.testing import course
    from consilium.courses.versions import CATALOG

    shown = course(titles={"en": "Clinical audit"})
    starts = datetime.date.today() + datetime.timedelta(days=40)
    shown.runs.update(starts_on=starts, ends_on=starts + datetime.timedelta(days=60))
    course_next_start_refresh(course_ids=[shown.pk])
    public_cache.bump(CATALOG)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["consilium_language"] = language
    page = get_ok(client, "/courses/")().content.decode()
    with translation.override(language):
        assert formats.date_format(starts, "DATE_FORMAT") in page
    assert str(starts.year) in page


@pytest.mark.django_db
def test_course_titles_fall_back_in_the_same_order_as_names() -> None:
    """A course written in Russian with an English version: a Ukrainian reader gets English,
    as for names (uk → en → ru), a Kazakh reader Russian (kk → ru → en)."""
    from consilium.courses.models import Course
    from consilium.courses.selectors.authoring import variant_title
    from consilium.courses.selectors.stats import course_title_map
    from consilium.courses.testing import course

    made = course(titles={"ru": "Сортировка", "en": "Triage"}, with_content=False, run=False)
    read = Course.objects.prefetch_related("variants").get(pk=made.pk)
    assert variant_title(read, "uk") == "Triage"
    assert variant_title(read, "kk") == "Сортировка"
    with translation.override("uk"):
        assert course_title_map([made.pk]) == {made.pk: "Triage"}
    with translation.override("kk"):
        assert course_title_map([made.pk]) == {made.pk: "Сортировка"}
