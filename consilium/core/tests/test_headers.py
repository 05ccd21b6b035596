"""Security headers: a Content-Security-Policy without 'unsafe-inline' that every page can
live with, a Permissions-Policy, HTTPS (redirect, HSTS, secure cookies) and the forwarded
scheme believed only from the named proxies; ``check --deploy`` clean in production."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.core.middleware import security_headers
from tests.access_matrix import PERSONAS, build_world, collect

# script types a browser does not run: data for the page's scripts.
DATA_SCRIPTS = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _InlineFinder(HTMLParser):
    """What a CSP without 'unsafe-inline' would block: inline scripts, event handlers,
    ``javascript:`` addresses, ``style`` attributes and ``<style>`` elements; and any iframe
    that is not sandboxed (or may open pop-ups)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script: str | None = None  # the tag of an inline script being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')
        if tag == "style":
            self.found.append("<style>")
        if tag == "iframe" and "allow-popups" in (values.get("sandbox") or "allow-popups"):
            self.found.append(f"<iframe> not sandboxed: {values.get('src')}")
        if tag == "script" and not values.get("src"):
            kind = (values.get("type") or "").lower()
            if kind not in DATA_SCRIPTS:
                self._script = self.get_starttag_text() or "<script>"

    def handle_data(self, data: str) -> None:
        if self._script is not None and data.strip():
            self.found.append(f"{self._script}{data.strip()[:60]}")
            self._script = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def inline_bits(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_finds_what_csp_blocks() -> None:
    html = (
        '<script>alert(1)</script><script src="/s.js"></script>'
        '<script type="application/json" id="d">{"a": 1}</script>'
        '<a href="javascript:void(0)" onclick="x()">a</a><div style="width: 1px"></div>'
        "<style>p {}</style><iframe src='https://player.vimeo.com/video/1'></iframe>"
        '<iframe src="https://player.vimeo.com/video/1" sandbox="allow-scripts"></iframe>'
    )
    assert len(inline_bits(html)) == 6


def _problems(response: Any) -> list[str]:
    """What is wrong with one answer's headers and HTML, if anything."""
    csp = response.get("Content-Security-Policy", "")
    problems = [
        f"no {directive}"
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'")
        if directive not in csp
    ]
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append("unsafe-inline or unsafe-eval")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy")
    if response.get("Content-Type", "").startswith("text/html"):
        problems += inline_bits(response.content.decode())
    return problems


def _assert_strict(response: Any, where: str) -> None:
    assert _problems(response) == [], where


MATRIX = collect()
PAGES = [row for row in MATRIX.rows if row.method == "get"]


def _persona(row: Any) -> str:
    """The persona who sees the most of a page: signed in when it allows that."""
    allowed = [p for p in PERSONAS if row.allowed(p)]
    signed = [p for p in allowed if p != "anonymous"]
    return (signed or allowed or ["anonymous"])[0]


@pytest.mark.django_db
@pytest.mark.parametrize("part", sorted({row.part for row in PAGES}))
def test_every_page_has_a_strict_policy_and_nothing_inline(part: str) -> None:
    """Every page of the access matrix (public and signed in: the directory, course authoring,
    agreements, certificates and their verification, statistics …) as a persona allowed to
    see it: the header is there and the HTML holds nothing the policy would block."""
    world = build_world(part, MATRIX.parts)
    walked, wrong = 0, {}
    for row in (r for r in PAGES if r.part == part):
        persona = _persona(row)
        client = Client()
        if world.users[persona] is not None:
            client.force_login(world.users[persona])
        url = reverse(row.name, kwargs=row.kwargs(world))
        response = client.get(url, row.data(world))
        if problems := _problems(response):
            wrong[f"{row.id} as {persona}: {url}"] = sorted(set(problems))
        walked += response.status_code == 200
    assert wrong == {}, "\n".join(f"{where}: {found}" for where, found in wrong.items())
    assert walked, "no page of this part answered 200"


@pytest.mark.django_db
def test_the_admin_and_the_api_docs_keep_the_policy(client: Client) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/api/v1/docs"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response, url)


@pytest.mark.django_db
def test_pages_only_a_form_or_a_learner_reaches_keep_the_policy(client: Client) -> None:
    """What the walk above does not reach with a GET: a new API token (shown once, after a
    POST), a learner's progress bars and a video lesson's player."""
    from django.utils import timezone

    from consilium.courses import testing
    from consilium.courses.models import Enrolment, Lesson, LessonKind

    learner = UserFactory()
    client.force_login(learner)
    token_page = client.post(reverse("accounts:tokens"), {"name": "nightly"})
    assert "data-select-on-focus" in token_page.content.decode()
    _assert_strict(token_page, "new token")

    run = testing.course().runs.get()
    enrolment = Enrolment.objects.create(
        run=run,
        course=run.course,
        learner=learner,
        variant=run.course.variants.get(),
        enrolled_at=timezone.now(),
        progress=40,
    )
    video = Lesson.objects.create(
        module=enrolment.variant.modules.get(),
        position=9,
        title="Lecture",
        kind=LessonKind.VIDEO,
        video_url="https://vimeo.com/76979871",
    )
    mine = client.get(reverse("courses:my_learning"))
    assert "pct-40" in mine.content.decode()
    _assert_strict(mine, "my learning")
    lesson = client.get(reverse("courses:learn", args=[enrolment.pk]), {"lesson": video.pk})
    assert 'src="https://player.vimeo.com/video/76979871"' in lesson.content.decode()
    _assert_strict(lesson, "video lesson")


def test_the_policy_frames_only_the_video_players() -> None:
    csp, permissions = security_headers()
    frame_src = next(d for d in csp.split("; ") if d.startswith("frame-src "))
    assert "https://www.youtube-nocookie.com" in frame_src
    assert "https://player.vimeo.com" in frame_src
    assert "'self'" not in frame_src and " * " not in f"{frame_src} "
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "img-src 'self' data: https:" in csp  # QR codes are data: addresses
    fullscreen = next(f for f in permissions.split(", ") if f.startswith("fullscreen="))
    assert fullscreen.startswith("fullscreen=(self ")
    assert '"https://www.youtube-nocookie.com"' in fullscreen
    assert '"https://player.vimeo.com"' in fullscreen
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_report_only_when_asked(client: Client, settings: Any) -> None:
    settings.CSP_REPORT_ONLY = True
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


# --- HTTPS --------------------------------------------------------------------------------


@pytest.fixture
def https_on(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.TRUSTED_PROXIES = ["10.0.0.1"]


@pytest.mark.django_db
@pytest.mark.usefixtures("https_on")
def test_plain_http_is_redirected_and_https_gets_hsts(client: Client) -> None:
    response = client.get("/catalog/", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    secure = client.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # The load balancer's probe over plain HTTP is answered, not redirected.
    assert client.get("/health/", REMOTE_ADDR="10.0.0.1").status_code in (200, 503)


@pytest.mark.django_db
@pytest.mark.usefixtures("https_on")
def test_the_forwarded_scheme_is_believed_only_from_a_named_proxy(client: Client) -> None:
    spoofed = client.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301  # not taken for HTTPS: sent to the real HTTPS
    assert "Strict-Transport-Security" not in spoofed


def test_production_is_https_by_default() -> None:
    values = _production_settings(
        "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS "
        "SECURE_HSTS_PRELOAD SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE"
    )
    assert values == ["True", "31536000", "True", "True", "True", "True"]
    off = _production_settings(
        "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_HSTS_PRELOAD",
        SECURE_SSL_REDIRECT="off",
        SECURE_HSTS_SECONDS="300",
        SECURE_HSTS_PRELOAD="0",
    )
    assert off == ["False", "300", "False"]


# --- check --deploy -----------------------------------------------------------------------

BASE_DIR = Path(settings.BASE_DIR)


def _production_env(tmp: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        CONSILIUM_ENV="production",
        SECRET_KEY="k3y-" + "".join(chr(97 + (i * 7) % 26) for i in range(60)),
        ALLOWED_HOSTS="consilium.example.kz",
        SITE_URL="https://consilium.example.kz",
        DATABASE_URL=f"sqlite:///{tmp or '/nonexistent'}/deploy-check.sqlite3",
        CONSILIUM_VAR_DIR=str(tmp or "/tmp"),
    )
    env.pop("DEBUG", None)
    env.update(extra)
    return env


def _production_settings(names: str, **extra: str) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names.split()
    )
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**_production_env(**extra), "DJANGO_SETTINGS_MODULE": "consilium.settings"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "consilium", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout
