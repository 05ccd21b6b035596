"""core/person_cache.py on its own: a view decorated with ``cached_per_person``."""

import pytest
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from consilium.accounts.testing import UserFactory
from consilium.core import public_cache
from consilium.core.person_cache import PLACEHOLDER, bump_people, cached_per_person

pytestmark = pytest.mark.django_db

PAGE = engines["django"].from_string("<p>{{ calls }}</p><form>{% csrf_token %}</form>")
calls: list[str] = []


@cached_per_person("things")
def page(request):
    calls.append(request.path)
    status = int(request.GET.get("status", 200))
    response = HttpResponse(
        PAGE.render({"calls": len(calls)}, request), status=status, headers={"X-Kept": "yes"}
    )
    if request.GET.get("cookie"):
        response.set_cookie("flavour", "plain")
    return response


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


def _request(user, path="/things/", method="get", csrf_secret="a" * 32):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.META["CSRF_COOKIE"] = csrf_secret
    return request


def _token(body: str) -> str:
    return body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_one_person_gets_the_stored_page_until_a_version_moves() -> None:
    user = UserFactory()
    page(_request(user))
    again = page(_request(user))
    assert len(calls) == 1
    assert b"<p>1</p>" in again.content
    assert again["X-Kept"] == "yes"
    public_cache.bump("things")
    assert b"<p>2</p>" in page(_request(user)).content
    bump_people([user.pk])
    assert b"<p>3</p>" in page(_request(user)).content
    bump_people([UserFactory().pk])  # someone else's change
    assert b"<p>3</p>" in page(_request(user)).content
    assert len(calls) == 3


def test_another_person_never_gets_the_page() -> None:
    one, two = UserFactory(), UserFactory()
    page(_request(one))
    page(_request(two))
    assert len(calls) == 2


def test_the_path_language_and_htmx_are_part_of_the_key() -> None:
    user = UserFactory()
    page(_request(user, "/things/?a=1"))
    page(_request(user, "/things/?a=2"))
    htmx = _request(user)
    htmx.htmx = True
    page(htmx)
    page(_request(user))
    with translation.override("ru"):
        page(_request(user))
    assert len(calls) == 5


def test_form_tokens_follow_the_asking_request() -> None:
    user = UserFactory()
    first = page(_request(user, csrf_secret="a" * 32)).content.decode()
    assert _unmask_cipher_token(_token(first)) == "a" * 32
    [key] = [k for k in cache._cache if "person:" in k]
    content, _headers, has_token = cache.get(key.split(":", 2)[2])
    assert has_token and PLACEHOLDER in content and _token(first).encode() not in content
    hit = page(_request(user, csrf_secret="b" * 32)).content.decode()
    assert len(calls) == 1
    assert _unmask_cipher_token(_token(hit)) == "b" * 32


def test_what_is_never_served_or_stored() -> None:
    user = UserFactory()
    page(_request(user, method="post"))
    page(_request(user, method="post"))
    page(_request(user, "/things/?status=404"))
    page(_request(user, "/things/?status=404"))
    page(_request(user, "/things/?cookie=1"))
    page(_request(user, "/things/?cookie=1"))
    assert len(calls) == 6
    with_message = _request(user)
    add_message(with_message, constants.INFO, "Saved.")
    page(with_message)
    page(_request(user))  # the page shown with a pending message was not stored
    assert len(calls) == 8
    page(_request(user))
    from_cache = _request(user)
    add_message(from_cache, constants.INFO, "Saved.")
    page(from_cache)  # pending messages: the view runs
    assert len(calls) == 9


def test_anonymous_requests_pass_through() -> None:
    from django.contrib.auth.models import AnonymousUser

    page(_request(AnonymousUser()))
    page(_request(AnonymousUser()))
    assert len(calls) == 2
