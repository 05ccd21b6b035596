"""The access registry: apps register their permissions, rules and scopes; mistakes fail at
start-up rather than refusing (or allowing) quietly."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from consilium.core import access


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so that a test's registrations do not outlive it."""
    monkeypatch.setattr(access, "_RULES", dict(access._RULES))
    monkeypatch.setattr(access, "_ENUMS", dict(access._ENUMS))
    monkeypatch.setattr(access, "_SCOPES", dict(access._SCOPES))


class Sample(StrEnum):
    READ = "sample.read"
    WRITE = "sample.write"


def test_registered_rules_answer(registry) -> None:
    access.register_rules({Sample.READ: access.public, Sample.WRITE: access.network_admin})
    assert access.can(AnonymousUser(), Sample.READ)
    assert not access.can(AnonymousUser(), Sample.WRITE)
    assert Sample in access.permission_enums()


def test_a_name_outside_an_enum_is_refused(registry) -> None:
    with pytest.raises(ImproperlyConfigured, match="not a member"):
        access.register_rules({"sample.read": access.public})  # type: ignore[dict-item]


def test_registering_a_name_twice_is_refused(registry) -> None:
    access.register_rules({Sample.READ: access.public, Sample.WRITE: access.public})

    class Again(StrEnum):
        READ = "sample.read"

    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        access.register_rules({Again.READ: access.public})


def test_a_member_without_a_rule_is_refused(registry) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"no rule for \['sample.write'\]"):
        access.register_rules({Sample.READ: access.public})


def test_a_scope_registered_twice_is_refused(registry) -> None:
    from consilium.institutions.models import Institution

    with pytest.raises(ImproperlyConfigured, match="twice"):
        access.register_scope(Institution, lambda user: Institution.objects.all())


def test_an_unknown_permission_is_refused() -> None:
    denied = access.can(AnonymousUser(), "no.such")  # unregistered on purpose
    assert not denied


def test_every_app_registered_its_permissions() -> None:
    from consilium.accounts.policy import Perm as AccountPerm
    from consilium.actions.policy import Perm as ActionPerm
    from consilium.certificates.policy import Perm as CertificatePerm
    from consilium.courses.policy import Perm as CoursePerm
    from consilium.institutions.policy import Perm as DirectoryPerm
    from consilium.partnerships.policy import Perm as PartnershipPerm

    enums = {
        access.Perm,
        AccountPerm,
        DirectoryPerm,
        ActionPerm,
        PartnershipPerm,
        CoursePerm,
        CertificatePerm,
    }
    assert access.permission_enums() == enums
    assert access.registered_permissions() == {m.value for enum in enums for m in enum}


@pytest.mark.django_db
def test_every_scope_answers_for_anonymous_visitors() -> None:
    from consilium.accounts.models import SecurityEvent
    from consilium.actions.models import Action
    from consilium.certificates.models import Certificate
    from consilium.courses.models import Course, Enrolment
    from consilium.institutions.models import Institution, Membership
    from consilium.partnerships.models import Agreement

    models = {
        Institution,
        Membership,
        Action,
        Agreement,
        Course,
        Enrolment,
        Certificate,
        SecurityEvent,
    }
    assert access.scoped_models() == models
    for model in models:
        assert access.visible(AnonymousUser(), model).model is model


def test_core_imports_no_app() -> None:
    import pathlib
    import re

    core = pathlib.Path(access.__file__).parent
    apps = "accounts|institutions|partnerships|courses|certificates|notifications"
    upward = re.compile(rf"consilium\.({apps})\b")
    found = [
        f"{path.relative_to(core)}:{number}"
        for path in core.rglob("*.py")
        if "tests" not in path.relative_to(core).parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if upward.search(line)
    ]
    assert found == []


def _request(user: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_requires_hands_the_loaded_object_to_the_view(registry) -> None:
    access.register_rules({Sample.READ: access.public, Sample.WRITE: access.network_admin})
    seen: dict[str, Any] = {}

    @access.requires(Sample.READ, thing=lambda request, pk: f"thing {pk}")
    def view(request: Any, pk: int, *, thing: str) -> str:
        seen.update(pk=pk, thing=thing)
        return "ok"

    assert view(_request(AnonymousUser()), pk=7) == "ok"
    assert seen == {"pk": 7, "thing": "thing 7"}
    assert view.access_rule == Sample.READ


def test_a_loader_may_hand_more_than_the_checked_object(registry) -> None:
    access.register_rules({Sample.READ: access.public, Sample.WRITE: access.network_admin})
    checked: list[Any] = []

    def rule(user: Any, g: access.Grants, obj: Any) -> bool:
        checked.append(obj)
        return True

    access._RULES[Sample.READ.value] = rule  # the registry is the fixture's copy

    @access.requires(Sample.READ, course=lambda request, pk, item: access.Loaded("c", lesson="l"))
    def view(request: Any, pk: int, item: int, *, course: str, lesson: str) -> tuple[str, str]:
        return course, lesson

    assert view(_request(AnonymousUser()), pk=1, item=2) == ("c", "l")
    assert checked == ["c"]


def test_requires_sends_anonymous_visitors_to_sign_in(registry) -> None:
    access.register_rules({Sample.READ: access.public, Sample.WRITE: access.network_admin})

    @access.requires(Sample.WRITE)
    def view(request: Any) -> Any:
        return "never"

    response = view(_request(AnonymousUser()))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_requires_takes_one_loader_at_most() -> None:
    with pytest.raises(TypeError):
        access.requires(access.Perm.PUBLIC, a=lambda r: 1, b=lambda r: 2)
