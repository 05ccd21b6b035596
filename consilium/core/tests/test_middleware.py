"""Private answers are not stored by browsers or proxies; public ones stay cacheable."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from consilium.accounts.services import api_token_create
from consilium.accounts.testing import UserFactory

pytestmark = pytest.mark.django_db


def test_signed_in_pages_and_the_new_token_page_are_no_store(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    for path in (reverse("accounts:profile"), reverse("institutions:list")):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    response = client.post(reverse("accounts:tokens"), {"name": "script"})
    assert "no-store" in response["Cache-Control"]


def test_api_answers_to_a_token_are_no_store() -> None:
    raw = api_token_create(user=UserFactory(), name="script")[1]
    response = Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_anonymous_public_pages_stay_cacheable(client: Client) -> None:
    response = client.get(reverse("institutions:list"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
