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
