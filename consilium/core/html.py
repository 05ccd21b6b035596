"""Cleaning the HTML people write (lesson text, course descriptions) before it is stored.

``clean`` keeps what a lesson needs (headings, paragraphs, lists, emphasis, quotes, code,
tables, links, https images) and drops everything else: scripts and styles with their content,
event handlers, ``style`` attributes, iframes and ``javascript:`` or ``data:`` addresses. Links
get ``rel="noopener noreferrer"``. ``video_embed`` turns a video address from one of the
``VIDEO_HOSTS`` into the address of a player that may be framed, or None; ``video_players``
are the origins those players are served from (the CSP's ``frame-src``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import nh3
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

TAGS = frozenset(
    {
        *("h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "small"),
        *("blockquote", "code", "pre", "abbr", "cite", "q"),
        *("a", "img", "figure", "figcaption"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
    }
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Removed together with everything inside them.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
URL_SCHEMES = frozenset({"https", "http", "mailto"})


def _filter(tag: str, attribute: str, value: str) -> str | None:
    # Images load from the reader's browser: only over https, never from plain http.
    if tag == "img" and attribute == "src" and not value.lower().startswith("https://"):
        return None
    return value


def clean(html: str) -> str:
    """Safe HTML for lesson text; an empty string for empty input."""
    if not html or not html.strip():
        return ""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")


# Where the players of the well-known hosts live: a YouTube address plays from the
# privacy-enhanced youtube-nocookie.com, a Vimeo one from player.vimeo.com.
_PLAYERS = {
    "youtube.com": "www.youtube-nocookie.com",
    "youtu.be": "www.youtube-nocookie.com",
    "youtube-nocookie.com": "www.youtube-nocookie.com",
    "vimeo.com": "player.vimeo.com",
}


# The hosts when settings name none (settings.py reads VIDEO_HOSTS from the environment).
DEFAULT_VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com")


def video_hosts() -> list[str]:
    """The hosts video lessons may be embedded from (``VIDEO_HOSTS``)."""
    return list(getattr(settings, "VIDEO_HOSTS", DEFAULT_VIDEO_HOSTS))


def _allowed(host: str) -> bool:
    """Whether ``host`` is one of the ``VIDEO_HOSTS`` or a subdomain of one."""
    return any(host == h or host.endswith("." + h) for h in video_hosts())


def video_players() -> list[str]:
    """The https origins embedded players may come from, for ``frame-src`` and the
    ``Permissions-Policy``: each allowed host, its subdomains and its player's host."""
    origins: list[str] = []
    for host in video_hosts():
        for origin in (
            f"https://{host}",
            f"https://*.{host}",
            f"https://{_PLAYERS.get(host, host)}",
        ):
            if origin not in origins:
                origins.append(origin)
    return origins


def _hosts_help() -> str:
    return str(
        format_lazy(
            _("A link to a video on one of these sites: {hosts}."),
            hosts=", ".join(video_hosts()),
        )
    )


# The help text of a video address field, in the language and with the hosts of the moment.
video_hosts_help = lazy(_hosts_help, str)()


def video_host_error(url: str) -> str | None:
    """Why ``url`` cannot be a video lesson's address (translated), or None when it can.

    Only https addresses of the ``VIDEO_HOSTS`` (and their subdomains) are embedded."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme != "https" or not parts.hostname:
        return str(_("Give the video's https address."))
    if not _allowed(parts.hostname.lower()):
        return str(
            format_lazy(
                _("Videos can only come from these sites: {hosts}."),
                hosts=", ".join(video_hosts()),
            )
        )
    if video_embed(url) is None:
        return str(_("This address is not a video the player can show: link to the video itself."))
    return None


def video_embed(url: str) -> str | None:
    """The https address of a player for ``url`` that may go into an iframe, or None.

    Only addresses of the ``VIDEO_HOSTS`` (or their subdomains) are embedded. YouTube (watch,
    youtu.be, shorts, embed) becomes youtube-nocookie.com's player, Vimeo becomes
    player.vimeo.com; any other allowed https address is framed as it is (its own site
    decides whether it may be); anything else (another host, http, javascript:, no host)
    gives None.
    """
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname or not _allowed(parts.hostname.lower()):
        return None
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/")
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path == "watch":
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif path.startswith(("embed/", "shorts/", "live/")):
            video = path.split("/", 1)[1]
        else:
            return None
        return (
            f"https://www.youtube-nocookie.com/embed/{video}" if _YOUTUBE_ID.match(video) else None
        )
    if host == "youtu.be":
        return f"https://www.youtube-nocookie.com/embed/{path}" if _YOUTUBE_ID.match(path) else None
    if host in ("vimeo.com", "player.vimeo.com"):
        video = path.removeprefix("video/")
        return f"https://player.vimeo.com/video/{video}" if _VIMEO_ID.match(video) else None
    return parts.geturl()
