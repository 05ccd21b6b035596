import os

os.environ.setdefault("CONSILIUM_ENV", "test")

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached figures live in the cache: start each test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A page asked for in Kazakh leaves Kazakh active in the test's thread: each test starts
    and ends in the default language, so no test reads another's language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
