"""The signed-in agreements list is cached per person (core/person_cache.py)."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.institutions import services as institutions
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory, member
from consilium.notifications.services import notification_mark_all_read, notification_send
from consilium.partnerships import services
from consilium.partnerships.tests.factories import make_agreement

pytestmark = pytest.mark.django_db

URL = reverse("partnerships:agreement_list")


def _get(client, url=URL, **extra) -> tuple[int, str, bool]:
    """(queries, body, whether the view ran)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode(), response.context is not None


def test_the_same_person_gets_the_cached_page_in_three_queries(client) -> None:
    make_agreement(titles={"en": "Steppe and Prairie"})
    client.force_login(member(Role.MINISTRY_OBSERVER, full_name="Aigerim Observer"))
    first, body, ran = _get(client)
    assert ran and "Steppe and Prairie" in body
    hit, cached, ran = _get(client)
    assert not ran and hit == 3 < first  # session, user, content versions
    assert cached.replace(_token(cached), "") == body.replace(_token(body), "")
    for n in range(19):
        make_agreement(titles={"en": f"Agreement {n}"})
    _get(client)
    assert _get(client)[0] == 3


def _token(body: str) -> str:
    return body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_the_htmx_partial_is_cached_apart(client) -> None:
    make_agreement(titles={"en": "Steppe and Prairie"})
    client.force_login(member(Role.MINISTRY_OBSERVER))
    _get(client)
    _n, partial, ran = _get(client, HTTP_HX_REQUEST="true")
    assert ran and "<html" not in partial
    assert "<html" in _get(client)[1]
    assert not _get(client, HTTP_HX_REQUEST="true")[2]


def test_another_person_never_gets_someone_elses_page() -> None:
    make_agreement(titles={"en": "Hidden pair"}, is_public=False)
    observer, stranger = Client(), Client()
    observer.force_login(member(Role.MINISTRY_OBSERVER, full_name="Aigerim Observer"))
    stranger.force_login(member(Role.PARTNERSHIP_COORDINATOR, full_name="Bolat Stranger"))
    assert "Hidden pair" in _get(observer)[1]
    _n, body, ran = _get(stranger)
    assert ran and "Hidden pair" not in body and "Aigerim" not in body and "Bolat" in body


def test_a_cached_page_keeps_valid_form_tokens() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(Role.MINISTRY_OBSERVER))
    _get(client)
    _n, body, ran = _get(client)
    assert not ran
    response = client.post(
        reverse("core:set_language"), {"language": "ru", "csrfmiddlewaretoken": _token(body)}
    )
    assert response.status_code == 302


def test_agreement_writes_retire_the_page(client) -> None:
    agreement = make_agreement(titles={"en": "Steppe and Prairie"})
    client.force_login(member(Role.MINISTRY_OBSERVER))
    url = URL + "?status=negotiating"
    assert "Steppe and Prairie" not in _get(client, url)[1]
    services.agreement_transition(agreement=agreement, to="negotiating", by=None)
    _n, body, ran = _get(client, url)
    assert ran and "Steppe and Prairie" in body
    services.programme_create(
        owner=InstitutionFactory(kind="ministry"),
        titles={"en": "Silk Road"},
        starts_on=date.today(),
    )
    assert "Silk Road" in _get(client, url)[1]  # the programme filter's choices


def test_a_change_of_roles_retires_the_page(client) -> None:
    make_agreement(titles={"en": "Hidden pair"}, is_public=False)
    person = member(Role.PARTNERSHIP_COORDINATOR)
    client.force_login(person)
    assert "Hidden pair" not in _get(client)[1]
    ministry = InstitutionFactory(kind="ministry")
    institutions.membership_grant(user=person, institution=ministry, role=Role.MINISTRY_OBSERVER)
    assert "Hidden pair" in _get(client)[1]
    Membership.objects.filter(user=person, role=Role.MINISTRY_OBSERVER).delete()
    # a queryset delete sends post_delete for each row too
    assert "Hidden pair" not in _get(client)[1]
    Membership.objects.filter(user=person).get().delete()
    client.get(URL)  # no role left anywhere: refused, and nothing cached served
    assert client.get(URL).status_code == 403


def test_a_new_or_read_notification_retires_the_page(client) -> None:
    person = member(Role.MINISTRY_OBSERVER)
    client.force_login(person)
    assert "unread)" not in _get(client)[1]
    notification_send(users=[person], message="The agreement ends soon.")
    assert "(1 unread)" in _get(client)[1]
    notification_send(users=[UserFactory.create()], message="Not for this person.")
    assert not _get(client)[2]
    notification_mark_all_read(user=person)
    assert "unread)" not in _get(client)[1]


def test_a_language_switch_retires_the_page(client) -> None:
    client.force_login(member(Role.MINISTRY_OBSERVER))
    assert '<html lang="en">' in _get(client)[1]
    client.post(reverse("core:set_language"), {"language": "kk"})
    assert '<html lang="kk">' in _get(client)[1]


def test_pending_messages_bypass_the_cache(client) -> None:
    person = member(Role.MINISTRY_OBSERVER)
    client.force_login(person)
    _get(client)
    notification_send(users=[person], message="Read me.")
    _get(client)
    response = client.post(reverse("notifications:mark_all_read"), follow=False)
    assert response.status_code == 302
    _n, body, ran = _get(client)
    assert ran and "All notifications are marked read." in body
    _n, body, ran = _get(client)
    assert ran and "All notifications are marked read." not in body  # the first was not kept
    assert not _get(client)[2]
