import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _address(text: str) -> Address | None:
    """One address of ``REMOTE_ADDR`` or of ``X-Forwarded-For`` (some proxies add the port:
    ``203.0.113.7:5678``, ``[2001:db8::7]:443``), or None when it is not one."""
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        text = text[1:end] if end > 0 else ""
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> str:
    """The address of the client a request comes from, for rate limits and visit counts.

    ``REMOTE_ADDR``, unless it is one of the ``TRUSTED_PROXIES``: then ``X-Forwarded-For`` is
    read from the right (each proxy appends the address it got the request from) and the first
    address that is not a trusted proxy is the client; everything left of it was written by
    the client and is ignored. A malformed entry stops the walk at the last trusted hop, whose
    address is answered then. A request from anywhere else is from its ``REMOTE_ADDR``
    whatever it claims to forward. An empty string when ``REMOTE_ADDR`` is not an address.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not any(remote in network for network in networks):
        return str(remote)
    closest = remote
    for item in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(item)
        if address is None:
            break
        if not any(address in network for network in networks):
            return str(address)
        closest = address
    return str(closest)
