"""The client's address: X-Forwarded-For is believed only from a trusted proxy."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory, override_settings

from consilium.core.http import client_ip

PROXIES = ["10.0.0.0/8", "2001:db8:ffff::1"]


def ip(remote: str, forwarded: str | None = None) -> str:
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert ip("203.0.113.7") == "203.0.113.7"
    assert ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_a_spoofed_header_from_an_untrusted_address_is_ignored() -> None:
    assert ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert ip("203.0.113.7", "10.0.0.2") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.1", "198.51.100.1"),
        # What the client wrote itself is left of what our proxy appended: ignored.
        ("1.1.1.1, 198.51.100.1", "198.51.100.1"),
        ("1.1.1.1, 198.51.100.1, 10.0.0.9", "198.51.100.1"),  # two trusted hops
        ("198.51.100.1,10.1.2.3", "198.51.100.1"),
        ("2001:db8::7", "2001:db8::7"),
        ("2001:db8::7, 2001:db8:ffff::1", "2001:db8::7"),
        ("::ffff:198.51.100.1", "198.51.100.1"),
        ("198.51.100.1:5678", "198.51.100.1"),  # a port some proxies add
        ("[2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(
    forwarded: str, client: str
) -> None:
    assert ip("10.0.0.1", forwarded) == client


@override_settings(TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        (None, "10.0.0.1"),  # the proxy's own request
        ("", "10.0.0.1"),
        ("not-an-address", "10.0.0.1"),
        ("198.51.100.1, unknown", "10.0.0.1"),
        ("198.51.100.1, 10.0.0.9, garbage", "10.0.0.1"),
        ("198.51.100.1, , 10.0.0.9", "10.0.0.9"),  # stops at the last trusted hop
        ("[2001:db8::7", "10.0.0.1"),
        ("300.1.2.3", "10.0.0.1"),
        ("198.51.100.1;drop table", "10.0.0.1"),
        ("10.0.0.9, 10.0.0.8", "10.0.0.9"),  # proxies all the way: the farthest
        ("x" * 5000 + ", 198.51.100.1", "198.51.100.1"),
    ],
)
def test_a_malformed_header_never_makes_up_an_address(forwarded: str | None, client: str) -> None:
    assert ip("10.0.0.1", forwarded) == client


def test_a_remote_address_that_is_not_one_counts_as_none() -> None:
    assert ip("") == ""
    assert ip("unix-socket") == ""
    assert ip("::ffff:203.0.113.7") == "203.0.113.7"


def _settings(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    """Read a setting in a fresh interpreter with ``env`` (settings are read at start-up)."""
    return subprocess.run(
        [sys.executable, "-c", f"import consilium.settings as s; print({expression})"],
        env={**os.environ, "CONSILIUM_ENV": "test", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_trusted_proxies_come_from_the_environment_and_bad_ones_stop_start_up() -> None:
    read = _settings({"TRUSTED_PROXIES": " 10.0.0.0/8 , ::1,"}, "s.TRUSTED_PROXIES")
    assert read.returncode == 0 and read.stdout.strip() == "['10.0.0.0/8', '::1']", read.stderr
    assert _settings({}, "s.TRUSTED_PROXIES").stdout.strip() == "[]"
    bad = _settings({"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, "s.TRUSTED_PROXIES")
    assert bad.returncode != 0
    assert "ImproperlyConfigured" in bad.stderr and "proxy.local" in bad.stderr
