"""The navigation the apps register (``core/navigation.py``), as ``base.html`` renders it."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.core import access, navigation
from consilium.core.navigation import NavEntry, nav_entries, navigation_for, register_nav_entry
from consilium.core.roles import NETWORK_ROLES, Role
from consilium.institutions.models import InstitutionKind, Membership
from consilium.institutions.testing import InstitutionFactory

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    """The links of each place of the shell, in the order of the page: ``main`` (the bar's
    left list), ``bar`` (its right list, less the account menu's toggle and the sign-in
    links), ``user_menu`` (the account menu) and ``footer``."""

    def __init__(self) -> None:
        super().__init__()
        self.lists: list[str] = []  # the classes of the <ul>s we are in
        self.in_footer = False
        self.found: dict[str, list[str]] = {"main": [], "bar": [], "user_menu": [], "footer": []}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "ul":
            self.lists.append(attributes.get("class") or "")
        elif tag == "footer":
            self.in_footer = True
        elif tag == "a":
            href = attributes.get("href") or ""
            if self.in_footer:
                self.found["footer"].append(href)
            elif self.lists and "dropdown-menu" in self.lists[-1]:
                self.found["user_menu"].append(href)
            elif self.lists and "me-auto" in self.lists[-1]:
                self.found["main"].append(href)
            elif self.lists and href != "#" and "?next=" not in href:
                self.found["bar"].append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self.lists.pop()
        elif tag == "footer":
            self.in_footer = False


def _links(body: str) -> dict[str, list[str]]:
    parser = _Links()
    parser.feed(body)
    return parser.found


def _personas() -> dict[str, Any]:
    """Anonymous, signed in without a role, one person per role (network roles at a ministry,
    the others at a university) and a staff network administrator."""
    ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY)
    own = InstitutionFactory()
    people: dict[str, Any] = {"anonymous": None, "no_role": UserFactory()}
    for role in Role:
        people[role.value] = UserFactory()
        where = ministry if role in NETWORK_ROLES else own
        Membership.objects.create(user=people[role.value], institution=where, role=role)
    people["staff"] = UserFactory(is_staff=True, is_superuser=True)
    return people


def _shown(user: Any, entry: NavEntry) -> bool:
    if user is None:
        return entry.permission is None
    return entry.permission is None or access.can(user, entry.permission)


def test_each_entry_is_shown_only_to_those_with_its_permission() -> None:
    people = _personas()
    seen: dict[tuple[str, str], set[bool]] = {}
    for persona, user in people.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        found = _links(client.get(reverse("institutions:list")).content.decode())
        for place in navigation.PLACES:
            if place == "user_menu" and user is None:
                assert found[place] == []  # no account menu for anonymous visitors
                for entry in nav_entries(place):
                    seen.setdefault((place, entry.key), set()).add(False)
                continue
            expected = [
                reverse(entry.url_name) for entry in nav_entries(place) if _shown(user, entry)
            ]
            assert found[place] == expected, (persona, place)
            for entry in nav_entries(place):
                seen.setdefault((place, entry.key), set()).add(_shown(user, entry))
    # Each guarded entry was seen by some persona and withheld from another.
    for entry in nav_entries():
        if entry.permission is not None:
            assert seen[entry.place, entry.key] == {True, False}, entry.key


def test_the_apps_entries_in_their_places() -> None:
    """What base.html showed before the apps registered their entries, in the same order."""
    keys = {place: [e.key for e in nav_entries(place)] for place in navigation.PLACES}
    assert keys == {
        "main": [
            "directory",
            "courses",
            "my_learning",
            "agreements",
            "programmes",
            "network_actions",
            "api",
            "admin",
        ],
        "bar": ["notifications"],
        "user_menu": [
            "profile",
            "certificates",
            "authored",
            "my_actions",
            "review_queue",
            "network_stats",
            "tokens",
            "security_events",
        ],
        "footer": ["directory", "courses", "verify", "api"],
    }


def test_an_app_adds_an_entry_for_those_with_a_permission() -> None:
    entry = NavEntry("test", "Test entry", "core:health", access.Perm.ADMIN_SITE, order=95)
    register_nav_entry(entry)
    try:
        with pytest.raises(ImproperlyConfigured):
            register_nav_entry(entry)
        learner, staff = Client(), Client()
        learner.force_login(UserFactory())
        staff.force_login(UserFactory(is_staff=True, is_superuser=True))
        health = reverse("core:health")
        assert health not in _links(learner.get("/").content.decode())["main"]
        main = _links(staff.get("/").content.decode())["main"]
        assert main[-2:] == [health, reverse("admin:index")]  # by order: 95, then 100
    finally:
        navigation.unregister_nav_entry("main", "test")


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/institutions/", ["directory"]),
        ("/institutions/12/", ["directory"]),
        ("/courses/", ["courses"]),
        ("/courses/authoring/", ["courses"]),
        ("/courses/my/", ["my_learning"]),
        ("/courses/learn/3/", ["my_learning"]),
        ("/partnerships/programmes/", ["programmes"]),
        ("/partnerships/network/", []),
        ("/", []),
    ],
)
def test_the_current_page(path: str, current: list[str]) -> None:
    """The longest prefix wins, among the entries shown or not: "My learning" claims
    /courses/my/ from "Courses" even for an anonymous visitor, who does not see it."""
    viewers: tuple[Any, ...] = (UserFactory(is_staff=True, is_superuser=True), AnonymousUser())
    for user in viewers:
        request = RequestFactory().get(path)
        request.user = user
        main = navigation_for(request).main
        shown = {link.key for link in main}
        assert [link.key for link in main if link.active] == [k for k in current if k in shown]


def test_the_current_page_is_marked_in_the_bar() -> None:
    client = Client()
    client.force_login(UserFactory())
    body = client.get(reverse("notifications:list")).content.decode()
    assert body.count('aria-current="page"') == 1
    assert 'class="nav-link active" aria-current="page" href="/notifications/"' in body


def test_each_permission_is_asked_once_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    can = access.can

    def counting(user: Any, perm: Any, obj: Any = None) -> bool:
        asked.append(str(perm))
        return can(user, perm, obj)

    monkeypatch.setattr(navigation.access, "can", counting)
    staff: Any = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff
    nav = navigation_for(request)
    for place in navigation.PLACES:
        getattr(nav, place)
    assert navigation_for(request) is nav
    assert nav.main is navigation_for(request).main
    assert sorted(asked) == sorted({str(e.permission) for e in nav_entries() if e.permission})
