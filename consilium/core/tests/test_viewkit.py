"""core/viewkit.py on its own: a small action and a form page around a stand-in service."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from consilium.core.viewkit import (
    Done,
    action,
    form_error_messages,
    form_page,
    posted,
    posted_files,
    save_form,
)

TEMPLATE = "core_tests/form.html"


class ThingForm(forms.Form):
    name = forms.CharField(label="Name")
    count = forms.IntegerField(min_value=1)  # no label: Django's "Count"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") == "both":
            raise ValidationError("Not both.")
        return data


def _request(method: str = "post", data: dict[str, Any] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "post" else factory.get("/", data or {})
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


class Service:
    """Records what it was given; refuses with ``refuse`` when set."""

    def __init__(self, result: Any = "Saved.", refuse: ValidationError | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.result = result
        self.refuse = refuse

    def __call__(self, data: dict[str, Any]) -> Any:
        self.calls.append(dict(data))
        if self.refuse is not None:
            raise self.refuse
        return self.result


# --- action --------------------------------------------------------------------------------


def test_action_runs_the_service_says_success_and_goes_to_the_target() -> None:
    request = _request(data={"name": "x", "count": "2"})
    service = Service()
    response = action(request, ThingForm(request.POST), service, to="/back/")
    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert service.calls == [{"name": "x", "count": 2}]
    assert _said(request) == [("success", "Saved.")]


def test_action_refusal_is_one_error_message_and_the_same_target() -> None:
    request = _request(data={"name": "x", "count": "2"})
    refuse = ValidationError({"name": ["Taken."], "other": ["And closed."]})
    response = action(request, ThingForm(request.POST), Service(refuse=refuse), to="/back/")
    assert response["Location"] == "/back/"
    assert _said(request) == [("error", "Taken. And closed.")]


def test_action_invalid_form_names_each_field_by_its_label_and_calls_nothing() -> None:
    request = _request(data={"name": "", "count": "0"})
    service = Service()
    response = action(request, ThingForm(request.POST), service, to="/back/")
    assert response["Location"] == "/back/"
    assert service.calls == []
    assert _said(request) == [
        ("error", "Name: This field is required."),
        ("error", "Count: Ensure this value is greater than or equal to 1."),
    ]


def test_action_form_wide_errors_carry_no_label() -> None:
    form = ThingForm({"name": "both", "count": "1"})
    assert not form.is_valid()
    assert form_error_messages(form) == ["Not both."]


def test_action_invalid_form_may_say_one_message_instead() -> None:
    request = _request(data={"count": "x"})
    action(request, ThingForm(request.POST), Service(), to="/", invalid="Choose from the list.")
    assert _said(request) == [("error", "Choose from the list.")]


def test_action_without_a_form_gives_the_service_nothing() -> None:
    request = _request()
    service = Service()
    action(request, None, service, to="/")
    assert service.calls == [{}]


def test_done_chooses_the_next_page_and_may_say_nothing() -> None:
    request = _request()
    response = action(request, None, Service(Done(to="/elsewhere/")), to="/")
    assert response["Location"] == "/elsewhere/"
    assert _said(request) == []
    own = HttpResponse("mine")
    request = _request()
    assert action(request, None, Service(Done("Yes.", to=own)), to="/") is own
    assert _said(request) == [("success", "Yes.")]


# --- form pages -----------------------------------------------------------------------------


def test_form_page_shows_the_form_on_a_get_without_saving() -> None:
    request = _request("get")
    service = Service()
    response = form_page(
        request,
        ThingForm(posted(request)),
        service,
        to="/",
        template=TEMPLATE,
        context={"note": "hello"},
        error_status=400,
    )
    assert response.status_code == 200
    assert b"hello" in response.content and b"name=;" in response.content
    assert service.calls == []


def test_form_page_saves_a_valid_post_and_redirects() -> None:
    request = _request(data={"name": "x", "count": "3"})
    response = form_page(
        request, ThingForm(request.POST), Service(), to="/done/", template=TEMPLATE
    )
    assert (response.status_code, response["Location"]) == (302, "/done/")
    assert _said(request) == [("success", "Saved.")]


def test_form_page_puts_a_refusal_on_the_fields_it_names() -> None:
    request = _request(data={"name": "x", "count": "3"})
    refuse = ValidationError({"name": ["Taken."], "elsewhere": ["Closed."]})
    shown: list[bool] = []

    def context() -> dict[str, Any]:
        shown.append(True)
        return {"note": "again"}

    form = ThingForm(request.POST)
    response = form_page(
        request,
        form,
        Service(refuse=refuse),
        to="/",
        template=TEMPLATE,
        context=context,
        error_status=400,
    )
    assert response.status_code == 400 and shown == [True]
    assert form.errors == {"name": ["Taken."], "__all__": ["Closed."]}
    body = response.content.decode()
    assert "name=Taken.;" in body and '<p class="error">Closed.</p>' in body
    assert _said(request) == []


def test_form_page_answers_200_by_default_and_context_is_lazy_on_success() -> None:
    request = _request(data={"name": "", "count": "3"})
    response = form_page(request, ThingForm(request.POST), Service(), to="/", template=TEMPLATE)
    assert response.status_code == 200
    request = _request(data={"name": "x", "count": "3"})

    def context() -> dict[str, Any]:
        raise AssertionError("the page is not shown after a save")

    form_page(
        request, ThingForm(request.POST), Service(), to="/", template=TEMPLATE, context=context
    )


def test_a_page_that_creates_goes_where_the_service_says() -> None:
    request = _request(data={"name": "x", "count": "3"})
    created = Service(Done("Created.", to="/things/7/"))
    response = form_page(request, ThingForm(request.POST), created, template=TEMPLATE)
    assert response["Location"] == "/things/7/"
    with pytest.raises(ValueError):
        save_form(
            _request(data={"name": "x", "count": "3"}),
            ThingForm({"name": "x", "count": "3"}),
            Service(),
        )


def test_save_form_leaves_the_page_to_the_view() -> None:
    request = _request(data={"name": "x", "count": "3"})
    form = ThingForm(request.POST)
    assert save_form(request, form, Service(refuse=ValidationError("No.")), to="/") is None
    assert form.non_field_errors() == ["No."]
    assert save_form(_request("get"), ThingForm(None), Service(), to="/") is None


def test_posted_binds_an_empty_post_and_not_a_get() -> None:
    assert posted(_request("get")) is None and posted_files(_request("get")) is None
    empty = _request()
    assert posted(empty) is not None and posted_files(empty) is not None
    assert ThingForm(posted(empty)).is_bound
