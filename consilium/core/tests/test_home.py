"""The home registry (core/home.py): panels in order, only those the person may see and that
have something to show."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from consilium.accounts.testing import UserFactory
from consilium.core import access
from consilium.core.home import (
    HomePanel,
    home_panels,
    register_home_panel,
    render_home_panels,
    unregister_home_panel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panels() -> Iterator[None]:
    keys = ("t_first", "t_empty", "t_admins", "t_second")
    yield
    for key in keys:
        unregister_home_panel(key)


def test_panels_render_in_order_and_skip_the_empty_and_the_forbidden(panels: None) -> None:
    register_home_panel(HomePanel("t_second", "components/home_panel.html", lambda r: {}, order=2))
    register_home_panel(
        HomePanel("t_first", "components/home_panel.html", lambda r: {"count": 7}, order=1)
    )
    register_home_panel(HomePanel("t_empty", "components/home_panel.html", lambda r: None))
    register_home_panel(
        HomePanel("t_admins", "components/home_panel.html", lambda r: {}, access.Perm.ADMIN_SITE)
    )
    request = RequestFactory().get("/")
    request.user = UserFactory.create()
    rendered = "".join(render_home_panels(request))
    assert rendered.index("panel-t_first-h") < rendered.index("panel-t_second-h")
    assert "panel-t_empty-h" not in rendered
    assert "panel-t_admins-h" not in rendered
    keys = [p.key for p in home_panels()]
    assert keys.index("t_first") < keys.index("t_second")


def test_a_panel_key_is_registered_once(panels: None) -> None:
    register_home_panel(HomePanel("t_first", "x.html", lambda r: None))
    with pytest.raises(ImproperlyConfigured):
        register_home_panel(HomePanel("t_first", "x.html", lambda r: None))
